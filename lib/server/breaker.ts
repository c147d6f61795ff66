import "server-only";
import CircuitBreaker from "opossum";
import { upstreamIdentity, type Config } from "./config";
import { ProblemError } from "./problem";
import type { SharedState } from "./shared-state";
import { upstreamPaused } from "./upstream-errors";

/**
 * The circuit breaker in front of the upstream: when more than half of
 * at least 10 calls in the last 10 s failed, calls stop for `UPSTREAM_BREAKER_RESET_MS` (30 s) and fail
 * at once with 503 and Retry-After; then one probe call decides whether to close again. A Cloudflare
 * outage or rate limit then costs the shared per-token budget one call per pause, not one per request.
 */
export const BREAKER_VOLUME = 10;
const BREAKER_WINDOW_MS = 10_000;
const BREAKER_ERROR_PERCENT = 50;

/** Upstream faults: the API is down, slow, broken or rate-limiting. A refused token or query is ours. */
const FAULTS = new Set([
  "upstream-unavailable",
  "upstream-timeout",
  "upstream-invalid-response",
  "upstream-rate-limited",
]);

function isUpstreamFault(error: unknown): boolean {
  return error instanceof ProblemError && FAULTS.has(error.init.slug);
}

interface Breaker {
  circuit: CircuitBreaker<[() => Promise<unknown>], unknown>;
  openedAt: number;
}

const breakers = new Map<string, Breaker>();

const keyOf = (config: Config) => JSON.stringify([...upstreamIdentity(config), config.breakerResetMs]);
/** Where an open breaker tells the other instances to pause too. */
const sharedKey = (config: Config) => `breaker:${keyOf(config)}`;

function breakerFor(config: Config, state?: SharedState): Breaker {
  const key = keyOf(config);
  let breaker = breakers.get(key);
  if (!breaker) {
    const circuit = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      // Deadlines are the upstream client's own.
      timeout: false,
      volumeThreshold: BREAKER_VOLUME,
      errorThresholdPercentage: BREAKER_ERROR_PERCENT,
      rollingCountTimeout: BREAKER_WINDOW_MS,
      resetTimeout: config.breakerResetMs,
      // Counted as a success: anything but an upstream fault (a refused token, a client that left).
      errorFilter: (error: unknown) => !isUpstreamFault(error),
    });
    const created: Breaker = { circuit, openedAt: 0 };
    circuit.on("open", () => {
      created.openedAt = Date.now();
      const until = created.openedAt + config.breakerResetMs;
      void state?.set(sharedKey(config), String(until), config.breakerResetMs).catch(() => {});
      console.warn(
        `upstream calls paused for ${config.breakerResetMs} ms: most of the last calls to ${config.baseUrl} failed`,
      );
    });
    circuit.on("close", () => console.info(`upstream calls resumed: a probe to ${config.baseUrl} succeeded`));
    breaker = created;
    breakers.set(key, breaker);
  }
  return breaker;
}

/**
 * Milliseconds the upstream's calls stay paused: this instance's breaker is open, or another instance's
 * is (it shares the time it opened until through the shared state). 0 when calls may go.
 */
export async function breakerPauseMs(config: Config, state?: SharedState): Promise<number> {
  if (config.breakerResetMs === 0) return 0;
  const breaker = breakerFor(config, state);
  const now = Date.now();
  const local = breaker.circuit.opened ? breaker.openedAt + config.breakerResetMs - now : 0;
  const shared = Number((await state?.get(sharedKey(config)).catch(() => null)) ?? 0) - now;
  return Math.max(0, local, Number.isFinite(shared) ? shared : 0);
}

/** 503 `upstream-paused` with the seconds left as Retry-After. */
export function pausedProblem(ms: number): ProblemError {
  return upstreamPaused(Math.max(1, Math.ceil(ms / 1000)));
}

/**
 * Run one upstream call (retries included) through the breaker of its upstream. While the breaker is
 * open the call is not made: 503 `upstream-paused` with the seconds left as Retry-After.
 */
export async function throughBreaker<T>(
  config: Config,
  call: () => Promise<T>,
  state?: SharedState,
): Promise<T> {
  if (config.breakerResetMs === 0) return call();
  const breaker = breakerFor(config, state);
  try {
    return (await breaker.circuit.fire(call)) as T;
  } catch (error) {
    if ((error as { code?: string }).code !== "EOPENBREAKER") throw error;
    const left = breaker.openedAt + config.breakerResetMs - Date.now();
    throw upstreamPaused(Math.max(1, Math.ceil(left / 1000)));
  }
}

/** Forget every breaker's state (tests). */
export function resetBreakers(): void {
  for (const { circuit } of breakers.values()) circuit.shutdown();
  breakers.clear();
}
