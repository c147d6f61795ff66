import "server-only";
import { LRUCache } from "lru-cache";
import { canonicalFilters, DEFAULT_RANGE, type LogQuery } from "@/lib/search-params";
import {
  createStatsAccumulator,
  isoAt,
  planStatsWindow,
  type StatsEntry,
  type StatsPlan,
  type StatsResponse,
} from "@/lib/stats";
import { upstreamIdentity, type Config } from "./config";
import { fetchLogPage } from "./upstream";

/** Largest page the upstream serves; a stats walk always asks for full pages. */
export const STATS_PAGE_LIMIT = 1000;
export const STATS_CACHE_TTL_MS = 30_000;
export const STATS_CACHE_MAX = 200;

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
    const page = await fetchPage(cursor, limit);
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
 * values, the resolved (bucket-rounded) window and the bucket plan. `direction` and view parameters do
 * not change the answer and are left out.
 */
export function statsCacheKey(config: Config, query: LogQuery, plan: StatsPlan, buckets: number): string {
  return JSON.stringify({
    upstream: [...upstreamIdentity(config), config.statsMaxEntries],
    since: plan.since.toISOString(),
    before: plan.before.toISOString(),
    bucketMs: plan.bucketMs,
    buckets,
    filters: canonicalFilters(query),
  });
}

interface WalkContext {
  config: Config;
  query: LogQuery;
  plan: StatsPlan;
  now: Date;
}

export type FetchLogPage = typeof fetchLogPage;

/**
 * A stats service with its own short-lived cache. Identical concurrent requests share one walk (the
 * cache's `fetch` coalesces them onto one promise) and a repeat within the TTL is answered from memory,
 * so the chart and a reload do not spend the upstream budget twice. Failed walks are not kept.
 */
export function createStatsService({
  fetchPage = fetchLogPage,
  ttlMs = STATS_CACHE_TTL_MS,
  max = STATS_CACHE_MAX,
}: { fetchPage?: FetchLogPage; ttlMs?: number; max?: number } = {}) {
  const cache = new LRUCache<string, StatsResponse, WalkContext>({
    max,
    ttl: ttlMs,
    // The walk is shared by everyone waiting on this key, so one caller leaving must not end it; it is
    // bounded by the entry budget and each page's own deadline instead.
    fetchMethod: async (_key, _stale, { context: { config, query, plan, now }, signal }) => {
      // The window is pinned to absolute times and `now` is the same for every page, so it cannot move
      // while the walk goes on.
      const meta = { api: config.api, mode: config.mode };
      // An open end is rounded up to a bucket boundary; the upstream is only ever asked up to now.
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
        (cursor, limit) => fetchPage(config, walkQuery, { cursor, limit, signal, now }),
        meta,
      );
    },
  });

  return {
    cache,
    /** Counts for a query over its window, from the cache or from one (shared) walk. */
    async getStats(config: Config, query: LogQuery, buckets: number, now: Date = new Date()) {
      const plan = planStatsWindow(query, now, buckets);
      const key = statsCacheKey(config, query, plan, buckets);
      return cache.forceFetch(key, { context: { config, query, plan, now } });
    },
  };
}

const service = createStatsService();

/** Stats for the running server (one cache per process). Authorize the caller before calling this. */
export const getStats = service.getStats;
