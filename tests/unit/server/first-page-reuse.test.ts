import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as stats } from "@/app/api/logs/stats/route";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { getConfig } from "@/lib/server/config";
import { resetGateways } from "@/lib/server/gateway";
import { closeRedis, getRedis } from "@/lib/server/redis";
import type { LogPage } from "@/lib/server/upstream";
import type { StatsResponse } from "@/lib/stats";
import { startRedis, type RedisService } from "../../support/services";
import { callJson, useCloudflareMode } from "./routes-support";

/** The table's first page and the overview's walk of the same window, counted at the sandbox's door. */
let sandbox: SandboxServer;
let upstreamCalls: string[];

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, size: 3000, seed: 7, now: new Date("2026-11-20T12:00:00Z") });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  upstreamCalls = [];
  const realFetch = globalThis.fetch;
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
    upstreamCalls.push(String(input));
    return realFetch(input, init);
  });
  vi.spyOn(console, "info").mockImplementation(() => {});
  // The clock stands a moment after the sandbox's last entry, so relative ranges find its data.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-20T12:00:00.250Z"));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Open a view as the browser does: the table's first page, then the overview pinned to its window. */
async function openView(search: string) {
  const table = await callJson<LogPage>(`/api/logs?${search}`);
  expect(table.response.status).toBe(200);
  const { since, before } = table.body.meta;
  const qs = new URLSearchParams({ since, before, buckets: "60" });
  const response = await stats(new Request(`http://localhost/api/logs/stats?${qs}`));
  expect(response.status).toBe(200);
  return { table: table.body, overview: (await response.json()) as StatsResponse };
}

/** The overview of the same window on an instance with nothing kept: its own walk, and its calls. */
async function overviewAlone({ since, before }: { since: string; before: string }) {
  resetGateways();
  upstreamCalls = [];
  const qs = new URLSearchParams({ since, before, buckets: "60" });
  const response = await stats(new Request(`http://localhost/api/logs/stats?${qs}`));
  expect(response.status).toBe(200);
  return { overview: (await response.json()) as StatsResponse, calls: upstreamCalls.length };
}

describe("the table's first page and the overview's walk", () => {
  it("cost one call together for a window of at most 100 entries", async () => {
    useCloudflareMode(sandbox.url);
    const { table, overview } = await openView("range=24h");
    expect(table.nextCursor).toBeNull();
    expect(table.data.length).toBeGreaterThan(20);
    expect(overview.totals.entries).toBe(table.data.length);
    expect(overview.coverage.complete).toBe(true);
    expect(upstreamCalls).toHaveLength(1);
  });

  it("share the first page: the walk goes on from the table's cursor at its own page size", async () => {
    useCloudflareMode(sandbox.url);
    // About 1,040 entries: 100 in the table's page, the rest in one page of the walk (not two).
    const { table, overview } = await openView("range=37d");
    expect(table.nextCursor).not.toBeNull();
    expect(upstreamCalls).toHaveLength(2);
    const alone = await overviewAlone(table.meta);
    expect(alone.calls).toBe(2);
    expect(alone.overview.totals.entries).toBeGreaterThan(1000);
    expect(overview).toEqual(alone.overview);
  });

  it("share the first page while it is still on its way: the overview asked right after the table", async () => {
    useCloudflareMode(sandbox.url);
    const qs = "since=2026-11-19T12:00:00Z&before=2026-11-20T12:00:00Z";
    const [table, response] = await Promise.all([
      callJson<LogPage>(`/api/logs?${qs}`),
      stats(new Request(`http://localhost/api/logs/stats?${qs}&buckets=60`)),
    ]);
    expect(response.status).toBe(200);
    const overview = (await response.json()) as StatsResponse;
    expect(table.body.nextCursor).toBeNull();
    expect(overview.totals.entries).toBe(table.body.data.length);
    expect(upstreamCalls).toHaveLength(1);
  });

  it("with v1's numbered pages, leave the walk to page on its own, and count the same", async () => {
    useCloudflareMode(sandbox.url, { AUDIT_LOGS_API: "v1" });
    // v1 ends a walk only on an empty page: a first page of 100 is never the last one, and a page of
    // 100 cannot be continued by pages of 1,000.
    const { table, overview } = await openView("range=7d");
    expect(table.nextCursor).not.toBeNull();
    const viewCalls = upstreamCalls.length;
    const alone = await overviewAlone(table.meta);
    expect(viewCalls).toBe(1 + alone.calls);
    expect(overview.totals.entries).toBeGreaterThan(100);
    expect(overview).toEqual(alone.overview);
  });

  it("is not shared with the walk of another window", async () => {
    useCloudflareMode(sandbox.url);
    const table = await callJson<LogPage>("/api/logs?range=24h");
    const since = new Date(Date.parse(table.body.meta.since) + 1000).toISOString();
    const qs = new URLSearchParams({ since, before: table.body.meta.before, buckets: "60" });
    const response = await stats(new Request(`http://localhost/api/logs/stats?${qs}`));
    expect(response.status).toBe(200);
    expect(upstreamCalls).toHaveLength(2);
  });
});

describe("with REDIS_URL", () => {
  let redis: RedisService;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await closeRedis();
    await redis?.stop();
  });

  it("another instance's walk starts from the table's first page too", async () => {
    useCloudflareMode(sandbox.url, { REDIS_URL: redis.url });
    const config = getConfig();
    if (!config.ok) throw new Error(config.problems.join("; "));
    const client = getRedis(config.config)!;
    for (let i = 0; i < 200 && client.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 25));
    await client.flushall();
    const table = await callJson<LogPage>("/api/logs?range=24h");
    expect(table.body.nextCursor).toBeNull();
    // The overview is asked of another instance: nothing of the page in its memory.
    resetGateways();
    const { since, before } = table.body.meta;
    const qs = new URLSearchParams({ since, before, buckets: "60" });
    const response = await stats(new Request(`http://localhost/api/logs/stats?${qs}`));
    expect(response.status).toBe(200);
    expect(((await response.json()) as StatsResponse).totals.entries).toBe(table.body.data.length);
    expect(upstreamCalls).toHaveLength(1);
  });
});
