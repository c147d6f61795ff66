import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as exportFile } from "@/app/api/logs/export/route";
import { GET as exportCheck } from "@/app/api/logs/export/check/route";
import { GET as stats } from "@/app/api/logs/stats/route";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { BREAKER_VOLUME, resetBreakers } from "@/lib/server/breaker";
import type { StatsResponse } from "@/lib/stats";
import { callJson, callRoute, useCloudflareMode, useSandboxMode } from "./routes-support";

/** Every upstream call of the server goes through the gateway: counted here at the sandbox's door. */
let sandbox: SandboxServer;
let upstreamCalls: string[];

beforeAll(async () => {
  sandbox = await startSandboxServer({
    port: 0,
    enableFaults: true,
    size: 3000,
    seed: 7,
    now: new Date("2026-11-20T12:00:00Z"),
  });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.reset();
  upstreamCalls = [];
  const realFetch = globalThis.fetch;
  // The SDK client takes the global fetch when it is made (once per configuration, after this).
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
    upstreamCalls.push(String(input));
    return realFetch(input, init);
  });
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const WINDOW = "since=2026-11-13T12:00:00Z&before=2026-11-20T12:00:00Z";

describe("the gateway's cache", () => {
  it("answers 20 identical concurrent requests with one upstream call", async () => {
    useCloudflareMode(sandbox.url);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => callJson<{ data: unknown[] }>(`/api/logs?${WINDOW}&limit=50`)),
    );
    expect(answers.map((a) => a.response.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(upstreamCalls).toHaveLength(1);
  });

  it("hands an export check's first page to the export that follows: no second fetch", async () => {
    useCloudflareMode(sandbox.url);
    // A window of under 1,000 entries: one page is the whole export.
    const qs = "since=2026-11-20T00:00:00Z&before=2026-11-20T12:00:00Z&format=ndjson";
    const check = await exportCheck(new Request(`http://localhost/api/logs/export/check?${qs}`));
    expect(check.status).toBe(200);
    expect(upstreamCalls).toHaveLength(1);
    const file = await exportFile(new Request(`http://localhost/api/logs/export?${qs}`));
    expect(file.status).toBe(200);
    const lines = (await file.text()).trim().split("\n");
    expect(lines.length).toBeGreaterThan(10);
    expect(upstreamCalls).toHaveLength(1);
  });
});

/**
 * The clock stands still 3 s into a minute, so a budget of one call per minute-long slice is 57 s from
 * its next slice: a person's request never waits it out, whenever the test runs.
 */
function pinClock() {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-20T12:00:03Z"));
}

describe("a spent budget", () => {
  beforeEach(pinClock);
  afterEach(() => vi.useRealTimers());

  it("answers a person's request 503 upstream-budget with Retry-After, and makes no upstream call", async () => {
    // One call per minute-long slice, and a burst of two for people.
    useCloudflareMode(sandbox.url, { UPSTREAM_BUDGET: "11/600s" });
    expect((await callRoute(`/api/logs?${WINDOW}&limit=10`)).status).toBe(200);
    expect((await callRoute(`/api/logs?${WINDOW}&limit=9`)).status).toBe(200);
    const refused = await callJson<{ type: string; retryAfter: number }>(`/api/logs?${WINDOW}&limit=11`);
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body.type).toBe("/problems/upstream-budget");
    expect(refused.response.headers.get("retry-after")).toBe("57");
    expect(upstreamCalls).toHaveLength(2);
  });

  it("cuts the activity overview's walk short and says so, without keeping that answer", async () => {
    useCloudflareMode(sandbox.url, { UPSTREAM_BUDGET: "11/600s" });
    const get = async () => {
      // 90 days: over 2,000 entries, so the walk needs several pages.
      const qs = "since=2026-08-22T12:00:00Z&before=2026-11-20T12:00:00Z";
      const response = await stats(new Request(`http://localhost/api/logs/stats?${qs}`));
      expect(response.status).toBe(200);
      return (await response.json()) as StatsResponse;
    };
    const first = await get();
    expect(first.coverage).toMatchObject({ complete: false, stoppedBy: "budget" });
    // The page of 1,000, less its last second, which may hold more entries than the page did.
    expect(first.coverage.entries).toBeGreaterThan(990);
    expect(upstreamCalls).toHaveLength(1);
    // Not kept: the next request walks again (and is refused again, at once).
    const second = await get();
    expect(second.coverage).toMatchObject({ complete: false, stoppedBy: "budget", entries: 0 });
    expect(upstreamCalls).toHaveLength(1);
  });

  it("stops every call after an upstream 429 until its Retry-After", async () => {
    useCloudflareMode(sandbox.url);
    sandbox.faults.set({ kind: "status", status: 429, retryAfter: "120" });
    const limited = await callJson<{ type: string }>(`/api/logs?${WINDOW}&limit=10`);
    expect(limited.response.status).toBe(503);
    expect(limited.body.type).toBe("/problems/upstream-rate-limited");
    const calls = upstreamCalls.length;
    sandbox.faults.reset();
    const paused = await callJson<{ type: string }>(`/api/logs?${WINDOW}&limit=12`);
    expect(paused.body.type).toBe("/problems/upstream-budget");
    expect(Number(paused.response.headers.get("retry-after"))).toBeGreaterThan(100);
    expect(upstreamCalls).toHaveLength(calls);
    const health = await callJson<{ budget: { throttledUntil: string | null } }>("/api/health");
    expect(health.body.budget.throttledUntil).not.toBeNull();
  });
});

describe("health", () => {
  it("shows the budget to a signed-in caller", async () => {
    useSandboxMode({ UPSTREAM_BUDGET: "120/30s" });
    await callRoute("/api/logs?range=24h&limit=5");
    const { body } = await callJson<{ budget: Record<string, unknown> }>("/api/health");
    expect(body.budget).toEqual({
      limit: 120,
      windowSeconds: 30,
      // The page above; it vouches for the upstream, so health sends no probe of its own.
      used: 1,
      remaining: 119,
      waiting: 0,
      throttledUntil: null,
      store: "memory",
    });
  });

  it("shows no budget to a caller who is not signed in", async () => {
    useCloudflareMode(sandbox.url, {
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: "admin",
      BASIC_AUTH_PASSWORD: "a-long-password-1",
    });
    const { body } = await callJson<Record<string, unknown>>("/api/health");
    expect(body.budget).toBeUndefined();
    const signedIn = await callJson<Record<string, unknown>>("/api/health", {
      headers: { authorization: `Basic ${Buffer.from("admin:a-long-password-1").toString("base64")}` },
    });
    expect(signedIn.body.budget).toMatchObject({ limit: 600, windowSeconds: 300 });
  });
});

describe("shared pauses", () => {
  beforeEach(pinClock);
  afterEach(() => vi.useRealTimers());

  it("keeps a health probe the budget refuses from calling the upstream unreachable", async () => {
    useCloudflareMode(sandbox.url, { UPSTREAM_BUDGET: "11/600s" });
    // The slice's one call goes to a refused query: no answer that would vouch for the upstream.
    sandbox.faults.set({ kind: "status", status: 400 });
    expect((await callRoute(`/api/logs?${WINDOW}&limit=10`)).status).toBe(502);
    sandbox.faults.reset();
    const { body } = await callJson<{ status: string; upstream: Record<string, unknown> }>("/api/health");
    expect(body.status).toBe("ok");
    expect(body.upstream).toMatchObject({ reachable: true, skipped: "budget" });
    expect(upstreamCalls).toHaveLength(1);
  });

  it("pauses an instance whose own breaker is closed when another instance's breaker opened", async () => {
    useCloudflareMode(sandbox.url, { UPSTREAM_BREAKER_RESET_MS: "60000" });
    sandbox.faults.set({ kind: "truncated" });
    for (let i = 0; i < BREAKER_VOLUME; i++) await callRoute(`/api/logs?${WINDOW}&limit=${20 + i}`);
    sandbox.faults.reset();
    const calls = upstreamCalls.length;
    // This process's breaker forgets (as another instance's would never have known); the shared pause stays.
    resetBreakers();
    const paused = await callJson<{ type: string }>(`/api/logs?${WINDOW}&limit=99`);
    expect(paused.response.status).toBe(503);
    expect(paused.body.type).toBe("/problems/upstream-paused");
    expect(upstreamCalls).toHaveLength(calls);
  });
});
