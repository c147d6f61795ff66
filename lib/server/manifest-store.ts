import "server-only";
import type Redis from "ioredis";
import { LRUCache } from "lru-cache";
import type { Config } from "./config";
import { getRedis } from "./redis";

/**
 * Short-lived values that every instance must see: export manifests and the export ids handed out
 * before a download. Redis with `REDIS_URL`, this process otherwise; while Redis is unreachable, values
 * go to this process so an export still gets its manifest (readable on this instance only).
 */
export interface ValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Set only when absent; true when this call set it. */
  claim(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

const PREFIX = "audit-log-explorer:";

export function createMemoryStore(): ValueStore {
  const values = new LRUCache<string, string>({ max: 10_000, ttlAutopurge: true });
  return {
    get: async (key) => values.get(key) ?? null,
    set: async (key, value, ttlMs) => void values.set(key, value, { ttl: Math.max(1, ttlMs) }),
    claim: async (key, value, ttlMs) => {
      if (values.has(key)) return false;
      values.set(key, value, { ttl: Math.max(1, ttlMs) });
      return true;
    },
    delete: async (key) => void values.delete(key),
  };
}

export function createRedisStore(redis: Redis, local: ValueStore = createMemoryStore()): ValueStore {
  async function attempt<T>(remote: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (redis.status !== "ready") return fallback();
    try {
      return await remote();
    } catch {
      return fallback();
    }
  }
  const px = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));
  return {
    get: (key) =>
      attempt(
        async () => (await redis.get(PREFIX + key)) ?? (await local.get(key)),
        () => local.get(key),
      ),
    set: (key, value, ttlMs) =>
      attempt(
        async () => void (await redis.set(PREFIX + key, value, "PX", px(ttlMs))),
        () => local.set(key, value, ttlMs),
      ),
    claim: (key, value, ttlMs) =>
      attempt(
        async () => (await redis.set(PREFIX + key, value, "PX", px(ttlMs), "NX")) === "OK",
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
  };
}

let memory = createMemoryStore();
const byUrl = new Map<string, ValueStore>();

/** The store of a configuration: Redis with `REDIS_URL`, this process otherwise. */
export function getValueStore(config: Pick<Config, "redisUrl">): ValueStore {
  const redis = getRedis(config);
  if (!redis || !config.redisUrl) return memory;
  let store = byUrl.get(config.redisUrl);
  if (!store) {
    store = createRedisStore(redis);
    byUrl.set(config.redisUrl, store);
  }
  return store;
}

/** Start from an empty store in this process (tests). */
export function resetValueStore(): void {
  memory = createMemoryStore();
  byUrl.clear();
}
