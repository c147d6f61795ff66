import "server-only";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "./config";
import { ProblemError } from "./problem";
import type { BudgetStatus } from "@/lib/budget-query";
import type { SharedState } from "./shared-state";
import { retryAfterOf } from "./upstream";
import { ClientAbortError } from "./upstream-errors";

/**
 * Who spends a call, highest priority first: a person waiting on rows, an entry or a history; the
 * activity overview; exports and any other background walk.
 */
export type Priority = "interactive" | "overview" | "export";

export interface Spender {
  priority: Priority;
  /** The signed-in viewer's id, or null when nobody signs in (then only the total applies). */
  viewer: string | null;
}

/**
 * The share of each slice a priority may fill: what lies above a lower priority's share stays free for
 * the ones above it, so an export or the overview can never take the calls a person is waiting for.
 */
export const PRIORITY_SHARE: Record<Priority, number> = { interactive: 1, overview: 0.75, export: 0.5 };

/**
 * The window is cut into this many fixed slices, counted apart. Any span of the window's length lies
 * within one more slice than that, so a call goes only while the last `SLICES + 1` slices, its own
 * included, hold fewer calls than the budget: then no such span ever sees more than the budget, wherever
 * Cloudflare's own window starts.
 */
export const SLICES = 10;
/** The smallest budget that leaves every slice at least one call. */
export const MIN_BUDGET = SLICES + 1;
/**
 * The steady share of a slice, an eleventh of the budget, is what the overview and exports pace
 * themselves by. People may take more of one slice, up to this share of the whole budget, from what the
 * slices before left unused: twenty admins opening the dashboard at once are served, not refused.
 */
export const INTERACTIVE_BURST = 0.25;

/** How long a person's request may wait for the next slice before it is answered 503. */
export const INTERACTIVE_WAIT_MS = 2_000;

/** Pause when the upstream refused with 429 but said nothing about how long. */
const DEFAULT_PAUSE_MS = 60_000;
/** An upstream that says this few calls are left is treated as spent until its reset. */
const UPSTREAM_RESERVE = 2;
const PAUSE_KEY = "budget:paused-until";
/** The calls waiting for room, on every instance sharing the store. */
const WAITING_SET = "budget:waiting";

/** The budget refused a call: 503 `upstream-budget` with the seconds until calls are possible again. */
export function budgetExhausted(retryAfterMs: number, reason: "budget" | "viewer" | "paused"): ProblemError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const detail =
    reason === "paused"
      ? `Cloudflare asked this dashboard to slow down; calls resume in ${retryAfter} seconds.`
      : reason === "viewer"
        ? `You have used your share of this dashboard's Cloudflare API budget for now; try again in ${retryAfter} seconds.`
        : `This dashboard has spent its Cloudflare API budget for now; try again in ${retryAfter} seconds.`;
  return new ProblemError({
    status: 503,
    slug: "upstream-budget",
    title: "API budget spent",
    detail,
    retryAfter,
  });
}

export function isBudgetRefusal(error: unknown): error is ProblemError {
  return error instanceof ProblemError && error.init.slug === "upstream-budget";
}

type Refusal = { waitMs: number; reason: "budget" | "viewer" | "paused" };

export interface Budget {
  /** Spend one call, waiting up to `maxWaitMs` for room; throws `upstream-budget` past that. */
  spend(
    spender: Spender,
    options?: { signal?: AbortSignal; maxWaitMs?: number; onWait?: (ms: number) => void },
  ): Promise<void>;
  /** Stop every call (on every instance sharing the store) until `untilMs`. */
  pause(untilMs: number): Promise<void>;
  /** Read an upstream answer's rate-limit signals: a 429 or an exhausted quota pauses the budget. */
  observe(status: number, headers: Headers): void;
  status(): Promise<BudgetStatus>;
}

export interface BudgetOptions {
  state: SharedState;
  calls: number;
  windowSeconds: number;
  /** Instances sharing the budget: each keeps `1/instances` of it while the shared store is down. */
  instances: number;
  viewerShare: number;
  /** Names this budget's counters in the store: each token has its own (the config's `tokenGroup`). */
  scope?: string;
  now?: () => number;
}

/** A budget from the configuration: `UPSTREAM_BUDGET`, `UPSTREAM_INSTANCES`, `UPSTREAM_VIEWER_SHARE`. */
export function budgetOptions(config: Config, state: SharedState): BudgetOptions {
  return {
    state,
    calls: config.budget.calls,
    windowSeconds: config.budget.windowSeconds,
    instances: config.instances,
    viewerShare: config.viewerShare,
    scope: config.tokenGroup,
  };
}

/**
 * The upstream call budget: fixed slices of a tenth of the window, counted by `rate-limiter-flexible`
 * in the shared store (one key per slice, so every instance counts into the same one). A call goes when
 * the last eleven slices leave room for it (the budget over any window-long span) and its own slice is
 * below its priority's share: an eleventh of the budget, scaled by {@link PRIORITY_SHARE}, or for people
 * up to {@link INTERACTIVE_BURST} of the budget. A viewer's calls are counted apart the same way.
 */
export function createBudget(options: BudgetOptions): Budget {
  const { state, calls, windowSeconds, instances, viewerShare } = options;
  const scoped = (name: string) => (options.scope ? `${name}:${options.scope}` : name);
  const pauseKey = scoped(PAUSE_KEY);
  const waitingSet = scoped(WAITING_SET);
  const now = options.now ?? Date.now;
  const sliceMs = (windowSeconds * 1000) / SLICES;
  const perSlice = Math.max(1, Math.floor(calls / (SLICES + 1)));
  const burst = Math.max(perSlice, Math.floor(calls * INTERACTIVE_BURST));
  // Counters outlive their slice by a window, so the slices before can be added up.
  const durationSeconds = Math.ceil(windowSeconds + 2 * (sliceMs / 1000)) + 1;
  const total = state.limiter({
    keyPrefix: scoped("budget"),
    points: calls,
    durationSeconds,
    localPoints: Math.floor(calls / instances),
  });
  const viewerCalls = Math.max(1, Math.floor(calls * viewerShare));
  const perViewer = state.limiter({
    keyPrefix: scoped("budget-viewer"),
    points: viewerCalls,
    durationSeconds,
    localPoints: Math.floor(viewerCalls / instances),
  });

  const sliceOf = (at: number) => Math.floor(at / sliceMs);
  const untilNextSlice = (at: number) => (sliceOf(at) + 1) * sliceMs - at;

  async function pausedUntil(): Promise<number> {
    const value = Number(await state.get(pauseKey));
    return Number.isFinite(value) ? value : 0;
  }

  /** The calls of the `SLICES` slices before `slice`, oldest first. */
  async function before(limiter: typeof total, key: (slice: number) => string, slice: number) {
    const counts = await Promise.all(
      Array.from({ length: SLICES }, (_, i) =>
        limiter.get(key(slice - SLICES + i)).then(
          (res) => res?.consumedPoints ?? 0,
          () => 0,
        ),
      ),
    );
    return counts;
  }

  /**
   * Count one call in `slice` unless that passes the last eleven slices' room or `sliceMax` calls in the
   * slice (of a budget of `calls`, scaled to the limiter's points); a refused count is taken back. Null
   * when counted, else how long until the room opens.
   */
  async function take(
    limiter: typeof total,
    key: (slice: number) => string,
    slice: number,
    at: number,
    sliceMax: number,
  ): Promise<number | null> {
    let res: RateLimiterRes;
    try {
      res = await limiter.consume(key(slice), 1);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      await limiter.reward(key(slice), 1).catch(() => {});
      return untilNextSlice(at);
    }
    // Remaining + consumed are the points of whichever limiter answered: the shared one, or the
    // smaller local one while the store is down.
    const points = res.remainingPoints + res.consumedPoints;
    const counts = await before(limiter, key, slice);
    const spent = counts.reduce((sum, n) => sum + n, 0) + res.consumedPoints;
    const overSlice = res.consumedPoints > Math.max(1, Math.floor((sliceMax * points) / calls));
    if (spent <= points && !overSlice) return null;
    await limiter.reward(key(slice), 1).catch(() => {});
    if (overSlice || spent - counts[0] <= points) return untilNextSlice(at);
    // Room opens as the oldest slices leave the span.
    let freed = 0;
    let k = 0;
    while (k < SLICES - 1 && spent - (freed += counts[k]) > points) k++;
    return untilNextSlice(at) + k * sliceMs;
  }

  async function tryTake(spender: Spender): Promise<Refusal | null> {
    const at = now();
    const paused = await pausedUntil();
    if (paused > at) return { waitMs: paused - at, reason: "paused" };
    const slice = sliceOf(at);
    const sliceMax = spender.priority === "interactive" ? burst : perSlice * PRIORITY_SHARE[spender.priority];
    const wait = await take(total, String, slice, at, sliceMax);
    if (wait !== null) return { waitMs: wait, reason: "budget" };
    if (spender.viewer !== null) {
      const viewer = spender.viewer;
      const viewerWait = await take(perViewer, (n) => `${viewer}:${n}`, slice, at, calls);
      if (viewerWait !== null) {
        await total.reward(String(slice), 1).catch(() => {});
        return { waitMs: viewerWait, reason: "viewer" };
      }
    }
    return null;
  }

  return {
    async spend(spender, { signal, maxWaitMs = INTERACTIVE_WAIT_MS, onWait } = {}) {
      const start = now();
      for (;;) {
        if (signal?.aborted) throw new ClientAbortError();
        const refusal = await tryTake(spender);
        if (!refusal) return;
        const left = maxWaitMs - (now() - start);
        if (refusal.waitMs > left) throw budgetExhausted(refusal.waitMs, refusal.reason);
        // Counted where every instance sees it, and forgotten on its own should this process die.
        const place = crypto.randomUUID();
        await state.enter(waitingSet, place, Number.MAX_SAFE_INTEGER, refusal.waitMs + 5_000);
        onWait?.(refusal.waitMs);
        try {
          // A few milliseconds past the boundary, so the next slice has begun on every clock.
          await sleep(refusal.waitMs + 5, signal);
        } finally {
          await state.leave(waitingSet, place);
        }
      }
    },

    async pause(untilMs) {
      if (untilMs <= now()) return;
      if ((await pausedUntil()) >= untilMs) return;
      await state.set(pauseKey, String(untilMs), untilMs - now());
      console.warn(`upstream calls paused until ${new Date(untilMs).toISOString()}: Cloudflare's rate limit`);
    },

    observe(status, headers) {
      const waitMs = upstreamPauseMs(status, headers, now());
      if (waitMs !== null) void this.pause(now() + waitMs).catch(() => {});
    },

    async status() {
      const at = now();
      const slice = sliceOf(at);
      // The span a call is checked against: this slice and the ten before, so `remaining` is what may
      // be spent now.
      let used = 0;
      for (let i = 0; i <= SLICES; i++) {
        const res = await total.get(String(slice - i)).catch(() => null);
        used += res?.consumedPoints ?? 0;
      }
      const paused = await pausedUntil();
      return {
        limit: calls,
        windowSeconds,
        used,
        remaining: Math.max(0, calls - used),
        waiting: await state.size(waitingSet),
        throttledUntil: paused > at ? new Date(paused).toISOString() : null,
        store: state.kind(),
      };
    },
  };
}

/**
 * How long the upstream's answer says to stop, or null to go on: a 429 (Cloudflare's code 971) for its
 * Retry-After (or a minute), and a quota reported (nearly) spent, in the current `Ratelimit` header or
 * the older `X-RateLimit-*` ones, until its reset.
 */
export function upstreamPauseMs(status: number, headers: Headers, nowMs: number): number | null {
  const retryAfter = retryAfterOf(headers, nowMs);
  const quota = quotaOf(headers, nowMs);
  if (status === 429) return retryAfter ?? quota?.resetMs ?? DEFAULT_PAUSE_MS;
  if (quota && quota.remaining <= UPSTREAM_RESERVE && quota.resetMs !== null) return quota.resetMs;
  return null;
}

/** Remaining calls and the time to the reset, from `Ratelimit` (`r=`/`t=` or `remaining=`/`reset=`) or `X-RateLimit-*`. */
function quotaOf(headers: Headers, nowMs: number): { remaining: number; resetMs: number | null } | null {
  const structured = headers.get("ratelimit");
  if (structured) {
    const remaining = /(?:^|[;,\s])(?:r|remaining)=(\d+)/i.exec(structured);
    const reset = /(?:^|[;,\s])(?:t|reset)=(\d+)/i.exec(structured);
    if (remaining)
      return { remaining: Number(remaining[1]), resetMs: reset ? Number(reset[1]) * 1000 : null };
  }
  const remaining = headers.get("x-ratelimit-remaining") ?? headers.get("ratelimit-remaining");
  if (remaining === null || !/^\d+$/.test(remaining.trim())) return null;
  const reset = (headers.get("x-ratelimit-reset") ?? headers.get("ratelimit-reset"))?.trim();
  let resetMs: number | null = null;
  if (reset && /^\d+$/.test(reset)) {
    const n = Number(reset);
    // Some send the reset as a Unix time, others as seconds from now.
    resetMs = n > 1e9 ? Math.max(0, n * 1000 - nowMs) : n * 1000;
  }
  return { remaining: Number(remaining.trim()), resetMs };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ClientAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClientAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
