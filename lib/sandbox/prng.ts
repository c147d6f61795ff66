/**
 * Deterministic randomness for the sandbox: a sequential generator for building the dataset and a
 * stateless hash for values derived on demand (ids, ray ids, bodies), so nothing depends on call order.
 */

/** mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit avalanche mix (the finalizer of murmur3-like hashes). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Stateless hash of (seed, n, salt) → uint32. */
export function hash3(seed: number, n: number, salt: number): number {
  return mix32((seed ^ mix32((n + Math.imul(salt, 0x9e3779b9)) | 0)) >>> 0);
}

/** FNV-1a over a string → uint32 (used to fingerprint queries). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** 8 lower-case hex digits (table-driven: ids are formatted by the hundred thousand). */
export function hex8(n: number): string {
  return (
    BYTE_HEX[(n >>> 24) & 0xff] +
    BYTE_HEX[(n >>> 16) & 0xff] +
    BYTE_HEX[(n >>> 8) & 0xff] +
    BYTE_HEX[n & 0xff]
  );
}

/** 32 hex characters, the shape of Cloudflare account, user, zone and token ids. */
export function hex32(seed: number, n: number, salt: number): string {
  return (
    hex8(hash3(seed, n, salt)) +
    hex8(hash3(seed, n, salt + 1)) +
    hex8(hash3(seed, n, salt + 2)) +
    hex8(hash3(seed, n, salt + 3))
  );
}

function formatUuid(a: number, c: number, d: number, b: number): string {
  const h = hex8(c);
  const v = (0x8000 | (d & 0x3fff)).toString(16);
  return `${hex8(a)}-${h.slice(0, 4)}-4${h.slice(5, 8)}-${v}-${hex8(d).slice(4, 8)}${hex8(b)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A UUID-shaped id that looks random but encodes `index`, so an id is looked up in O(1): the last 8
 * hex digits are the index masked by a hash of the first 8, and decoding re-derives the whole id, so
 * a foreign or altered id is rejected.
 */
export function indexUuid(seed: number, index: number, salt: number): string {
  const a = hash3(seed, index, salt);
  const b = (index ^ hash3(seed, a, salt + 1)) >>> 0;
  return formatUuid(a, hash3(seed, index, salt + 2), hash3(seed, index, salt + 3), b);
}

/** The index encoded by {@link indexUuid}, or -1 when `id` is not one it issued below `limit`. */
export function decodeIndexUuid(seed: number, id: string, salt: number, limit: number): number {
  const text = id.toLowerCase();
  if (!UUID.test(text)) return -1;
  const index =
    (parseInt(text.slice(28, 36), 16) ^ hash3(seed, parseInt(text.slice(0, 8), 16), salt + 1)) >>> 0;
  return index < limit && indexUuid(seed, index, salt) === text ? index : -1;
}

/** Like {@link indexUuid}, as 8 × `groups` plain hex digits (`groups` ≥ 2). */
export function indexHex(seed: number, index: number, salt: number, groups: number): string {
  const a = hash3(seed, index, salt);
  let text = hex8(a);
  for (let g = 2; g < groups; g++) text += hex8(hash3(seed, index, salt + g));
  return text + hex8((index ^ hash3(seed, a, salt + 1)) >>> 0);
}

export function decodeIndexHex(
  seed: number,
  id: string,
  salt: number,
  groups: number,
  limit: number,
): number {
  const text = id.toLowerCase();
  if (text.length !== groups * 8 || !/^[0-9a-f]+$/.test(text)) return -1;
  const index = (parseInt(text.slice(-8), 16) ^ hash3(seed, parseInt(text.slice(0, 8), 16), salt + 1)) >>> 0;
  return index < limit && indexHex(seed, index, salt, groups) === text ? index : -1;
}

const ID_SALT = 101;
const RAY_SALT = 211;

/** An entry's id (a UUID encoding its position). */
export function entryId(seed: number, index: number): string {
  return indexUuid(seed, index, ID_SALT);
}

export function decodeEntryId(seed: number, id: string, size: number): number {
  return decodeIndexUuid(seed, id, ID_SALT, size);
}

/** An entry's 16-hex Cloudflare ray id (also encoding its position). */
export function rayId(seed: number, index: number): string {
  return indexHex(seed, index, RAY_SALT, 2);
}

export function decodeRayId(seed: number, ray: string, size: number): number {
  return decodeIndexHex(seed, ray, RAY_SALT, 2, size);
}

/** Picks an index from cumulative weights (ascending, last = total) with a uniform draw in [0, 1). */
export function pickCumulative(cumulative: ArrayLike<number>, draw: number): number {
  const target = draw * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function cumulate(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}
