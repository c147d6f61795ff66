import "server-only";
import { activeFilters, canonicalFilters, DEFAULT_RANGE, type LogQuery } from "@/lib/search-params";
import {
  createStatsAccumulator,
  isoAt,
  planStatsWindow,
  type StatsEntry,
  type StatsPlan,
  type StatsResponse,
} from "@/lib/stats";
import { isBudgetRefusal } from "./budget";
import { upstreamIdentity, type Config } from "./config";
import { cached as gatewayCached, logPage, STATS_CACHE_TTL_MS, type CallContext } from "./gateway";
import { localFilter } from "./local-filter";
import { createSharedCache } from "./shared-cache";
import type { LogPage, PageOptions } from "./upstream";
import { holdsFrom, selectEntries, walkCovering, walkWindow, type WindowWalk } from "./window-walk";
/** Largest page the upstream serves; a stats walk always asks for full pages. */
export const STATS_PAGE_LIMIT = 1000;
export { STATS_CACHE_TTL_MS };
/**
 * A filter whose own upstream walk is expected to take at most this many calls, and to be complete, is
 * walked upstream even when a capped walk could answer it locally: for a page or two, its counts hold the
 * whole window.
 */
export const SELECTIVE_WALK_CALLS = 2;

/** One page of a walk: the entries (newest first) and the cursor of the next page, if any. */
export type StatsPageSource = (
  cursor: string | null,
  limit: number,
) => Promise<{ data: StatsEntry[]; nextCursor: string | null }>;

/**
 * Walk pages newest first, counting each entry, until the upstream has no more or `maxEntries` have been
 * walked. The coverage says which: a partial answer is never passed off as complete.
 */
export async function walkStats(
  plan: StatsPlan,
  maxEntries: number,
  fetchPage: StatsPageSource,
  meta: StatsResponse["meta"],
): Promise<StatsResponse> {
  const acc = createStatsAccumulator(plan);
  // Upstream calls are bounded as well as entries: an upstream that answers short pages is cut off here
  // (and the answer reported partial), one that answers empty pages with a cursor stops at once.
  const maxPages = Math.ceil(maxEntries / STATS_PAGE_LIMIT) + 2;
  let walked = 0;
  let cursor: string | null = null;
  let complete = false;
  // One page size for the whole walk: v1 pages are numbered, so a smaller last page would overlap.
  const limit = Math.min(STATS_PAGE_LIMIT, maxEntries);
  for (let pages = 0; pages < maxPages; pages++) {
    let page: Awaited<ReturnType<StatsPageSource>>;
    try {
      page = await fetchPage(cursor, limit);
    } catch (error) {
      // The budget is spent: what was walked is still true, and the answer says why it stops there.
      if (isBudgetRefusal(error)) return acc.finish(false, meta, "budget");
      throw error;
    }
    const taken = page.data.slice(0, maxEntries - walked);
    for (const entry of taken) acc.add(entry);
    walked += taken.length;
    cursor = page.nextCursor;
    if (cursor === null) {
      complete = taken.length === page.data.length;
      break;
    }
    if (walked >= maxEntries || page.data.length === 0) break;
  }
  return acc.finish(complete, meta);
}

/**
 * The identity of a stats request: the configuration it reads from, the filters with sorted keys and
 * values, the window and the bucket plan. `direction` and view parameters do not change the answer and
 * are left out.
 *
 * An open end ("the last 24 hours") now ends at the request's instant, so its resolved window changes
 * every millisecond: keyed by it, no two requests would ever share an answer. It is keyed as asked
 * instead, as the table's pages are, and a repeat within the TTL gets the answer (and window) of the
 * first request. That window lies in the past, never in the future. The browser pins the overview to the
 * table's window, which also comes from the page cache while it lives, so reloads of the same relative
 * range share both the page and the counts.
 */
export function statsCacheKey(config: Config, query: LogQuery, plan: StatsPlan, buckets: number): string {
  const pinned = !!query.since && !!query.before;
  return JSON.stringify({
    upstream: [...upstreamIdentity(config), config.statsMaxEntries],
    window: pinned
      ? [plan.since.toISOString(), plan.before.toISOString(), plan.bucketMs]
      : [query.since ? plan.since.toISOString() : query.range, "now"],
    buckets,
    filters: canonicalFilters(query),
  });
}

/** Where a walk's pages come from: the gateway in production, a fake in unit tests. */
export type FetchLogPage = (
  config: Config,
  query: LogQuery,
  options: PageOptions,
  ctx: CallContext,
) => Promise<LogPage>;

/** Keeps and coalesces walks: the gateway's cache in production, a cache of their own in tests. */
export type StatsCache = (
  config: Config,
  key: string,
  produce: (signal: AbortSignal) => Promise<string>,
  options: { ttlMs: number; keep?: (text: string) => boolean },
) => Promise<string>;

function ownCache(): StatsCache {
  const cache = createSharedCache();
  return (_config, key, produce, options) => cache.get(key, produce, options);
}

/**
 * The stats service. Identical concurrent requests share one walk and a repeat within the TTL is
 * answered from the cache, so the chart and a reload do not spend the upstream budget twice. Failed
 * walks and walks the budget cut short are not kept. The walk runs at the overview's priority: below a
 * page of rows, above exports.
 */
export function createStatsService({
  fetchPage = (config, query, options, ctx) => logPage(config, query, { ...options, cache: false }, ctx),
  ttlMs = STATS_CACHE_TTL_MS,
  cache = ownCache(),
  walks = false,
}: {
  fetchPage?: FetchLogPage;
  ttlMs?: number;
  cache?: StatsCache;
  /** Answer from kept window walks, and keep the unfiltered walks made here (the running server). */
  walks?: boolean;
} = {}) {
  /**
   * Counts from an unfiltered walk of the window, filtered here: a kept one, or else a new one (the first
   * view of a window walks it once, whatever its filters, and keeps the walk for the next filter change).
   * A walk the entry cap stopped holds the window's newest part only: the counts cover that part and say
   * so, unless the filter is selective enough that its own upstream walk costs little (then null, and the
   * query is walked upstream).
   */
  async function fromWalk(
    config: Config,
    query: LogQuery,
    plan: StatsPlan,
    now: Date,
    ctx: CallContext,
  ): Promise<StatsResponse | null> {
    const test = localFilter(config.api, query);
    if (!walks || !test) return null;
    const meta = { api: config.api, mode: config.mode };
    const since = plan.since.getTime();
    const before = Math.min(plan.before.getTime(), Math.ceil(now.getTime() / 1000) * 1000);
    if (before <= since) return null;
    let walk: WindowWalk | null = await walkCovering(config, since, before, ctx, fetchPage, now);
    let refusal: unknown;
    if (!walk) {
      // A relative range's table starts up to one bucket before the overview's first bucket: walking
      // that bucket too lets the walk answer the table's filter changes as well.
      const from = query.since ? since : since - plan.bucketMs;
      const outcome = await walkWindow(config, from, before, ctx, fetchPage, now);
      walk = { since: from, before, entries: outcome.entries, heldSince: outcome.heldSince };
      refusal = outcome.refusal;
    }
    if (holdsFrom(walk, since)) {
      const selected = selectEntries(walk, since, before, test, "desc");
      // The same counting as an upstream walk, over pages of the walk held here.
      return walkStats(
        plan,
        config.statsMaxEntries,
        async (cursor, limit) => {
          const from = Number(cursor ?? 0);
          const data = selected.slice(from, from + limit);
          const end = from + data.length;
          return { data, nextCursor: end < selected.length ? String(end) : null };
        },
        meta,
      );
    }
    const heldSince = Math.min(walk.heldSince, before);
    const selected = selectEntries(walk, heldSince, before, test, "desc");
    if (!refusal && activeFilters(query).length > 0) {
      // What an upstream walk of this filter would take, at the rate it matches in the part held here.
      const expected = (selected.length * (before - since)) / Math.max(1, before - heldSince);
      if (expected <= Math.min(config.statsMaxEntries, SELECTIVE_WALK_CALLS * STATS_PAGE_LIMIT)) return null;
    }
    const acc = createStatsAccumulator(plan);
    for (const entry of selected) acc.add(entry);
    const answer = acc.finish(false, meta, refusal ? "budget" : "entries");
    // Every entry from there on is counted, matching or not: that, not the oldest match, is how far back
    // the counts hold.
    answer.coverage.oldestCovered = heldSince < before ? isoAt(heldSince) : null;
    return answer;
  }

  async function walk(
    config: Config,
    query: LogQuery,
    plan: StatsPlan,
    now: Date,
    ctx: CallContext,
    signal: AbortSignal,
  ) {
    // The window is pinned to absolute times and `now` is the same for every page, so it cannot move
    // while the walk goes on.
    const meta = { api: config.api, mode: config.mode };
    // The window never ends after now; whole seconds are what the upstream takes.
    const beforeMs = Math.min(plan.before.getTime(), Math.ceil(now.getTime() / 1000) * 1000);
    if (beforeMs <= plan.since.getTime()) return createStatsAccumulator(plan).finish(true, meta);
    const walkQuery: LogQuery = {
      ...query,
      range: DEFAULT_RANGE,
      since: isoAt(plan.since.getTime()),
      before: isoAt(beforeMs),
      direction: "desc",
    };
    return walkStats(
      plan,
      config.statsMaxEntries,
      (cursor, limit) => fetchPage(config, walkQuery, { cursor, limit, signal, now }, ctx),
      meta,
    );
  }

  return {
    /** Counts for a query over its window, from the cache or from one (shared) walk. */
    async getStats(
      config: Config,
      query: LogQuery,
      buckets: number,
      now: Date = new Date(),
      ctx: CallContext = { priority: "overview", viewer: null },
    ): Promise<StatsResponse> {
      const plan = planStatsWindow(query, now, buckets);
      const local = await fromWalk(config, query, plan, now, ctx);
      if (local) return local;
      const key = `stats:${statsCacheKey(config, query, plan, buckets)}`;
      // The walk is shared by everyone waiting on this key, so one caller leaving must not end it; it is
      // bounded by the entry cap and each page's own deadline instead.
      const text = await cache(
        config,
        key,
        async (signal) => JSON.stringify(await walk(config, query, plan, now, ctx, signal)),
        { ttlMs, keep: (json) => !json.includes('"stoppedBy":"budget"') },
      );
      return JSON.parse(text) as StatsResponse;
    },
  };
}

const service = createStatsService({ cache: gatewayCached, walks: true });

/** Stats for the running server. Authorize the caller before calling this. */
export const getStats = service.getStats;
