import "server-only";
import { BlockList, isIP } from "node:net";

/**
 * The address of the client behind a request, from sources that can be trusted only.
 *
 * Next.js route handlers and the proxy get no socket address: the only addresses are headers, which any
 * client can write. Two are believed, each only where it can be vouched for:
 * - `CF-Connecting-IP`, when the request carried a verified Cloudflare Access token (so it came through
 *   Cloudflare, which sets that header itself);
 * - `X-Forwarded-For`, when `TRUSTED_PROXIES` lists the proxies in front of the dashboard. The hops are
 *   read from the right: each proxy appends the address it saw, so the first hop that is not a listed
 *   proxy is the client. Everything left of it was written by the client and is ignored. This holds only
 *   if the dashboard's port is reachable through those proxies alone, and the nearest one appends to
 *   the header (nginx `$proxy_add_x_forwarded_for`, Caddy, Traefik and cloud load balancers do).
 * Otherwise the address is unknown (null): a guess would let a client pick the address it is logged
 * and throttled under.
 */

/** Anything with `get(name)`: a `Headers`, or the read-only headers of `next/headers`. */
interface HeaderSource {
  get(name: string): string | null;
}

/** An address as a proxy writes it (`1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`, `::ffff:1.2.3.4`), or null. */
export function normalizeAddress(raw: string): string | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  const version = isIP(text);
  if (version === 0) return null;
  if (version === 4) return text;
  const lower = text.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped ? mapped[1] : lower;
}

/** Whether a `TRUSTED_PROXIES` entry is an address or a CIDR range. */
export function isAddressOrCidr(entry: string): boolean {
  const slash = entry.indexOf("/");
  if (slash < 0) return isIP(entry) !== 0;
  const version = isIP(entry.slice(0, slash));
  const bits = entry.slice(slash + 1);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

const lists = new WeakMap<readonly string[], BlockList>();

function proxyList(entries: readonly string[]): BlockList {
  let list = lists.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [address, bits] = entry.split("/");
      const type = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    lists.set(entries, list);
  }
  return list;
}

/** Whether an address (normalized) is one of the listed proxies. */
export function isTrustedProxy(address: string, trustedProxies: readonly string[]): boolean {
  return proxyList(trustedProxies).check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

export interface AddressSources {
  /** The request carried an Access token that verified. */
  accessVerified: boolean;
  trustedProxies: readonly string[];
}

/** The client's address from a trusted source (see above), or null when none can be believed. */
export function clientAddress(headers: HeaderSource, sources: AddressSources): string | null {
  if (sources.accessVerified) {
    const connecting = normalizeAddress(headers.get("cf-connecting-ip") ?? "");
    if (connecting) return connecting;
  }
  if (sources.trustedProxies.length === 0) return null;
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = normalizeAddress(hops[i]);
    // Garbage where a trusted proxy should have written an address: nothing left of it can be believed.
    if (!address) return null;
    // The leftmost hop is the client even when it is a listed proxy (the proxy's own requests).
    if (i === 0 || !isTrustedProxy(address, sources.trustedProxies)) return address;
  }
  return null;
}
