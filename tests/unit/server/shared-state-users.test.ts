import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig, upstreamIdentity } from "@/lib/server/config";
import { getValueStore } from "@/lib/server/manifest-store";
import { clearProductCategories, getProductCategories } from "@/lib/server/product-categories";
import { getSharedState, resetSharedState } from "@/lib/server/shared-state";
import { signInThrottle } from "@/lib/server/sign-in-throttle";
import type { Send } from "@/lib/server/upstream";
import { startRedis, type RedisService } from "../../support/services";

function configOf(env: Record<string, string> = {}) {
  const r = parseConfig({
    CLOUDFLARE_API_TOKEN: "t".repeat(40),
    CLOUDFLARE_ACCOUNT_ID: "a".repeat(32),
    ...env,
  });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.config;
}

const CATEGORIES = [
  { value: "dns", label: "DNS", products: [{ value: "dns_records", label: "DNS records" }] },
];

beforeEach(() => {
  clearProductCategories();
  resetSharedState();
});

describe("one shared state", () => {
  it("keeps export manifests in the shared state", async () => {
    const config = configOf();
    await getValueStore(config).set("export-manifest:x", "{}", 60_000);
    expect(await getSharedState(config).get("export-manifest:x")).toBe("{}");
  });

  it("answers product categories another instance kept in the shared state, with no call", async () => {
    const config = configOf();
    const key = `product-categories:${JSON.stringify(upstreamIdentity(config))}`;
    await getSharedState(config).set(key, JSON.stringify(CATEGORIES), 60_000);
    const call = vi.fn();
    const send = (async () => call()) as unknown as Send;
    expect(await getProductCategories(config, send)).toStrictEqual(CATEGORIES);
    expect(call).not.toHaveBeenCalled();
  });

  it("keeps the categories it fetched in the shared state for the other instances", async () => {
    const config = configOf();
    const send = vi.fn(async () => CATEGORIES) as unknown as Send;
    await getProductCategories(config, send);
    const key = `product-categories:${JSON.stringify(upstreamIdentity(config))}`;
    expect(JSON.parse((await getSharedState(config).get(key)) ?? "null")).toStrictEqual(CATEGORIES);
  });

  describe("with Redis", () => {
    let redis: RedisService;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis.stop();
    });

    it("counts failed sign-ins, manifests and categories on the shared state's one connection", async () => {
      const config = configOf({ REDIS_URL: redis.url });
      const state = getSharedState(config);
      await vi.waitFor(() => expect(state.kind()).toBe("redis"));
      expect(getValueStore(config)).toBe(state);
      const keys = { address: "203.0.113.9", user: "someone" };
      for (let n = 0; n < 10; n++) await signInThrottle(config).fail(keys);
      expect(await signInThrottle(config).fail(keys)).toBeGreaterThan(0);
      // The count sits in Redis under the product's prefix, where every instance reads it.
      const client = new (await import("ioredis")).default(redis.url);
      expect(await client.keys("audit-log-explorer:sign-in:address*")).toHaveLength(1);
      client.disconnect();
    });
  });
});
