import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig, type Config } from "@/lib/server/config";
import { closeRedis, getRedis } from "@/lib/server/redis";
import type { FetchLogPage } from "@/lib/server/stats";
import { fetchLogPage, transportOnly } from "@/lib/server/upstream";
import {
  resetWindowWalks,
  WALK_TTL_MS,
  walkCacheStats,
  walkCovering,
  walkWindow,
} from "@/lib/server/window-walk";
import { startRedis, type RedisService } from "../../support/services";

const NOW = new Date("2026-11-18T12:00:00Z");
const DAY = 86_400_000;
const ctx = { priority: "overview" as const, viewer: null };
let redis: RedisService;
let calls = 0;
const upstream: FetchLogPage = (c, q, o) => {
  calls++;
  return fetchLogPage(c, q, o, transportOnly(c));
};

function configOf(env: Record<string, string>): Config {
  const r = parseConfig({
    SANDBOX_NOW: NOW.toISOString(),
    SANDBOX_SIZE: "20000",
    REDIS_URL: redis.url,
    ...env,
  });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.config;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await closeRedis();
  await redis?.stop();
});
beforeEach(async () => {
  const client = getRedis(configOf({}))!;
  for (let i = 0; i < 200 && client.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 25));
  await client.flushall();
  resetWindowWalks();
  calls = 0;
});

describe("kept walks with REDIS_URL", () => {
  const [since, before] = [NOW.getTime() - 10 * DAY, NOW.getTime() - DAY];

  it("are found by another instance for a window inside theirs, with no call", async () => {
    const config = configOf({ STATS_MAX_ENTRIES: "800" });
    await walkWindow(config, since, before, ctx, upstream, NOW);
    const walkCalls = calls;
    // Another instance: nothing of the walk in its memory.
    resetWindowWalks();
    const found = await walkCovering(config, since + DAY, before - DAY, ctx, upstream, NOW);
    expect(calls).toBe(walkCalls);
    expect(found?.heldSince).toBeGreaterThan(since + DAY);
    expect(found?.entries.length).toBeGreaterThan(700);
    expect(walkCacheStats(config)).toMatchObject({ partialHits: 1, misses: 0 });
  });

  it("stay within WALK_CACHE_BYTES in Redis, all instances together: the oldest goes first", async () => {
    const probe = configOf({ STATS_MAX_ENTRIES: "800" });
    const one = await walkWindow(probe, since, before, ctx, upstream, NOW);
    const size = JSON.stringify({ since, before, entries: one.entries, heldSince: one.heldSince }).length;
    await getRedis(probe)!.flushall();
    resetWindowWalks();
    // Room for one such walk, not two.
    const config = configOf({ STATS_MAX_ENTRIES: "800", WALK_CACHE_BYTES: String(Math.ceil(size * 1.5)) });
    await walkWindow(config, since, before, ctx, upstream, NOW);
    resetWindowWalks();
    const later = [since + DAY / 2, before + DAY / 2] as const;
    await walkWindow(config, ...later, ctx, upstream, NOW);
    resetWindowWalks();
    const keys = await getRedis(config)!.keys("*walk:*");
    expect(keys).toHaveLength(1);
    expect(keys[0]).toContain(String(later[0]));
    calls = 0;
    expect(await walkCovering(config, ...later, ctx, upstream, NOW)).not.toBeNull();
    expect(calls).toBe(0);
  });
});

describe("a top-up of a kept walk with REDIS_URL", () => {
  const since = NOW.getTime() - 10 * DAY;
  const ids = (entries: { id: string }[]) => entries.map((entry) => entry.id);
  /** The walk's key in Redis, as the store names it. */
  const keyOf = async (config: Config, end: number) => {
    const keys = await getRedis(config)!.keys(`*walk:*,${since},${end}]`);
    expect(keys).toHaveLength(1);
    return keys[0];
  };
  /** What a walk of the window straight from the upstream holds. */
  const upstreamWalk = async (config: Config, end: number) => {
    const outcome = await walkWindow(config, since, end, ctx, upstream, NOW, { keep: false });
    return { entries: ids(outcome.entries), heldSince: outcome.heldSince };
  };

  it("writes only the entries logged since, and another instance reads the whole window exactly", async () => {
    const config = configOf({});
    const redisClient = getRedis(config)!;
    const ends = [NOW.getTime() - 3 * DAY, NOW.getTime() - 2 * DAY, NOW.getTime() - DAY, NOW.getTime()];
    await walkWindow(config, since, ends[0], ctx, upstream, NOW);
    const baseKey = await keyOf(config, ends[0]);
    const baseBytes = await redisClient.strlen(baseKey);
    // The walk it tops up is kept as long as the top-up, though nothing rewrites it.
    await redisClient.pexpire(baseKey, 1000);
    for (const end of ends.slice(1)) {
      calls = 0;
      expect(await walkCovering(config, since, end, ctx, upstream, NOW)).not.toBeNull();
      expect(calls).toBe(1);
      const written = await redisClient.strlen(await keyOf(config, end));
      expect(written).toBeLessThan(baseBytes / 4);
    }
    expect(await redisClient.pttl(baseKey)).toBeGreaterThan(WALK_TTL_MS - 30_000);
    expect(walkCacheStats(config).topUps).toBe(3);
    // Another instance: nothing in its memory.
    resetWindowWalks();
    calls = 0;
    const found = await walkCovering(config, since, NOW.getTime(), ctx, upstream, NOW);
    expect(calls).toBe(0);
    const expected = await upstreamWalk(config, NOW.getTime());
    expect(expected.entries.length).toBeGreaterThan(1000);
    expect({ entries: ids(found!.entries), heldSince: found!.heldSince }).toEqual(expected);
  });

  it("of a walk the entry cap stopped, lets the oldest entries go on another instance too", async () => {
    const config = configOf({ STATS_MAX_ENTRIES: "800" });
    const [first, later] = [NOW.getTime() - 2 * DAY, NOW.getTime()];
    await walkWindow(config, since, first, ctx, upstream, NOW);
    const topped = await walkCovering(config, since, later, ctx, upstream, NOW);
    expect(topped!.entries.length).toBeLessThanOrEqual(800);
    const expected = await upstreamWalk(config, later);
    expect({ entries: ids(topped!.entries), heldSince: topped!.heldSince }).toEqual(expected);
    resetWindowWalks();
    calls = 0;
    const found = await walkCovering(config, since, later, ctx, upstream, NOW);
    expect(calls).toBe(0);
    expect({ entries: ids(found!.entries), heldSince: found!.heldSince }).toEqual(expected);
  });

  it("is not found once a part it continues into is gone: the window is walked again", async () => {
    const config = configOf({});
    await walkWindow(config, since, NOW.getTime() - DAY, ctx, upstream, NOW);
    await walkCovering(config, since, NOW.getTime(), ctx, upstream, NOW);
    await getRedis(config)!.del(await keyOf(config, NOW.getTime() - DAY));
    resetWindowWalks();
    expect(await walkCovering(config, since, NOW.getTime(), ctx, upstream, NOW)).toBeNull();
  });
});
