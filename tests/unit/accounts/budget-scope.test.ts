import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBudget, type Spender } from "@/lib/server/budget";
import { createRedisState, type SharedState } from "@/lib/server/shared-state";
import { startRedis, type RedisService } from "../../support/services";
import { spendAll } from "../server/budget-support";

/**
 * Budgets of several tokens in one Redis, as several instances serving several accounts keep them: each
 * token's counters and pause are its own; instances spending for the same token share them.
 */
let redis: RedisService;
let clients: Redis[] = [];
const person: Spender = { priority: "interactive", viewer: null };
// The middle of a slice, on every instance's clock.
const AT = Date.UTC(2026, 10, 20, 12, 0, 3);

function state(): SharedState {
  const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  clients.push(client);
  return createRedisState(client);
}

const budget = (shared: SharedState, scope: string) =>
  createBudget({
    state: shared,
    calls: 110,
    windowSeconds: 600,
    instances: 2,
    viewerShare: 0.5,
    scope,
    now: () => AT,
  });

beforeAll(async () => {
  redis = await startRedis();
  const probe = state();
  for (let i = 0; i < 100 && probe.kind() !== "redis"; i++) await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  clients = [];
  await redis?.stop();
});

describe("budgets per token in one Redis", () => {
  it("count each token apart, and one token together across instances", async () => {
    const [one, two] = [state(), state()];
    for (let i = 0; i < 100 && (one.kind() !== "redis" || two.kind() !== "redis"); i++)
      await new Promise((r) => setTimeout(r, 20));
    const spentA = await spendAll(budget(one, "token-a"), person);
    expect(spentA).toBeGreaterThan(0);
    // The same token on another instance finds the slice spent; another token has all of its own.
    expect(await spendAll(budget(two, "token-a"), person)).toBe(0);
    expect(await spendAll(budget(two, "token-b"), person)).toBe(spentA);
  });

  it("pause only the token the upstream limited", async () => {
    const shared = state();
    for (let i = 0; i < 100 && shared.kind() !== "redis"; i++) await new Promise((r) => setTimeout(r, 20));
    await budget(shared, "token-c").pause(AT + 60_000);
    expect((await budget(shared, "token-c").status()).throttledUntil).not.toBeNull();
    expect((await budget(shared, "token-d").status()).throttledUntil).toBeNull();
  });
});
