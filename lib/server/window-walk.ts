import "server-only";
import { LRUCache } from "lru-cache";
import type { AuditLog } from "@/lib/audit-log";
import { DEFAULT_RANGE, loadQuery, type LogQuery } from "@/lib/search-params";
import { isoAt } from "@/lib/stats";
import { isBudgetRefusal } from "./budget";
import { upstreamIdentity, type Config } from "./config";
import type { CallContext } from "./gateway";
import { getSharedState, type SharedState } from "./shared-state";
import type { LogPage, PageOptions } from "./upstream";

/**
 * Complete, unfiltered walks of a window, kept so that a filter change within that window is answered
 * here (filters applied locally, exact counts) instead of upstream. A walk is kept only when it reached
 * the window's start within the entry cap; its entries are newest first, in the upstream's order.
 */
export interface WindowWalk {
  since: number;
  before: number;
  entries: AuditLog[];
}

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

interface Store {
  /** Parsed walks of this process, bounded by the size of their JSON text. */
  local: LRUCache<string, WindowWalk>;
  /** The windows this process knows of, so a request for a narrower window finds a wider walk. */
  windows: Map<string, { since: number; before: number; until: number }>;
  remote: SharedState | null;
  inFlight: Map<string, Promise<WalkOutcome>>;
  hits: number;
  /** Lookups answered by a kept walk topped up with the entries logged after it. */
  topUps: number;
  misses: number;
}

const stores = new Map<string, Store>();

function storeFor(config: Config): Store {
  const id = JSON.stringify([
    ...upstreamIdentity(config),
    config.statsMaxEntries,
    config.walkCacheBytes,
    config.redisUrl,
  ]);
  let store = stores.get(id);
  if (!store) {
    const state = getSharedState(config);
    store = {
      local: new LRUCache({ maxSize: config.walkCacheBytes, ttl: WALK_TTL_MS, ttlAutopurge: true }),
      windows: new Map(),
      remote: state.kind() === "memory" ? null : state,
      inFlight: new Map(),
      hits: 0,
      topUps: 0,
      misses: 0,
    };
    stores.set(id, store);
  }
  return store;
}

const keyOf = (config: Config, since: number, before: number) =>
  `walk:${JSON.stringify([...upstreamIdentity(config), config.statsMaxEntries, since, before])}`;

async function read(store: Store, key: string): Promise<WindowWalk | null> {
  const local = store.local.get(key);
  if (local) return local;
  const text = store.remote ? await store.remote.get(key) : null;
  if (text === null) return null;
  const walk = JSON.parse(text) as WindowWalk;
  store.local.set(key, walk, { size: text.length });
  return walk;
}

/** A kept walk holding `[since, before)` whole, or else the widest one that starts early enough. */
async function lookup(
  config: Config,
  since: number,
  before: number,
): Promise<{ whole: WindowWalk | null; start: WindowWalk | null }> {
  const store = storeFor(config);
  const now = Date.now();
  const exact = await read(store, keyOf(config, since, before));
  if (exact) return { whole: exact, start: null };
  let start: WindowWalk | null = null;
  for (const [key, w] of store.windows) {
    if (w.until <= now) store.windows.delete(key);
    else if (w.since > since || w.before < since) continue;
    else if (w.before >= before) {
      const walk = await read(store, key);
      if (walk) return { whole: walk, start: null };
    } else if (!start || w.before > start.before) start = (await read(store, key)) ?? start;
  }
  return { whole: null, start };
}

/** A complete walk holding the whole window `[since, before)`, if one is kept; counted as a hit or miss. */
export async function findWalk(config: Config, since: number, before: number): Promise<WindowWalk | null> {
  const store = storeFor(config);
  const { whole } = await lookup(config, since, before);
  if (whole) store.hits++;
  else store.misses++;
  return whole;
}

/**
 * A complete walk holding `[since, before)`: a kept one, or a kept one that starts early enough and
 * ends earlier, topped up with a walk of what came after it (usually one call: the entries logged
 * since). The window of a relative range moves with the clock, so this is what keeps a view's
 * filter changes off the upstream. Null when no kept walk starts early enough.
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
  const { whole, start } = await lookup(config, since, before);
  if (whole) {
    store.hits++;
    return whole;
  }
  if (!start) {
    store.misses++;
    return null;
  }
  const later = await walkWindow(config, start.before, before, ctx, fetchPage, now, { keep: false });
  if (!later.complete) {
    store.misses++;
    return null;
  }
  store.topUps++;
  const walk = { since: start.since, before, entries: [...later.entries, ...start.entries] };
  await keep(config, store, walk);
  return walk;
}

async function keep(config: Config, store: Store, walk: WindowWalk): Promise<void> {
  const key = keyOf(config, walk.since, walk.before);
  const text = JSON.stringify(walk);
  const size = text.length;
  // A walk larger than the whole bound is not kept anywhere, Redis included.
  if (size > config.walkCacheBytes) return;
  store.local.set(key, walk, { size });
  store.windows.set(key, { since: walk.since, before: walk.before, until: Date.now() + WALK_TTL_MS });
  await store.remote?.set(key, text, WALK_TTL_MS);
}

/** What a walk of a window brought back: complete, or cut short by the entry cap or the budget. */
export interface WalkOutcome {
  entries: AuditLog[];
  complete: boolean;
  /** The budget refusal that stopped the walk, if it was stopped by one. */
  refusal?: unknown;
}

/**
 * Walk `[since, before)` unfiltered, newest first, once per window however many ask at the same time,
 * and keep it when complete. A walk that passes the entry cap or meets a budget refusal stops there
 * and is not kept (then filtered queries go upstream as before).
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
    const maxPages = Math.ceil(config.statsMaxEntries / PAGE_LIMIT) + 2;
    for (let pages = 0; pages < maxPages; pages++) {
      let page: LogPage;
      try {
        page = await fetchPage(config, query, { cursor, limit: PAGE_LIMIT, now }, ctx);
      } catch (error) {
        if (isBudgetRefusal(error)) return { entries, complete: false, refusal: error };
        throw error;
      }
      entries.push(...page.data);
      cursor = page.nextCursor;
      if (entries.length > config.statsMaxEntries || page.data.length === 0) break;
      if (cursor === null) {
        if (keepIt) await keep(config, store, { since, before, entries });
        return { entries, complete: true };
      }
    }
    return { entries, complete: false };
  })();
  store.inFlight.set(key, run);
  const forget = () => store.inFlight.delete(key);
  run.then(forget, forget);
  return run;
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

/** The walk cache's hits and misses since start, and its size in this process (the bench shows them). */
export function walkCacheStats(config: Config) {
  const { hits, topUps, misses, local } = storeFor(config);
  return { hits, topUps, misses, bytes: local.calculatedSize, walks: local.size };
}

/** Forget every kept walk (tests). */
export function resetWindowWalks(): void {
  stores.clear();
}
