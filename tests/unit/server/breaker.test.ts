import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { BREAKER_VOLUME } from "@/lib/server/breaker";
import { callJson, useCloudflareMode } from "./routes-support";

/** The circuit breaker in front of the upstream, through GET /api/logs. */
let sandbox: SandboxServer;

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: 1500, seed: 5, now: new Date() });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.reset();
  useCloudflareMode(sandbox.url, { UPSTREAM_BREAKER_RESET_MS: "1000" });
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

type Body = { type?: string; data?: unknown[]; upstream?: { reachable: boolean; error?: string } };
let n = 0;
/** A list request no earlier one shares an answer with (a page size of its own). */
const list = () => callJson<Body>(`/api/logs?range=30d&limit=${1 + (n++ % 999)}`);

async function statuses(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await list()).response.status);
  return out;
}

/** Make the upstream fail (a truncated body: not retried, one hit per call) until the breaker opens. */
async function trip() {
  sandbox.faults.set({ kind: "truncated" });
  expect(await statuses(BREAKER_VOLUME)).toEqual(Array(BREAKER_VOLUME).fill(502));
  expect(sandbox.faults.hits).toBe(BREAKER_VOLUME);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the upstream's circuit breaker", () => {
  it("after most of 10 calls failed, the next 50 requests get 503 upstream-paused and make no call", async () => {
    useCloudflareMode(sandbox.url);
    await trip();
    for (let i = 0; i < 50; i++) {
      const { response, body } = await list();
      expect(response.status).toBe(503);
      expect(body.type).toBe("/problems/upstream-paused");
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(response.headers.get("retry-after"))).toBeLessThanOrEqual(30);
    }
    expect(sandbox.faults.hits).toBe(BREAKER_VOLUME);
  });

  it("after the pause one probe goes through: a failing probe pauses again, a good one resumes", async () => {
    await trip();
    await sleep(1_100);
    expect(await statuses(2)).toEqual([502, 503]);
    expect(sandbox.faults.hits).toBe(BREAKER_VOLUME + 1);
    await sleep(1_100);
    sandbox.faults.set(null);
    expect(await statuses(3)).toEqual([200, 200, 200]);
    expect(sandbox.faults.hits).toBe(BREAKER_VOLUME + 4);
  });

  it("a refused token is not an upstream fault: twenty refusals never pause the calls", async () => {
    sandbox.faults.set({ kind: "status", status: 403 });
    for (let i = 0; i < 20; i++) expect((await list()).body.type).toBe("/problems/upstream-auth");
    expect(sandbox.faults.hits).toBe(20);
  });

  it("fewer than 10 calls never pause, whatever their failures", async () => {
    sandbox.faults.set({ kind: "truncated" });
    expect(await statuses(BREAKER_VOLUME - 1)).toEqual(Array(BREAKER_VOLUME - 1).fill(502));
    sandbox.faults.set(null);
    expect(await statuses(1)).toEqual([200]);
  });

  it("UPSTREAM_BREAKER_RESET_MS=0 turns the pause off", async () => {
    useCloudflareMode(sandbox.url, { UPSTREAM_BREAKER_RESET_MS: "0" });
    sandbox.faults.set({ kind: "truncated" });
    expect(await statuses(15)).toEqual(Array(15).fill(502));
    expect(sandbox.faults.hits).toBe(15);
  });

  it("the health answer says the calls are paused, without making one", async () => {
    await trip();
    const { response, body } = await callJson<Body>("/api/health");
    expect(response.status).toBe(200);
    expect(body.upstream).toMatchObject({ reachable: false, error: "upstream-paused" });
    expect(sandbox.faults.hits).toBe(BREAKER_VOLUME);
  });
});
