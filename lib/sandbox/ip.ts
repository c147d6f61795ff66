/**
 * IPv4/IPv6 addresses and CIDR ranges, for `actor.ip` (v1, documented as "IP address or valid CIDR
 * range") and `actor_ip_address` (v2, where the sandbox accepts ranges too).
 */

/** An address as a 128-bit integer (IPv4 in the low 32 bits) with its family. */
export interface Address {
  v6: boolean;
  value: bigint;
}

export interface Range {
  v6: boolean;
  base: bigint;
  bits: number;
}

function parseV4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255 || (part.length > 1 && part[0] === "0")) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split("::").length > 2) return null;
  const [head, tail] = text.split("::");
  const split = (s: string) => (s === "" ? [] : s.split(":"));
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) stands for the last two groups.
  const expand = (list: string[]): string[] | null => {
    const last = list[list.length - 1];
    if (!last?.includes(".")) return list;
    const v4 = parseV4(last);
    return v4 === null ? null : [...list.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
  };
  let groups: string[] | null;
  if (tail === undefined) {
    groups = expand(split(head));
    if (!groups || groups.length !== 8) return null;
  } else {
    const left = split(head);
    const right = expand(split(tail));
    if (!right || left.length + right.length > 7) return null;
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  }
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

export function parseAddress(text: string): Address | null {
  const v4 = parseV4(text);
  if (v4 !== null) return { v6: false, value: v4 };
  const v6 = text.includes(":") ? parseV6(text) : null;
  return v6 === null ? null : { v6: true, value: v6 };
}

/** An address (a /32 or /128) or a CIDR range; `null` when the text is neither. */
export function parseRange(text: string): Range | null {
  const slash = text.indexOf("/");
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return null;
  const max = address.v6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(suffix) || Number(suffix) > max) return null;
    bits = Number(suffix);
  }
  const shift = BigInt(max - bits);
  return { v6: address.v6, base: (address.value >> shift) << shift, bits };
}

export function inRange(range: Range, address: Address): boolean {
  if (range.v6 !== address.v6) return false;
  const shift = BigInt((range.v6 ? 128 : 32) - range.bits);
  return (address.value >> shift) << shift === range.base;
}
