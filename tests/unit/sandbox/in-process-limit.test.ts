import { afterEach, describe, expect, it, vi } from "vitest";
import { callRoute, useSandboxMode } from "../server/routes-support";

afterEach(() => vi.unstubAllEnvs());

describe("the in-process sandbox's limit", () => {
  it("follows SANDBOX_RATE_LIMIT: past it the upstream refuses and the app says when to retry", async () => {
    vi.stubEnv("SANDBOX_RATE_LIMIT", "5/300s");
    // A seed of its own: no other test shares this sandbox or its counters.
    useSandboxMode({ SANDBOX_SEED: "4242", SANDBOX_SIZE: "500", SANDBOX_NOW: "2026-11-25T12:00:00Z" });
    const statuses: number[] = [];
    let last: Response | null = null;
    // Distinct queries, so that no answer comes from a cache; Cloudflare's default limit would allow them all.
    const filters = ["create", "update", "delete"].map((t) => `action_type=${t}`);
    filters.push("action_result=success", "action_result=failure", "actor_type=user", "actor_type=system");
    for (const filter of filters) {
      last = await callRoute(`/api/logs?range=7d&limit=5&${filter}`);
      statuses.push(last.status);
      if (last.status !== 200) break;
    }
    expect(statuses[0]).toBe(200);
    // The app stops at the limit, or just before it when it reads the quota from the headers.
    expect(statuses.length).toBeLessThanOrEqual(6);
    expect(last?.status).toBe(503);
    expect(last?.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
