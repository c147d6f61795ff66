import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { retriesNotice, upstreamDefaults } from "@/lib/server/upstream";
import { callJson, callRoute, useCloudflareMode } from "./routes-support";

/** The route-level deadline in these tests (production: 15 s). */
const DEADLINE_MS = 1_500;
const PATH = "/api/logs?range=30d&limit=10";

let sandbox: SandboxServer;
const saved = { ...upstreamDefaults };

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: 1500, seed: 5, now: new Date() });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.reset();
  useCloudflareMode(sandbox.url);
  vi.stubEnv("UPSTREAM_TIMEOUT_MS", String(DEADLINE_MS));
  // Server-side logging of upstream failures is expected here; keep the output readable.
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.useRealTimers();
  Object.assign(upstreamDefaults, saved);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await vi.waitFor(() => expect(sandbox.faults.inFlight).toBe(0), { timeout: 2_000 });
});

const call = (path = PATH, init?: RequestInit) =>
  callJson<{ type?: string; status?: number; detail?: string; data?: unknown[] }>(path, init);

/** Let pending callbacks and I/O run, without waiting for any amount of wall-clock time. */
async function turns(n = 10) {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/**
 * With the timers faked, the faked milliseconds that pass before `done()` holds, advanced in small
 * steps with real I/O in between. Slow I/O can only make the count larger, never smaller, so a lower
 * bound on it holds on any machine.
 */
async function fakeMsUntil(done: () => boolean, stepMs = 50): Promise<number> {
  let elapsed = 0;
  while (!done()) {
    await vi.advanceTimersByTimeAsync(stepMs);
    elapsed += stepMs;
    await turns(5);
  }
  return elapsed;
}

/** Fake the timers (the call's own deadline, an AbortSignal timeout, stays real). */
const fakeTimers = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });

describe("upstream faults through GET /api/logs", () => {
  it("429 with Retry-After: 1, then success → 200 after one retry (2 hits)", async () => {
    sandbox.faults.push({ kind: "status", status: 429, retryAfter: "1" });
    // Room for the one-second wait however busy the machine is.
    vi.stubEnv("UPSTREAM_TIMEOUT_MS", String(10_000));
    fakeTimers();
    const pending = call();
    while (sandbox.faults.hits < 1) await turns(1);
    // The retry waits for a timer of at least the upstream's second.
    expect(await fakeMsUntil(() => sandbox.faults.hits >= 2)).toBeGreaterThanOrEqual(1_000);
    const { response, body } = await pending;
    expect(response.status).toBe(200);
    expect(body.data).toEqual(expect.any(Array));
    expect(sandbox.faults.hits).toBe(2);
  });

  it("429 with Retry-After: 300 → 503 with Retry-After: 300 at once (1 hit)", async () => {
    sandbox.faults.push({ kind: "status", status: 429, retryAfter: "300" });
    // No timer fires: a wait of any length would end at the call's deadline instead, with a 504.
    fakeTimers();
    const { response, body } = await call();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("300");
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(body.type).toBe("/problems/upstream-rate-limited");
    expect(sandbox.faults.hits).toBe(1);
  });

  it("500 three times → 502 upstream-unavailable after three attempts", async () => {
    sandbox.faults.push({ kind: "status", status: 500 }, 3);
    const { response, body } = await call();
    expect(response.status).toBe(502);
    expect(body.type).toBe("/problems/upstream-unavailable");
    expect(sandbox.faults.hits).toBe(3);
  });

  it("a single 502 is retried and the page is served, saying that it needed a retry", async () => {
    sandbox.faults.push({ kind: "status", status: 502 });
    const { response, body } = await call();
    expect(response.status).toBe(200);
    expect(sandbox.faults.hits).toBe(2);
    expect((body as { meta?: { notices?: string[] } }).meta?.notices).toEqual([retriesNotice(1)]);
    expect(retriesNotice(1)).toContain("needed a retry");
  });

  it("a page served at the first attempt carries no notice", async () => {
    const { response, body } = await call();
    expect(response.status).toBe(200);
    expect(sandbox.faults.hits).toBe(1);
    expect((body as { meta?: { notices?: string[] } }).meta).not.toHaveProperty("notices");
  });

  it("a wrong token (upstream 403) → 502 upstream-auth without retrying", async () => {
    useCloudflareMode(sandbox.url, { CLOUDFLARE_API_TOKEN: "not-the-sandbox-token" });
    const { response, body } = await call();
    expect(response.status).toBe(502);
    expect(body.type).toBe("/problems/upstream-auth");
    expect(body.detail).toContain("Account Settings Read");
    expect(sandbox.faults.hits).toBe(1);
  });

  it("an upstream 400 → 502 upstream-rejected", async () => {
    sandbox.faults.push({ kind: "status", status: 400 });
    const { response, body } = await call("/api/logs?range=1h");
    expect(response.status).toBe(502);
    expect(body.type).toBe("/problems/upstream-rejected");
    expect(sandbox.faults.hits).toBe(1);
  });

  it("an upstream 400 naming a filter value it does not know → 400 naming that filter", async () => {
    const { response, body } = await callJson<{ errors: unknown[] }>(
      "/api/logs?range=1h&action_type.not=success",
    );
    expect(response.status).toBe(400);
    expect(body.errors).toEqual([
      { parameter: "action_type.not", message: expect.stringContaining("invalid value") },
    ]);
  });

  it("a Retry-After that would overrun the deadline → 503 at once", async () => {
    sandbox.faults.push({ kind: "status", status: 429, retryAfter: "3" });
    // No timer fires: a wait would end at the call's deadline instead, with a 504.
    fakeTimers();
    const { response } = await call();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(sandbox.faults.hits).toBe(1);
  });

  // These upstreams never answer in time: only the call's deadline can end them with a 504 (a hang
  // would last until the test's own timeout, a slow answer would be a 200), so no clock is read.
  it("a hang before headers → 504 within the deadline", async () => {
    sandbox.faults.set({ kind: "hang" });
    const { response, body } = await call();
    expect(response.status).toBe(504);
    expect(body.type).toBe("/problems/upstream-timeout");
  });

  it("headers, then a stalled body → 504 within the deadline", async () => {
    sandbox.faults.set({ kind: "stall" });
    const { response, body } = await call();
    expect(response.status).toBe(504);
    expect(body.type).toBe("/problems/upstream-timeout");
  });

  it("a slow answer beyond the deadline → 504", async () => {
    sandbox.faults.set({ kind: "slow", delayMs: 5_000 });
    const { response } = await call();
    expect(response.status).toBe(504);
  });

  it.each([["html"], ["truncated"]] as const)(
    "a 200 with %s → 502 upstream-invalid-response, never an empty table",
    async (kind) => {
      sandbox.faults.set({ kind });
      const { response, body } = await call();
      expect(response.status).toBe(502);
      expect(body.type).toBe("/problems/upstream-invalid-response");
      expect(body).not.toHaveProperty("data");
      expect(sandbox.faults.hits).toBe(1);
    },
  );

  it.each([
    ["empty body", ""],
    ["failure envelope", '{"success":false,"errors":[],"result":[]}'],
    ["non-array result", '{"success":true,"errors":[],"result":{}}'],
  ])("a 200 with a %s → 502 upstream-invalid-response", async (_, text) => {
    sandbox.faults.push({ kind: "status", status: 200, body: text });
    const { response, body } = await call();
    expect(response.status).toBe(502);
    expect(body.type).toBe("/problems/upstream-invalid-response");
  });

  it("a client that disconnects aborts the upstream call", async () => {
    sandbox.faults.set({ kind: "hang" });
    vi.stubEnv("UPSTREAM_TIMEOUT_MS", String(10_000));
    const controller = new AbortController();
    const pending = callRoute(PATH, { signal: controller.signal });
    await vi.waitFor(() => expect(sandbox.faults.inFlight).toBe(1));
    controller.abort();
    const response = await pending;
    expect(response.status).toBe(499);
    // The upstream call is closed long before the 10 s deadline would have ended it.
    await vi.waitFor(() => expect(sandbox.faults.inFlight).toBe(0), { timeout: 8_000, interval: 10 });
    expect(sandbox.faults.hits).toBe(1);
  });

  it("a client that disconnects during a retry wait causes no further upstream call", async () => {
    sandbox.faults.push({ kind: "status", status: 429, retryAfter: "3" });
    // A wait that would overrun the deadline is not started at all (503 at once): give it room.
    vi.stubEnv("UPSTREAM_TIMEOUT_MS", String(10_000));
    fakeTimers();
    const controller = new AbortController();
    const pending = callRoute(PATH, { signal: controller.signal });
    while (sandbox.faults.hits < 1) await turns(1);
    controller.abort();
    // Answered with no timer firing: the retry's wait ends with the client, not after its 3 s.
    expect((await pending).status).toBe(499);
    await vi.advanceTimersByTimeAsync(5_000);
    await turns();
    expect(sandbox.faults.hits).toBe(1);
  });
});
