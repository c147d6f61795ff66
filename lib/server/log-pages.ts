import "server-only";
import { LRUCache } from "lru-cache";
import { canonicalFilters, type LogQuery } from "@/lib/search-params";
import { upstreamIdentity, type Config } from "./config";
import { fetchLogPage, untilAborted, type PageOptions } from "./upstream";
import { ClientAbortError } from "./upstream-errors";

/** How long a page stays answerable from memory (security-reliability.md RES-6: 15–30 s). */
export const LOG_PAGE_TTL_MS = 15_000;
/**
 * Memory bound of the cached answers: their JSON text, counted at two bytes a character. A page of 100
 * entries is about half a megabyte, so this holds dozens of views; more is not worth the heap.
 */
export const LOG_PAGE_CACHE_BYTES = 16 * 1024 * 1024;

interface InFlight {
  /** The page as JSON text: serialized once, however many callers it answers. */
  promise: Promise<string>;
  controller: AbortController;
  waiters: number;
}

/**
 * The identity of a page request: the upstream it reads from, the time window as asked (a relative
 * range stays relative, so repeats within the TTL share it), the filters with sorted keys and values,
 * and the cursor and page size.
 */
export function logPageKey(config: Config, query: LogQuery, cursor: string | null, limit: number): string {
  return JSON.stringify({
    upstream: upstreamIdentity(config),
    window: query.since ? [query.since, query.before] : [query.range, query.before],
    direction: query.direction,
    filters: canonicalFilters(query),
    cursor,
    limit,
  });
}

/**
 * Pages of `/api/logs` with coalescing and a short-lived cache (RES-6). Identical concurrent requests
 * share one upstream call, and a repeat within the TTL is answered from memory, so many admins on one
 * view (or one admin reloading) spend the shared upstream budget once. Failures are not kept.
 *
 * The shared call runs on its own abort signal: a caller that goes away stops waiting at once, and the
 * call itself is aborted only when nobody waits for it any more. Authorize before calling: the cache
 * answers anyone who asks.
 */
export function createLogPages({
  fetchPage = fetchLogPage,
  ttlMs = LOG_PAGE_TTL_MS,
  maxBytes = LOG_PAGE_CACHE_BYTES,
}: { fetchPage?: typeof fetchLogPage; ttlMs?: number; maxBytes?: number } = {}) {
  const cache = new LRUCache<string, string>({
    ttl: ttlMs,
    // Expired answers are dropped on time, not on the next lookup: after a burst the heap shrinks back.
    ttlAutopurge: true,
    maxSize: maxBytes,
    sizeCalculation: (json) => Math.max(1, json.length * 2),
  });
  const inFlight = new Map<string, InFlight>();

  /** Start the shared call, on its own signal rather than the first caller's. */
  function start(key: string, config: Config, query: LogQuery, options: PageOptions): InFlight {
    const controller = new AbortController();
    const promise = fetchPage(config, query, { ...options, signal: controller.signal }).then((page) => {
      const json = JSON.stringify(page);
      cache.set(key, json);
      return json;
    });
    const call: InFlight = { promise, controller, waiters: 0 };
    const forget = () => {
      if (inFlight.get(key) === call) inFlight.delete(key);
    };
    promise.then(forget, forget);
    inFlight.set(key, call);
    return call;
  }

  return {
    cache,
    inFlight,
    /** One page for a query as JSON: from memory, from a call already under way, or from a new call. */
    async getPage(config: Config, query: LogQuery, options: PageOptions): Promise<string> {
      const { cursor = null, limit, signal } = options;
      const key = logPageKey(config, query, cursor, limit);
      const cached = cache.get(key);
      if (cached) return cached;
      if (signal?.aborted) throw new ClientAbortError();
      const call = inFlight.get(key) ?? start(key, config, query, options);
      call.waiters++;
      try {
        return signal ? await untilAborted(call.promise, signal) : await call.promise;
      } catch (error) {
        throw signal?.aborted ? new ClientAbortError() : error;
      } finally {
        if (--call.waiters === 0) {
          // The last caller left before the answer: end the call and let the next caller start afresh.
          if (inFlight.get(key) === call) inFlight.delete(key);
          call.controller.abort();
        }
      }
    },
  };
}

const pages = createLogPages();

/** `/api/logs` pages for the running server (one cache per process). Authorize the caller first. */
export const getLogPage = pages.getPage;
/** Forget every cached answer (a changed configuration in tests; calls under way finish normally). */
export const clearLogPages = () => pages.cache.clear();
