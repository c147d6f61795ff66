import "server-only";
import type Redis from "ioredis";
import { LRUCache } from "lru-cache";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Config } from "./config";
import { getRedis } from "./redis";

/** Where state lives now: this process, Redis, or this process because Redis is unreachable. */
export type StoreKind = "memory" | "redis" | "local-fallback";

export interface LimiterOptions {
  /** Names the counters; the same prefix and key count together on every instance. */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  /** The points this instance may spend alone while the shared store is unreachable. */
  localPoints: number;
  /** Once over the points, refuse for this long rather than until the window ends (sign-in). */
  blockDurationSeconds?: number;
}

/**
 * State that several instances must share: counters (rate limiters), short-lived values, locks and
 * bounded sets of places. One memory implementation for a single instance and one Redis implementation
 * for several, chosen once from the configuration ({@link getSharedState}).
 */
export interface SharedState {
  kind(): StoreKind;
  /** A fixed-window counter; `rate-limiter-flexible` does the counting in either store. */
  limiter(options: LimiterOptions): RateLimiterAbstract;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Keep a value for `ttlMs` from now, without writing it again; false when it is gone. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /** Set only when absent (a lock); true when this call set it. */
  claim(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Take one of `max` places in a named set (an export slot); places expire after `ttlMs`. */
  enter(set: string, id: string, max: number, ttlMs: number): Promise<boolean>;
  leave(set: string, id: string): Promise<void>;
  /** How many places of a set are taken. */
  size(set: string): Promise<number>;
}

const PREFIX = "audit-log-explorer:";

/** State in this process only: what a single instance without `REDIS_URL` uses. */
export function createMemoryState(): SharedState {
  const values = new LRUCache<string, string>({ max: 10_000, ttlAutopurge: true });
  const sets = new Map<string, Map<string, number>>();
  const live = (set: string) => {
    const places = sets.get(set) ?? new Map<string, number>();
    sets.set(set, places);
    const now = Date.now();
    for (const [id, until] of places) if (until <= now) places.delete(id);
    return places;
  };
  return {
    kind: () => "memory",
    limiter: ({ keyPrefix, points, durationSeconds, blockDurationSeconds }) =>
      new RateLimiterMemory({
        keyPrefix,
        points,
        duration: durationSeconds,
        blockDuration: blockDurationSeconds,
      }),
    get: async (key) => values.get(key) ?? null,
    set: async (key, value, ttlMs) => void values.set(key, value, { ttl: Math.max(1, ttlMs) }),
    expire: async (key, ttlMs) => {
      const value = values.get(key);
      if (value === undefined) return false;
      values.set(key, value, { ttl: Math.max(1, ttlMs) });
      return true;
    },
    claim: async (key, value, ttlMs) => {
      if (values.has(key)) return false;
      values.set(key, value, { ttl: Math.max(1, ttlMs) });
      return true;
    },
    delete: async (key) => void values.delete(key),
    enter: async (set, id, max, ttlMs) => {
      const places = live(set);
      if (places.size >= max) return false;
      places.set(id, Date.now() + ttlMs);
      return true;
    },
    leave: async (set, id) => void live(set).delete(id),
    size: async (set) => live(set).size,
  };
}

// Drop expired places, then add one if there is room: atomic, so two instances cannot both take the last.
const ENTER_SCRIPT = `
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('zadd', KEYS[1], ARGV[2], ARGV[4])
redis.call('pexpire', KEYS[1], ARGV[5])
return 1`;

/**
 * State in Redis, shared by every instance using the same server. While Redis is unreachable each
 * operation falls back to this process's own state (counters with the smaller local points), so the
 * dashboard keeps serving on a conservative budget and never runs unlimited.
 */
export function createRedisState(redis: Redis, local: SharedState = createMemoryState()): SharedState {
  const ready = () => redis.status === "ready";
  async function attempt<T>(remote: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (!ready()) return fallback();
    try {
      return await remote();
    } catch {
      return fallback();
    }
  }
  return {
    kind: () => (ready() ? "redis" : "local-fallback"),
    limiter: ({ keyPrefix, points, durationSeconds, localPoints, blockDurationSeconds }) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: PREFIX + keyPrefix,
        points,
        duration: durationSeconds,
        blockDuration: blockDurationSeconds,
        // Fail over at once rather than wait on a connection that is down.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({
          keyPrefix,
          points: Math.max(1, localPoints),
          duration: durationSeconds,
          blockDuration: blockDurationSeconds,
        }),
      }),
    // A value written here while Redis was down (an export's manifest) stays readable once it is back.
    get: (key) =>
      attempt(
        async () => (await redis.get(PREFIX + key)) ?? (await local.get(key)),
        () => local.get(key),
      ),
    set: (key, value, ttlMs) =>
      attempt(
        async () => void (await redis.set(PREFIX + key, value, "PX", Math.max(1, Math.ceil(ttlMs)))),
        () => local.set(key, value, ttlMs),
      ),
    expire: (key, ttlMs) =>
      attempt(
        async () => (await redis.pexpire(PREFIX + key, Math.max(1, Math.ceil(ttlMs)))) === 1,
        () => local.expire(key, ttlMs),
      ),
    claim: (key, value, ttlMs) =>
      attempt(
        async () =>
          (await redis.set(PREFIX + key, value, "PX", Math.max(1, Math.ceil(ttlMs)), "NX")) === "OK",
        () => local.claim(key, value, ttlMs),
      ),
    delete: (key) =>
      attempt(
        async () => {
          await redis.del(PREFIX + key);
          await local.delete(key);
        },
        () => local.delete(key),
      ),
    enter: (set, id, max, ttlMs) =>
      attempt(
        async () => {
          const now = Date.now();
          const args = [now, now + ttlMs, max, id, ttlMs];
          return (await redis.eval(ENTER_SCRIPT, 1, PREFIX + set, ...args)) === 1;
        },
        () => local.enter(set, id, max, ttlMs),
      ),
    leave: (set, id) =>
      attempt(
        async () => void (await redis.zrem(PREFIX + set, id)),
        () => local.leave(set, id),
      ),
    size: (set) =>
      attempt(
        async () => {
          await redis.zremrangebyscore(PREFIX + set, "-inf", Date.now());
          return redis.zcard(PREFIX + set);
        },
        () => local.size(set),
      ),
  };
}

let memory = createMemoryState();
const byUrl = new Map<string, SharedState>();

/** The state store of a configuration: Redis with `REDIS_URL`, this process otherwise. */
export function getSharedState(config: Pick<Config, "redisUrl">): SharedState {
  const redis = getRedis(config);
  if (!redis || !config.redisUrl) return memory;
  let state = byUrl.get(config.redisUrl);
  if (!state) {
    state = createRedisState(redis);
    byUrl.set(config.redisUrl, state);
  }
  return state;
}

/** Start from empty state in this process (tests). */
export function resetSharedState(): void {
  memory = createMemoryState();
  byUrl.clear();
}
