import Redis from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createBudget, type Spender } from "@/lib/server/budget";
import { createSharedCache } from "@/lib/server/shared-cache";
import { createRedisState, type SharedState } from "@/lib/server/shared-state";
import { startRedis, type RedisService } from "../../support/services";
import { spendAll } from "./budget-support";

/**
 * Two instances sharing one Redis: each has its own connection, state, budget and cache, as two servers
 * behind a load balancer would.
 */
let redis: RedisService;
const clients: Redis[] = [];
let a: SharedState;
let b: SharedState;

const person: Spender = { priority: "interactive", viewer: null };
// The middle of a slice, on every instance's clock: slices are cut on whole multiples of their length.
const AT = Date.UTC(2026, 10, 20, 12, 0, 3);

function connect(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  client.on("error", () => {});
  clients.push(client);
  return client;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
};

function instanceBudget(state: SharedState, calls = 110) {
  return createBudget({
    state,
    calls,
    windowSeconds: 600,
    instances: 2,
    viewerShare: 0.5,
    now: () => AT,
  });
}

beforeAll(async () => {
  redis = await startRedis();
  a = createRedisState(connect(redis.url));
  b = createRedisState(connect(redis.url));
  await until(() => a.kind() === "redis" && b.kind() === "redis");
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});
beforeEach(async () => {
  await until(() => clients.every((c) => c.status === "ready"));
  await clients[0].flushall();
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

describe("two instances sharing Redis", () => {
  it("spend one budget between them", async () => {
    const first = instanceBudget(a);
    const second = instanceBudget(b);
    // People may take 27 calls of this slice in all: what one spends, the other cannot.
    for (let i = 0; i < 20; i++) await first.spend(person, { maxWaitMs: 0 });
    expect(await spendAll(second, person)).toBe(7);
    expect(await spendAll(first, person)).toBe(0);
    expect(await second.status()).toMatchObject({ used: 27, remaining: 83, store: "redis" });
  });

  it("show the calls waiting for the budget on every instance", async () => {
    const first = instanceBudget(a, 11);
    const second = instanceBudget(b, 11);
    expect(await spendAll(first, person)).toBe(2);
    const cancel = new AbortController();
    const waiting = first.spend(person, { maxWaitMs: Infinity, signal: cancel.signal }).catch((e) => e);
    let seen = 0;
    for (let i = 0; i < 200 && seen === 0; i++) {
      seen = (await second.status()).waiting;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toBe(1);
    cancel.abort();
    expect((await waiting).name).toBe("ClientAbortError");
    expect((await second.status()).waiting).toBe(0);
  });

  it("share a pause: an upstream 429 seen by one stops the other", async () => {
    const first = instanceBudget(a);
    const second = instanceBudget(b);
    await first.pause(AT + 30_000);
    expect(await spendAll(second, person)).toBe(0);
    expect((await second.status()).throttledUntil).toBe(new Date(AT + 30_000).toISOString());
  });

  it("share one cache entry and one call under way: 20 requests over both make one call", async () => {
    const caches = [createSharedCache({ remote: a }), createSharedCache({ remote: b })];
    let calls = 0;
    const produce = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 100));
      return '{"page":1}';
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => caches[i % 2].get("page:x", produce, { ttlMs: 15_000 })),
    );
    expect(new Set(answers)).toEqual(new Set(['{"page":1}']));
    expect(calls).toBe(1);
    // A third instance, later, is answered from Redis.
    const third = createSharedCache({ remote: b });
    expect(await third.get("page:x", produce, { ttlMs: 15_000 })).toBe('{"page":1}');
    expect(calls).toBe(1);
  });

  it("share the export slots", async () => {
    expect(await a.enter("export-slots", "e1", 2, 60_000)).toBe(true);
    expect(await b.enter("export-slots", "e2", 2, 60_000)).toBe(true);
    expect(await a.enter("export-slots", "e3", 2, 60_000)).toBe(false);
    await b.leave("export-slots", "e1");
    expect(await a.enter("export-slots", "e3", 2, 60_000)).toBe(true);
  });

  it("fall back to a smaller local budget while Redis is down, and share again once it is back", async () => {
    const first = instanceBudget(a);
    await redis.stop();
    await until(() => a.kind() === "local-fallback");
    // Half of the slice's 27 (UPSTREAM_INSTANCES=2): never unlimited.
    expect(await spendAll(first, person)).toBe(13);
    expect((await first.status()).store).toBe("local-fallback");
    // The cache keeps answering from this process.
    const cache = createSharedCache({ remote: a });
    expect(await cache.get("k", async () => "v", { ttlMs: 1_000 })).toBe("v");

    await redis.start();
    await until(() => a.kind() === "redis" && b.kind() === "redis");
    const second = instanceBudget(b);
    await first.spend(person, { maxWaitMs: 0 });
    expect((await second.status()).used).toBe(1);
    expect((await second.status()).store).toBe("redis");
  });
});
