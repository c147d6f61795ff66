/**
 * The sandbox's audit events, generated deterministically from (seed, size, now) and stored as
 * parallel typed arrays sorted by time, so a million entries take ~20 MB and a time window is two
 * binary searches. Everything textual (ids, URIs, bodies) is derived on demand in record.ts.
 */
import { buildActors, type Identity } from "./actors";
import { RESOURCE_TYPES } from "./products";
import { cumulate, hex32, mulberry32, pickCumulative } from "./prng";
import { buildTimes } from "./timeline";

export const ACTIONS = ["create", "update", "delete"] as const;
export type ActionType = (typeof ACTIONS)[number];

export interface Zone {
  id: string;
  name: string;
}

export interface Dataset {
  seed: number;
  /** Entries visible now: the anchored ones, then those the live clock has added (live.ts). */
  size: number;
  /** Entries generated at the anchor (what a frozen clock shows). */
  anchoredSize: number;
  /** Anchor of the timeline (ms since the epoch); the newest entry is a few seconds before it. */
  now: number;
  /** Action time of each entry (ms, whole seconds), ascending. */
  time: Float64Array;
  /** Index into {@link identities}. */
  ident: Uint16Array;
  /** Resource type index × 3 + action index ({@link ACTIONS}). */
  op: Uint16Array;
  /** Resource number. */
  res: Uint32Array;
  /** Index into {@link zones} (0 = no zone). */
  zone: Uint8Array;
  /** Index into {@link ips} (0 = no address). */
  ip: Uint16Array;
  /** HTTP status of the logged request. */
  status: Uint16Array;
  /** Per resource number: type index and zone index (ids are derived: resources.ts). */
  resType: Uint8Array;
  resZone: Uint8Array;
  resCount: number;
  /** Resource numbers of settings (one per account or zone), whose ids are fixed names. */
  singletons: number[];
  identities: Identity[];
  ips: string[];
  zones: Zone[];
}

export const ACCOUNT_NAME = "Acme Corp";
const ZONE_NAMES = ["acme.com", "acme-labs.io", "acme.shop", "acmecdn.net", "acme-staging.dev"];
const ZONE_WEIGHTS = cumulate([5, 3, 2, 1, 1]);
const FAILURE_RATE = 0.03;
/**
 * Failed actions as an account sees them: mostly refused for lack of permission (403) or invalid input
 * (400), some conflicts (409) and rate limits (429), a few server errors. One draw picks among them, so
 * the rest of the data does not move with this mix.
 */
const FAILURE_STATUSES = [403, 403, 403, 403, 400, 400, 400, 409, 409, 429, 500, 502, 503];

export function generateDataset(seed: number, size: number, now: number): Dataset {
  const rand = mulberry32(seed ^ 0x5eed5eed);
  const { ips, identities } = buildActors(seed);
  const zones: Zone[] = [
    { id: "", name: "" },
    ...ZONE_NAMES.map((name, n) => ({ id: hex32(seed, n, 500), name })),
  ];
  const { time, burst, burstIdentity } = buildTimes(rand, size, now, identities);

  const identityCum = cumulate(identities.map((x) => x.weight));
  const typeCums = identities.map((x) => cumulate(x.types.map((t) => RESOURCE_TYPES[t].weight)));
  // Systems and Cloudflare staff change existing things; certificate automation adds and removes
  // ACME records (create 50%, delete 45%); everyone else mostly edits (create 20%, delete 10%).
  const createBelow = identities.map((x) =>
    x.type === "system" || x.type === "cloudflare_admin" ? -1 : x.tokenName === "cert-manager" ? 0.5 : 0.2,
  );
  const deleteAbove = identities.map((x) => (x.tokenName === "cert-manager" ? 0.55 : 0.9));
  const totalWeight = RESOURCE_TYPES.reduce((sum, t) => sum + t.weight, 0);

  const initial = RESOURCE_TYPES.map((t) =>
    t.idKind === "singleton"
      ? t.scope === "zones"
        ? zones.length - 1
        : 1
      : 2 + Math.round((t.weight / totalWeight) * size * 0.03),
  );
  const capacity = initial.reduce((a, b) => a + b, 0) + size;
  const resType = new Uint8Array(capacity);
  const resZone = new Uint8Array(capacity);
  const singletons: number[] = [];
  const pools: number[][] = RESOURCE_TYPES.map(() => []);
  let resCount = 0;
  const newResource = (type: number, zone: number): number => {
    const n = resCount++;
    resType[n] = type;
    resZone[n] =
      RESOURCE_TYPES[type].scope === "zones" ? zone || 1 + pickCumulative(ZONE_WEIGHTS, rand()) : 0;
    pools[type].push(n);
    return n;
  };
  RESOURCE_TYPES.forEach((t, type) => {
    for (let k = 0; k < initial[type]; k++) {
      const n = newResource(type, t.idKind === "singleton" && t.scope === "zones" ? k + 1 : 0);
      if (t.idKind === "singleton") singletons.push(n);
    }
  });

  // Imported bindings can be accessors once bundled; read them once outside the hot loop.
  const pick = pickCumulative;
  const defs = RESOURCE_TYPES;
  const ident = new Uint16Array(size);
  const op = new Uint16Array(size);
  const res = new Uint32Array(size);
  const zone = new Uint8Array(size);
  const ip = new Uint16Array(size);
  const status = new Uint16Array(size);
  for (let i = 0; i < size; i++) {
    const b = burst[i];
    const who = b ? burstIdentity[b] : pick(identityCum, rand());
    const types = identities[who].types;
    const type = types[pick(typeCums[who], rand())];
    const def = defs[type];
    const pool = pools[type];
    const r = rand();
    let action = 1;
    let n: number;
    if (
      def.idKind !== "singleton" &&
      (r < createBelow[who] || (pool.length === 0 && createBelow[who] >= 0))
    ) {
      action = 0;
      n = newResource(type, 0);
    } else if (pool.length === 0) {
      n = newResource(type, 0);
    } else if (def.deletable && createBelow[who] >= 0 && r > deleteAbove[who] && pool.length > 1) {
      action = 2;
      const k = Math.floor(rand() * pool.length);
      n = pool[k];
      pool[k] = pool[pool.length - 1];
      pool.pop();
    } else {
      n = pool[Math.floor(rand() * pool.length)];
    }
    const addresses = identities[who].ips;
    ident[i] = who;
    op[i] = type * 3 + action;
    res[i] = n;
    zone[i] = resZone[n];
    ip[i] = addresses[Math.floor(rand() * addresses.length)];
    status[i] = rand() < FAILURE_RATE ? FAILURE_STATUSES[Math.floor(rand() * FAILURE_STATUSES.length)] : 200;
  }
  return {
    seed,
    size,
    anchoredSize: size,
    now,
    time,
    ident,
    op,
    res,
    zone,
    ip,
    status,
    resType,
    resZone,
    resCount,
    singletons,
    identities,
    ips,
    zones,
  };
}

/** First index whose time is ≥ `ms` (binary search). */
export function lowerBound(ds: Dataset, ms: number): number {
  let lo = 0;
  let hi = ds.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ds.time[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const cache = new Map<string, Dataset>();
const CACHE_LIMIT = 4;

/** The dataset for (seed, size, now), generated once and kept (a few at most) for later requests. */
export function getDataset(seed: number, size: number, now: number): Dataset {
  const key = `${seed}|${size}|${now}`;
  let ds = cache.get(key);
  if (ds) {
    cache.delete(key);
  } else {
    ds = generateDataset(seed, size, now);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, ds);
  return ds;
}
