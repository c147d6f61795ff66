import "server-only";
import { LRUCache } from "lru-cache";
import type { AuditLog } from "@/lib/audit-log";
import { DEFAULT_RANGE, loadQuery, type LogQuery } from "@/lib/search-params";
import { isoAt } from "@/lib/stats";
import { isBudgetRefusal } from "./budget";
import { upstreamIdentity, type Config } from "./config";
import { keptFirstPage, type CallContext } from "./gateway";
import { getSharedState, type SharedState } from "./shared-state";
import type { LogPage, PageOptions } from "./upstream";

/**
 * Unfiltered walks of a window, kept so that a filter change within that window is answered here
 * (filters applied locally) instead of upstream. Entries are newest first, in the upstream's order.
 *
 * A walk that reached the window's start holds it whole: answers from it are exact. A walk the entry cap
 * stopped holds the newest part of the window whole, from `heldSince` on: the table's pages are answered
 * from it as far as it reaches, and the overview counts that part and says so.
 */
export interface WindowWalk {
  since: number;
  before: number;
  entries: AuditLog[];
  /** Every entry of `[heldSince, before)` is here: `since` for a whole walk, later for a capped one. */
  heldSince: number;
}

/** True when the walk holds every entry of the window from `since` on. */
export const holdsFrom = (walk: WindowWalk, since: number) => walk.heldSince <= since;

/** How long a walk answers filter changes: entries may still reach the upstream a little late. */
export const WALK_TTL_MS = 120_000;
/** Largest page the upstream serves. */
const PAGE_LIMIT = 1000;

type FetchPage = (
  config: Config,
  query: LogQuery,
  options: PageOptions,
  ctx: CallContext,
) => Promise<LogPage>;

/** Where a kept walk is and what it holds, so a request for another window can find it. */
interface Listing {
  key: string;
  since: number;
  before: number;
  heldSince: number;
  until: number;
  /** Characters it takes in the store, its parts included. */
  size: number;
  /** The keys of the older parts its own key's entries continue into (see {@link Stored}). */
  parts?: string[];
}

/**
 * A walk as Redis holds it. A top-up does not write the walk it tops up again (tens of megabytes on a
 * busy account): it writes the entries logged since, with the keys of the parts holding the older
 * entries in `rest`, newest first, each kept as long as this one. Only the first part's `rest` counts.
 */
interface Stored extends WindowWalk {
  rest?: string[];
}

/** Past this many parts a top-up writes the walk whole again, so a read never takes many round trips. */
const MAX_PARTS = 16;

interface Store {
  /** Parsed walks of this process, bounded by the size of their JSON text. */
  local: LRUCache<string, WindowWalk>;
  /** The walks this process kept, when there is no shared store to list them. */
  listings: Map<string, Listing>;
  /** Redis, when configured: walks and their listing shared by every instance, under the same bound. */
  remote: SharedState | null;
  inFlight: Map<string, Promise<WalkOutcome>>;
  hits: number;
  /** Lookups answered by a walk holding only the newest part of the window. */
  partialHits: number;
  /** Lookups answered by a kept walk topped up with the entries logged after it. */
  topUps: number;
  misses: number;
}

const stores = new Map<string, Store>();

/** What every key of this module is made of: the upstream and the walk's cap. */
const identity = (config: Config) => [...upstreamIdentity(config), config.statsMaxEntries];

function storeFor(config: Config): Store {
  const id = JSON.stringify([...identity(config), config.walkCacheBytes, config.redisUrl]);
  let store = stores.get(id);
  if (!store) {
    const state = getSharedState(config);
    store = {
      local: new LRUCache({ maxSize: config.walkCacheBytes, ttl: WALK_TTL_MS, ttlAutopurge: true }),
      listings: new Map(),
      remote: state.kind() === "memory" ? null : state,
      inFlight: new Map(),
      hits: 0,
      partialHits: 0,
      topUps: 0,
      misses: 0,
    };
    stores.set(id, store);
  }
  return store;
}

const keyOf = (config: Config, since: number, before: number) =>
  `walk:${JSON.stringify([...identity(config), since, before])}`;
const listingKey = (config: Config) => `walks:${JSON.stringify(identity(config))}`;

/** Redis holds walks only while it is reachable: its local fallback has no byte bound. */
const shared = (store: Store) => (store.remote?.kind() === "redis" ? store.remote : null);

async function listings(config: Config, store: Store): Promise<Listing[]> {
  const now = Date.now();
  const remote = shared(store);
  const text = remote ? await remote.get(listingKey(config)) : null;
  const all = text ? (JSON.parse(text) as Listing[]) : [...store.listings.values()];
  return all.filter((listing) => listing.until > now);
}

async function read(store: Store, key: string): Promise<WindowWalk | null> {
  const local = store.local.get(key);
  if (local) return local;
  const remote = shared(store);
  const found = remote ? await readShared(remote, key) : null;
  if (!found) return null;
  store.local.set(key, found.walk, { size: found.size });
  return found.walk;
}

/** A walk from Redis: its own entries, then those of the parts it continues into. */
async function readShared(remote: SharedState, key: string) {
  const text = await remote.get(key);
  if (text === null) return null;
  const { rest = [], ...walk } = JSON.parse(text) as Stored;
  let { entries } = walk;
  let size = text.length;
  for (const part of rest) {
    const partText = await remote.get(part);
    // A part that is gone (evicted) leaves the walk with a hole: it is not kept any more.
    if (partText === null) return null;
    entries = entries.concat((JSON.parse(partText) as Stored).entries);
    size += partText.length;
  }
  // The older parts may hold entries the entry cap has since let go.
  if (rest.length) entries = newerThan(entries, walk.heldSince);
  return { walk: { ...walk, entries }, size };
}

/** The entries (newest first) at or after `ms`. */
function newerThan(entries: AuditLog[], ms: number): AuditLog[] {
  let end = entries.length;
  while (end > 0 && Date.parse(entries[end - 1].time) < ms) end--;
  return end === entries.length ? entries : entries.slice(0, end);
}

interface Found {
  /** Holds `[since, before)` whole. */
  whole: WindowWalk | null;
  /** Holds the newest part of `[since, before)` whole (a capped walk). */
  newest: WindowWalk | null;
  /** Ends before `before`, and holds what it holds from early enough: worth topping up. */
  start: { walk: WindowWalk; listing: Listing } | null;
}

/** True when the entry cap stopped the walk before its window's start. */
const capped = (w: { since: number; heldSince: number }) => w.heldSince > w.since;

async function lookup(config: Config, since: number, before: number): Promise<Found> {
  const store = storeFor(config);
  const exact = await read(store, keyOf(config, since, before));
  if (exact && holdsFrom(exact, since)) return { whole: exact, newest: null, start: null };
  let newest: WindowWalk | null = null;
  let start: Found["start"] = null;
  // Whole walks first, then capped ones reaching furthest back, then the latest-ending starts.
  const ranked = (await listings(config, store)).sort(
    (a, b) => a.heldSince - b.heldSince || b.before - a.before,
  );
  for (const w of ranked) {
    const reaches = w.heldSince <= since || (capped(w) && w.heldSince < before);
    if (!reaches || w.before < since) continue;
    if (w.before >= before) {
      const walk = await read(store, w.key);
      if (!walk) continue;
      if (holdsFrom(walk, since)) return { whole: walk, newest: null, start: null };
      newest ??= walk;
    } else if (!start || w.before > start.walk.before) {
      const walk = await read(store, w.key);
      if (walk) start = { walk, listing: w };
    }
  }
  return { whole: null, newest, start };
}

/** A walk holding the whole window `[since, before)`, if one is kept; counted as a hit or miss. */
export async function findWalk(config: Config, since: number, before: number): Promise<WindowWalk | null> {
  const store = storeFor(config);
  const { whole } = await lookup(config, since, before);
  if (whole) store.hits++;
  else store.misses++;
  return whole;
}

/**
 * A kept walk holding `[since, before)` whole or, failing that, its newest part (see {@link holdsFrom}):
 * a kept one, or one that ends earlier topped up with a walk of what came after it (usually one call:
 * the entries logged since). The window of a relative range moves with the clock, so this is what keeps
 * a view's filter changes off the upstream. Null when no kept walk will do.
 */
export async function walkCovering(
  config: Config,
  since: number,
  before: number,
  ctx: CallContext,
  fetchPage: FetchPage,
  now: Date,
): Promise<WindowWalk | null> {
  const store = storeFor(config);
  const { whole, newest, start: found } = await lookup(config, since, before);
  if (whole) {
    store.hits++;
    return whole;
  }
  // A whole walk ending a moment early is worth the call that tops it up; a capped one that ends
  // a moment early too, rather than one holding less of the window.
  const start = found?.walk;
  if (found && start && (holdsFrom(start, since) || !newest || start.heldSince < newest.heldSince)) {
    const later = await walkWindow(config, start.before, before, ctx, fetchPage, now, { keep: false });
    if (later.complete) {
      store.topUps++;
      const walk = capToEntries(config, {
        since: start.since,
        before,
        entries: [...later.entries, ...start.entries],
        heldSince: start.heldSince,
      });
      await keep(config, store, walk, { entries: later.entries, on: found.listing });
      return walk;
    }
  }
  if (newest) {
    store.partialHits++;
    return newest;
  }
  store.misses++;
  return null;
}

/** The next whole second after `ms`: a capped walk holds whole seconds, the unit the upstream takes. */
const nextSecond = (ms: number) => Math.floor(ms / 1000) * 1000 + 1000;

/**
 * A walk of at most the entry cap: past it, the oldest entries go, and with them the last second they
 * shared with the ones kept (some of that second may never have been walked).
 */
function capToEntries(config: Config, walk: WindowWalk): WindowWalk {
  if (walk.entries.length <= config.statsMaxEntries) return walk;
  const last = walk.entries[config.statsMaxEntries - 1];
  const heldSince = Math.max(walk.heldSince, nextSecond(Date.parse(last.time)));
  const entries = walk.entries.filter((entry) => Date.parse(entry.time) >= heldSince);
  return { ...walk, entries, heldSince };
}

/** What a top-up added (`entries`, newest first) to the kept walk listed as `on`. */
interface TopUp {
  entries: AuditLog[];
  on: Listing;
}

async function keep(config: Config, store: Store, walk: WindowWalk, topUp?: TopUp): Promise<void> {
  const key = keyOf(config, walk.since, walk.before);
  const remote = shared(store);
  const rest = remote && topUp ? await keptParts(remote, topUp.on) : null;
  const stored: Stored = rest && topUp ? { ...walk, entries: topUp.entries, rest } : walk;
  // Only what goes to Redis is serialised: a busy account's walk is tens of megabytes of JSON, and
  // serialising it just to weigh it would hold up every request for a good part of a second.
  const text = remote ? JSON.stringify(stored) : null;
  const size =
    text === null ? estimatedSize(walk.entries) : text.length + (rest && topUp ? topUp.on.size : 0);
  // A walk larger than the whole bound is not kept anywhere, Redis included.
  if (size > config.walkCacheBytes) return;
  store.local.set(key, walk, { size });
  const listing: Listing = {
    key,
    since: walk.since,
    before: walk.before,
    heldSince: walk.heldSince,
    until: Date.now() + WALK_TTL_MS,
    size,
    ...(rest ? { parts: rest } : {}),
  };
  if (!remote) {
    store.listings.set(key, listing);
    for (const [k] of store.listings) if (!store.local.has(k)) store.listings.delete(k);
    return;
  }
  // The same bound holds for the walks kept in Redis, all instances together: the oldest go first. A
  // topped-up walk holds the walk it was made from, whose listing it takes over.
  const list = [
    ...(await listings(config, store)).filter((l) => l.key !== key && !rest?.includes(l.key)),
    listing,
  ].sort((a, b) => a.until - b.until);
  let total = list.reduce((sum, l) => sum + l.size, 0);
  while (total > config.walkCacheBytes) {
    const gone = list.shift() as Listing;
    total -= gone.size;
    for (const part of [gone.key, ...(gone.parts ?? [])]) await remote.delete(part);
  }
  await remote.set(key, text as string, WALK_TTL_MS);
  await remote.set(listingKey(config), JSON.stringify(list), WALK_TTL_MS);
}

/** Entries sampled to weigh a walk kept in this process: its size is their mean times its length. */
const SIZE_SAMPLES = 64;

/** About the characters `JSON.stringify(entries)` would take, from an even sample of them. */
export function estimatedSize(entries: readonly AuditLog[]): number {
  if (entries.length <= SIZE_SAMPLES) return JSON.stringify(entries).length;
  const step = entries.length / SIZE_SAMPLES;
  let sampled = 0;
  for (let i = 0; i < SIZE_SAMPLES; i++) sampled += JSON.stringify(entries[Math.floor(i * step)]).length + 1;
  return Math.ceil((sampled / SIZE_SAMPLES) * entries.length) + 2;
}

/**
 * The keys of the parts a top-up of the walk listed as `on` continues into, each now kept as long as the
 * top-up will be; null when the walk is to be written whole instead (too many parts, or one is gone).
 */
async function keptParts(remote: SharedState, on: Listing): Promise<string[] | null> {
  const parts = [on.key, ...(on.parts ?? [])];
  if (parts.length > MAX_PARTS) return null;
  const kept = await Promise.all(parts.map((part) => remote.expire(part, WALK_TTL_MS)));
  return kept.every(Boolean) ? parts : null;
}

/** What a walk of a window brought back: complete, or cut short by the entry cap or the budget. */
export interface WalkOutcome {
  entries: AuditLog[];
  complete: boolean;
  /** The entries are every entry of `[heldSince, before)`. */
  heldSince: number;
  /** The budget refusal that stopped the walk, if it was stopped by one. */
  refusal?: unknown;
}

/**
 * Walk `[since, before)` unfiltered, newest first, once per window however many ask at the same time,
 * and keep it when it reached the window's start or the entry cap. A walk that meets a budget refusal
 * stops there and is not kept: the next view walks again.
 */
export function walkWindow(
  config: Config,
  since: number,
  before: number,
  ctx: CallContext,
  fetchPage: FetchPage,
  now: Date,
  { keep: keepIt = true }: { keep?: boolean } = {},
): Promise<WalkOutcome> {
  const store = storeFor(config);
  const key = keyOf(config, since, before);
  const under = store.inFlight.get(key);
  if (under) return under;
  const query: LogQuery = {
    ...loadQuery(new URLSearchParams()),
    range: DEFAULT_RANGE,
    since: isoAt(since),
    before: isoAt(before),
    direction: "desc",
  };
  const run = (async (): Promise<WalkOutcome> => {
    const entries: AuditLog[] = [];
    let cursor: string | null = null;
    const heldSince = () =>
      entries.length ? nextSecond(Date.parse(entries[entries.length - 1].time)) : before;
    const maxPages = Math.ceil(config.statsMaxEntries / PAGE_LIMIT) + 2;
    // The table's first page of this very window, fetched a moment ago, is the walk's first page too:
    // the walk goes on from its cursor at its own page size (a window it ends costs nothing more).
    let first = await keptFirstPage(config, query, { since, before });
    for (let pages = 0; pages < maxPages; pages++) {
      let page: LogPage;
      try {
        page = first ?? (await fetchPage(config, query, { cursor, limit: PAGE_LIMIT, now }, ctx));
        first = null;
      } catch (error) {
        if (isBudgetRefusal(error)) return { ...held(entries, heldSince()), complete: false, refusal: error };
        throw error;
      }
      entries.push(...page.data);
      cursor = page.nextCursor;
      if (cursor === null) {
        if (keepIt) await keep(config, store, { since, before, entries, heldSince: since });
        return { entries, complete: true, heldSince: since };
      }
      if (page.data.length === 0) break;
      if (entries.length >= config.statsMaxEntries) {
        const walk = capToEntries(config, { since, before, ...held(entries, heldSince()) });
        if (keepIt) await keep(config, store, walk);
        return { entries: walk.entries, complete: false, heldSince: walk.heldSince };
      }
    }
    return { ...held(entries, heldSince()), complete: false };
  })();
  store.inFlight.set(key, run);
  const forget = () => store.inFlight.delete(key);
  run.then(forget, forget);
  return run;
}

/** The entries of `[heldSince, …)`: the last second walked may be only partly there. */
function held(entries: AuditLog[], heldSince: number) {
  return { entries: entries.filter((entry) => Date.parse(entry.time) >= heldSince), heldSince };
}

/** The entries of a walk inside `[since, before)` that pass `test`, in the order asked. */
export function selectEntries(
  walk: WindowWalk,
  since: number,
  before: number,
  test: (entry: AuditLog) => boolean,
  direction: "asc" | "desc",
): AuditLog[] {
  const out = walk.entries.filter((entry) => {
    const ms = Date.parse(entry.time);
    return ms >= since && ms < before && test(entry);
  });
  return direction === "asc" ? out.reverse() : out;
}

/**
 * Up to `count` of the entries {@link selectEntries} would give, starting at the one with id `startId`
 * (or at the first): the scan stops once it has them, so a page from a walk of a busy week costs what the
 * page holds rather than the week. Null when no selected entry has the id `startId`.
 */
export function pageOfEntries(
  walk: WindowWalk,
  since: number,
  before: number,
  test: (entry: AuditLog) => boolean,
  direction: "asc" | "desc",
  startId: string | null,
  count: number,
): AuditLog[] | null {
  const { entries } = walk;
  const last = entries.length - 1;
  const out: AuditLog[] = [];
  let started = startId === null;
  for (let k = 0; k <= last && out.length < count; k++) {
    const entry = entries[direction === "asc" ? last - k : k];
    if (!started && entry.id !== startId) continue;
    const ms = Date.parse(entry.time);
    if (ms < since || ms >= before || !test(entry)) {
      if (!started) return null;
      continue;
    }
    started = true;
    out.push(entry);
  }
  return started ? out : null;
}

/** The walk cache's hits and misses since start, and its size in this process (the bench shows them). */
export function walkCacheStats(config: Config) {
  const { hits, partialHits, topUps, misses, local } = storeFor(config);
  return { hits, partialHits, topUps, misses, bytes: local.calculatedSize, walks: local.size };
}

/** Forget every kept walk (tests). */
export function resetWindowWalks(): void {
  stores.clear();
}
