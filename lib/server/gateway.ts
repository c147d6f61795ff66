import "server-only";
import { canonicalFilters, loadQuery, resolveTimeWindow, type LogQuery } from "@/lib/search-params";
import type { Viewer } from "./auth";
import { breakerPauseMs, pausedProblem, throughBreaker } from "./breaker";
import {
  budgetOptions,
  createBudget,
  INTERACTIVE_WAIT_MS,
  isBudgetRefusal,
  type Budget,
  type Spender,
} from "./budget";
import { upstreamIdentity, type Config } from "./config";
import { fetchHistory, type HistoryPage, type HistoryRequest } from "./history";
import { ProblemError } from "./problem";
import { getProductCategories, type ProductCategory } from "./product-categories";
import { createSharedCache, type SharedCache } from "./shared-cache";
import { getSharedState, type SharedState } from "./shared-state";
import { resetWindowWalks } from "./window-walk";
import {
  attemptGet,
  fetchLogPage,
  upstreamDefaults,
  type LogPage,
  requestNow,
  type PageOptions,
  type Send,
} from "./upstream";

/**
 * The only door to the upstream. Every call the dashboard makes to Cloudflare passes here, in this
 * order: the cache and the coalescing of identical calls (a hit costs nothing), the circuit breaker (no
 * call while the upstream is failing), the budget (a call is paid for before it leaves, retries too),
 * then the transport. Services call the gateway; nothing else calls the transport.
 */

/** How long a page stays answerable from the cache (15–30 s keeps a shared view fresh enough). */
export const LOG_PAGE_TTL_MS = 15_000;
export const STATS_CACHE_TTL_MS = 30_000;

export interface CallContext extends Spender {
  /** Told each time the call waits for the budget (an export reports it as progress). */
  onWait?: (ms: number) => void;
  /** How long to wait for the budget; default: 2 s for a person or the overview, unbounded for an export. */
  maxWaitMs?: number;
}

interface Parts {
  state: SharedState;
  budget: Budget;
  cache: SharedCache;
  /** The last call that got an answer: proof enough of reachability for the health probe. */
  lastAnswer: { at: number; latencyMs: number } | null;
}

const gateways = new Map<string, Parts>();

function partsFor(config: Config): Parts {
  // One budget per token: accounts sharing a token share its budget (cache keys name the account).
  const key = JSON.stringify([
    config.mode,
    config.baseUrl,
    config.tokenGroup,
    config.budget,
    config.instances,
    config.viewerShare,
    config.redisUrl,
  ]);
  let parts = gateways.get(key);
  if (!parts) {
    const state = getSharedState(config);
    parts = {
      state,
      budget: createBudget(budgetOptions(config, state)),
      cache: createSharedCache({ remote: state.kind() === "memory" ? null : state }),
      lastAnswer: null,
    };
    gateways.set(key, parts);
  }
  return parts;
}

/** The spender for a viewer: nobody signs in with AUTH_MODE=none, so only the total applies then. */
export function spender(priority: Spender["priority"], viewer: Viewer): CallContext {
  return { priority, viewer: viewer.method === "none" ? null : viewer.id };
}

/** How long each priority may wait for the budget: a person briefly, an export until its deadline. */
function maxWaitOf(ctx: CallContext): number {
  if (ctx.maxWaitMs !== undefined) return ctx.maxWaitMs;
  return ctx.priority === "export" ? Number.POSITIVE_INFINITY : INTERACTIVE_WAIT_MS;
}

/** The sender of one upstream call on behalf of `ctx`: breaker, budget and transport. */
export function sender(config: Config, ctx: CallContext): Send {
  const parts = partsFor(config);
  const { state, budget } = parts;
  return async (call) => {
    for (;;) {
      const pausedMs = await breakerPauseMs(config, state);
      if (pausedMs > 0) throw pausedProblem(pausedMs);
      const spend = () =>
        budget.spend(ctx, { signal: call.signal, maxWaitMs: maxWaitOf(ctx), onWait: ctx.onWait });
      await spend();
      const started = performance.now();
      try {
        const answer = await throughBreaker(
          config,
          () =>
            attemptGet(config, call, {
              beforeRetry: spend,
              onHeaders: (status, headers) => budget.observe(status, headers),
            }),
          state,
        );
        parts.lastAnswer = { at: Date.now(), latencyMs: Math.round(performance.now() - started) };
        return answer;
      } catch (error) {
        // An export outlives a rate limit: the budget is paused until the upstream's time is up, and
        // the next round waits for that instead of failing the download. Only a caller that may wait
        // without bound does: an export's check has a person waiting for its answer.
        if (maxWaitOf(ctx) === Number.POSITIVE_INFINITY && isRateLimited(error) && !call.signal?.aborted) {
          ctx.onWait?.(((error as ProblemError).init.retryAfter ?? 1) * 1000);
          continue;
        }
        throw error;
      }
    }
  };
}

function isRateLimited(error: unknown): boolean {
  return error instanceof ProblemError && error.init.slug === "upstream-rate-limited";
}

/**
 * The identity of a page request: the upstream it reads from, the time window as asked (a relative range
 * stays relative, so repeats within the TTL share it), the filters with sorted keys and values, and the
 * cursor and page size.
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

export interface GatewayPageOptions extends PageOptions {
  /** Keep the answer for others (default). An export's later pages are read once and not kept. */
  cache?: boolean;
}

/** One page as JSON text: from the cache, from an identical call under way, or from a new call. */
export function logPageJson(
  config: Config,
  query: LogQuery,
  options: GatewayPageOptions,
  ctx: CallContext,
): Promise<string> {
  const { cache } = partsFor(config);
  const { signal, cache: keep = true, ...rest } = options;
  const key = `page:${logPageKey(config, query, options.cursor ?? null, options.limit)}`;
  const produce = async (callSignal: AbortSignal) => {
    const now = rest.now ?? requestNow(config);
    // Named by its window before the call, so a walk of that window starting meanwhile waits for it.
    if (keep && !options.cursor)
      await indexFirstPage(cache, config, query, resolveTimeWindow(query, now), key);
    const page = await fetchLogPage(config, query, { ...rest, now, signal: callSignal }, sender(config, ctx));
    return JSON.stringify(page);
  };
  if (!keep) return produce(signal ?? new AbortController().signal);
  return cache.get(key, produce, {
    signal,
    ttlMs: LOG_PAGE_TTL_MS,
    lockMs: options.deadlineMs ?? config.upstreamTimeoutMs,
  });
}

/**
 * The key naming a first page by the window it resolved to, in milliseconds: a relative range is kept
 * under its name (see {@link logPageKey}), but a walk asks for a window in absolute times.
 */
function firstPageKey(config: Config, query: LogQuery, window: { since: number; before: number }): string {
  return `first:${JSON.stringify({
    upstream: upstreamIdentity(config),
    window: [window.since, window.before],
    direction: query.direction,
    filters: canonicalFilters(query),
  })}`;
}

/** Point the window of a first page at that page's cache key, for as long as the page is kept. */
async function indexFirstPage(
  cache: SharedCache,
  config: Config,
  query: LogQuery,
  window: { since: Date; before: Date },
  key: string,
): Promise<void> {
  const at = { since: window.since.getTime(), before: window.before.getTime() };
  // The index only saves calls: a shared store that fails here must not fail the page.
  await cache.put(firstPageKey(config, query, at), key, LOG_PAGE_TTL_MS).catch(() => {});
}

/**
 * The first page of `[since, before)` for `query` (its filters and direction), when the cache holds one
 * fetched for exactly that window, or this process is fetching it: the table's first page, which the
 * activity overview's walk of the same window starts from instead of fetching those rows again. Null
 * when none is kept or it cannot be continued at another page size: v1 numbers its pages, so only a v1
 * page that ends the window will do.
 */
export async function keptFirstPage(
  config: Config,
  query: LogQuery,
  window: { since: number; before: number },
): Promise<LogPage | null> {
  const { cache } = partsFor(config);
  const found = async () => {
    const pointer = await cache.peek(firstPageKey(config, query, window));
    return pointer === null ? null : cache.peek(pointer);
  };
  const text = await found().catch(() => null);
  if (text === null) return null;
  const page = JSON.parse(text) as LogPage;
  const same = Date.parse(page.meta.since) === window.since && Date.parse(page.meta.before) === window.before;
  if (!same || page.meta.dataQuality || page.meta.source) return null;
  if (page.nextCursor !== null && config.api !== "v2") return null;
  return page;
}

/** One page as an object (the page prefetch, exports). */
export async function logPage(
  config: Config,
  query: LogQuery,
  options: GatewayPageOptions,
  ctx: CallContext,
): Promise<LogPage> {
  if (options.cache === false) return fetchLogPage(config, query, options, sender(config, ctx));
  return JSON.parse(await logPageJson(config, query, options, ctx)) as LogPage;
}

/** One page of a resource's change history. */
export function history(
  config: Config,
  request: HistoryRequest,
  ctx: CallContext,
  options: { signal?: AbortSignal } = {},
): Promise<HistoryPage> {
  return fetchHistory(config, request, sender(config, ctx), options);
}

/** The account's product categories (kept for hours by their own module). */
export function productCategories(
  config: Config,
  ctx: CallContext,
  options: { signal?: AbortSignal } = {},
): Promise<ProductCategory[]> {
  return getProductCategories(config, sender(config, ctx), options);
}

/**
 * Any other answer derived from upstream calls (the activity overview's walk), kept and coalesced in
 * the same cache as pages.
 */
export function cached(
  config: Config,
  key: string,
  produce: (signal: AbortSignal) => Promise<string>,
  options: { ttlMs: number; keep?: (text: string) => boolean; signal?: AbortSignal },
): Promise<string> {
  return partsFor(config).cache.get(key, produce, { ...options, lockMs: 60_000 });
}

/** The budget as health shows it. */
export function budgetStatus(config: Config) {
  return partsFor(config).budget.status();
}

export interface UpstreamHealth {
  reachable: boolean;
  latencyMs: number;
  /** The problem slug when unreachable, e.g. `upstream-auth`. */
  error?: string;
  /** The probe was not sent: the budget is spent (which says nothing against the upstream). */
  skipped?: "budget";
}

const HEALTH_TTL_MS = 10_000;
const healthCache = new WeakMap<Config, { at: number; result: Promise<UpstreamHealth> }>();

/**
 * Cheap upstream probe (one list call for one entry over the last hour), remembered for 10 s so a
 * readiness poller does not spend the token's request budget. It is background work: it never takes
 * the calls kept for people, and never waits for them. A probe the budget refuses is skipped, not
 * failed: a spent budget must not make a load balancer take every instance out.
 */
export function checkUpstream(
  config: Config,
  deadlineMs = upstreamDefaults.healthDeadlineMs,
): Promise<UpstreamHealth> {
  const cachedProbe = healthCache.get(config);
  if (cachedProbe && Date.now() - cachedProbe.at < HEALTH_TTL_MS) return cachedProbe.result;
  const result = probe(config, deadlineMs);
  healthCache.set(config, { at: Date.now(), result });
  return result;
}

async function probe(config: Config, deadlineMs: number): Promise<UpstreamHealth> {
  // A call that got an answer a moment ago says as much as a probe would, and costs nothing.
  const last = partsFor(config).lastAnswer;
  if (last && Date.now() - last.at < HEALTH_TTL_MS) return { reachable: true, latencyMs: last.latencyMs };
  const started = performance.now();
  const query = loadQuery(new URLSearchParams({ range: "1h" }));
  try {
    await logPage(
      config,
      query,
      { limit: 1, deadlineMs },
      { priority: "export", viewer: null, maxWaitMs: 0 },
    );
    return { reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (isBudgetRefusal(error)) return { reachable: true, latencyMs: 0, skipped: "budget" };
    const slug = error instanceof ProblemError ? error.init.slug : "internal";
    // ProblemError causes are already scrubbed of credentials; anything else is unexpected.
    if (error instanceof ProblemError)
      console.warn(`upstream health probe: ${error.message}`, error.cause ?? "");
    else console.error("upstream health probe failed unexpectedly", error);
    return { reachable: false, latencyMs: Math.round(performance.now() - started), error: slug };
  }
}

/** Forget every cached answer, budget and count (tests; a changed configuration). */
export function resetGateways(): void {
  for (const { cache } of gateways.values()) cache.clear();
  gateways.clear();
  resetWindowWalks();
}
