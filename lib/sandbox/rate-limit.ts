/**
 * Cloudflare's per-token API limit, imitated: at most `limit` calls in any span of `windowSeconds`
 * (1,200 per 5 minutes by default). The call over the limit is refused with 429 and the token stays
 * refused until the lockout (one window long) is over, as Cloudflare does. Every answer carries the
 * rate-limit headers Cloudflare documents (`Ratelimit`, `Ratelimit-Policy`; `Retry-After` only when
 * refused). The limiter also keeps a log of call times, so tests can check how an app paced itself.
 */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** Cloudflare's own limit: 1,200 calls per 5 minutes per token. */
export const CLOUDFLARE_RATE_LIMIT: RateLimit = { limit: 1200, windowSeconds: 300 };

/** `N/Ss` (e.g. `1200/300s`) as a limit; `off` turns the limit off (null). Throws on anything else. */
export function parseRateLimit(text: string): RateLimit | null {
  const trimmed = text.trim();
  if (trimmed === "off") return null;
  const match = /^(\d+)\/(\d+)s$/.exec(trimmed);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || limit < 1 || windowSeconds < 1 || !Number.isSafeInteger(limit))
    throw new Error(`expected calls/seconds such as 1200/300s, or off; got "${text}"`);
  return { limit, windowSeconds };
}

export type RateDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; retryAfter: number; headers: Record<string, string> };

/** What the limiter saw, for tests: refusals sent and how calls spread over time. */
export interface RateLimitStats {
  limit: number;
  windowSeconds: number;
  /** Calls seen (accepted or refused). */
  calls: number;
  /** 429 answers sent. */
  throttled: number;
  /** Calls per window, windows laid end to end from the first call. */
  windows: number[];
  /** The most calls seen in any span of `spanSeconds`, wherever it starts. */
  busiestSpan: number;
  spanSeconds: number;
}

/** Calls kept in the log for {@link SandboxRateLimiter.stats}; older ones are dropped. */
const LOG_LIMIT = 200_000;

export class SandboxRateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  private readonly now: () => number;
  /** Per token: times of the accepted calls still inside the window, oldest first. */
  private readonly accepted = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();
  private log: number[] = [];
  private throttled = 0;

  constructor(rate: RateLimit, now: () => number = Date.now) {
    this.limit = rate.limit;
    this.windowSeconds = rate.windowSeconds;
    this.now = now;
  }

  private get windowMs() {
    return this.windowSeconds * 1000;
  }

  /** Counts a call by `token` and says whether it may go through, with the headers to send either way. */
  take(token: string): RateDecision {
    const now = this.now();
    this.log.push(now);
    if (this.log.length > LOG_LIMIT) this.log = this.log.slice(-LOG_LIMIT / 2);
    const policy = `"default";q=${this.limit};w=${this.windowSeconds}`;

    const locked = this.lockedUntil.get(token) ?? 0;
    const times = this.accepted.get(token) ?? [];
    this.accepted.set(token, times);
    while (times.length > 0 && times[0] <= now - this.windowMs) times.shift();
    if (locked > now || times.length >= this.limit) {
      // Past the limit the token is refused for a whole window, however quiet it is meanwhile.
      const until = locked > now ? locked : now + this.windowMs;
      this.lockedUntil.set(token, until);
      this.throttled++;
      const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
      return {
        allowed: false,
        retryAfter,
        headers: {
          "retry-after": String(retryAfter),
          ratelimit: `"default";r=0;t=${retryAfter}`,
          "ratelimit-policy": policy,
        },
      };
    }
    times.push(now);
    // The quota is whole again once the oldest call still counted leaves the window.
    const reset = Math.max(0, Math.ceil((times[0] + this.windowMs - now) / 1000));
    return {
      allowed: true,
      headers: {
        ratelimit: `"default";r=${this.limit - times.length};t=${reset}`,
        "ratelimit-policy": policy,
      },
    };
  }

  /** Counters and the spread of calls; `spanSeconds` (default: the window) sizes the busiest span. */
  stats(spanSeconds = this.windowSeconds): RateLimitStats {
    const log = this.log;
    const windows: number[] = [];
    for (const t of log) {
      const k = Math.floor((t - log[0]) / this.windowMs);
      while (windows.length <= k) windows.push(0);
      windows[k]++;
    }
    let busiestSpan = 0;
    const spanMs = spanSeconds * 1000;
    for (let end = 0, start = 0; end < log.length; end++) {
      while (log[end] - log[start] >= spanMs) start++;
      busiestSpan = Math.max(busiestSpan, end - start + 1);
    }
    return {
      limit: this.limit,
      windowSeconds: this.windowSeconds,
      calls: log.length,
      throttled: this.throttled,
      windows,
      busiestSpan,
      spanSeconds,
    };
  }

  /** Forget every call, lockout and counter. */
  reset(): void {
    this.accepted.clear();
    this.lockedUntil.clear();
    this.log = [];
    this.throttled = 0;
  }
}
