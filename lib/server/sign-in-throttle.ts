import "server-only";
import { createHash } from "node:crypto";
import type Redis from "ioredis";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Config } from "./config";
import { createMemoryState, createRedisState, getSharedState, type SharedState } from "./shared-state";

/**
 * Failed basic sign-ins are throttled per client address and per user name tried, so a password cannot
 * be guessed at network speed. With `REDIS_URL` the counts are shared by every instance (an attacker
 * spreading guesses over instances gains nothing); while Redis is unreachable each instance counts in
 * its own memory, as the library's insurance limiter.
 *
 * Once a key is over its limit, every attempt is refused until the block ends, the right password
 * included: otherwise the answer to a correct guess would differ, and guessing could go on.
 */

export interface Limit {
  /** Failures allowed per window. */
  points: number;
  /** Window and block length, in seconds. */
  seconds: number;
}

export interface ThrottleLimits {
  address: Limit;
  user: Limit;
}

/**
 * Per address: a person mistyping does not get near it. Per user name: higher, because an attacker can
 * lock the one real user out by guessing under that name; it still bounds guessing to under 2,000 a day.
 */
export const SIGN_IN_LIMITS: ThrottleLimits = {
  address: { points: 10, seconds: 15 * 60 },
  user: { points: 20, seconds: 15 * 60 },
};

export interface AttemptKeys {
  /** Null when no trusted source gives the client's address: only the user name is counted. */
  address: string | null;
  /** Null when the credentials were unreadable. */
  user: string | null;
}

export interface SignInThrottle {
  /** Seconds to wait when one of the keys is blocked, or null. */
  blocked(keys: AttemptKeys): Promise<number | null>;
  /** Count a failed attempt; seconds to wait when it went over a limit, or null. */
  fail(keys: AttemptKeys): Promise<number | null>;
}

/** User names are hashed: a password typed into the name field must not sit in Redis or in memory. */
const userKey = (user: string) => createHash("sha256").update(user, "utf8").digest("base64url");

function limiter(name: string, limit: Limit, state: SharedState, prefix: string): RateLimiterAbstract {
  // With Redis, the shared state's limiter counts there and straight in memory while the connection is
  // down: sign-in must not wait for Redis.
  return state.limiter({
    keyPrefix: `${prefix}:${name}`,
    points: limit.points,
    durationSeconds: limit.seconds,
    blockDurationSeconds: limit.seconds,
    localPoints: limit.points,
  });
}

const waitSeconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** A throttle over the given state: Redis (shared, with a memory fallback) or this process's memory. */
export function createSignInThrottle({
  redis = null,
  state = redis ? createRedisState(redis) : createMemoryState(),
  limits = SIGN_IN_LIMITS,
  prefix = "sign-in",
}: {
  redis?: Redis | null;
  state?: SharedState;
  limits?: ThrottleLimits;
  prefix?: string;
} = {}): SignInThrottle {
  const byAddress = limiter("address", limits.address, state, prefix);
  const byUser = limiter("user", limits.user, state, prefix);
  const entries = (keys: AttemptKeys) => {
    const out: { rl: RateLimiterAbstract; key: string; limit: Limit }[] = [];
    if (keys.address) out.push({ rl: byAddress, key: keys.address, limit: limits.address });
    if (keys.user !== null) out.push({ rl: byUser, key: userKey(keys.user), limit: limits.user });
    return out;
  };

  return {
    async blocked(keys) {
      let wait: number | null = null;
      for (const { rl, key, limit } of entries(keys)) {
        const res = await rl.get(key).catch(storeFailure);
        if (res && res.consumedPoints > limit.points) wait = Math.max(wait ?? 0, waitSeconds(res));
      }
      return wait;
    },
    async fail(keys) {
      let wait: number | null = null;
      for (const { rl, key } of entries(keys)) {
        const over = await rl.consume(key).then(
          () => null,
          (rejection: unknown) => (rejection instanceof RateLimiterRes ? rejection : storeFailure(rejection)),
        );
        if (over) wait = Math.max(wait ?? 0, waitSeconds(over));
      }
      return wait;
    },
  };
}

/** Both stores failed (cannot happen with the memory insurance, but the sign-in must still answer). */
function storeFailure(error: unknown): null {
  console.error("sign-in throttle unavailable", error);
  return null;
}

/**
 * The running server's throttle, one per store. On `globalThis`: the proxy and the route handlers are
 * separate bundles, and a failure the proxy counted must block the route's check too.
 */
const throttles: Map<string, SignInThrottle> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("audit-log-explorer.sign-in-throttle")
] ??= new Map<string, SignInThrottle>()) as Map<string, SignInThrottle>;

export function signInThrottle(config: Pick<Config, "redisUrl">): SignInThrottle {
  const id = config.redisUrl ?? "memory";
  let throttle = throttles.get(id);
  if (!throttle) {
    // The shared state's own store: one Redis connection for every counter of the process.
    throttle = createSignInThrottle({ state: getSharedState(config) });
    throttles.set(id, throttle);
  }
  return throttle;
}

/** Forget every count (tests start from a clean slate). */
export function resetSignInThrottles(): void {
  throttles.clear();
}
