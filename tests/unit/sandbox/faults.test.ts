import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FaultController } from "@/lib/sandbox/faults";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { ACCOUNT, ALL_TIME, AUTH, makeHandler, NOW, query } from "./helpers";

let server: SandboxServer;
const v2 = (params = {}) =>
  `${server.url}/accounts/${ACCOUNT}/logs/audit${query({ ...ALL_TIME, limit: 20, ...params })}`;
const v1 = (params = {}) =>
  `${server.url}/accounts/${ACCOUNT}/audit_logs${query({ per_page: 50, ...params })}`;
const get = (url: string, signal?: AbortSignal) => fetch(url, { headers: AUTH, signal });
const origin = () => `http://127.0.0.1:${server.port}`;
const post = (path: string, body: unknown) =>
  fetch(`${origin()}${path}`, { method: "POST", body: JSON.stringify(body) });

/** Wait for a condition; the generous bound is only there so a broken build fails instead of hanging. */
const until = (check: () => boolean) =>
  vi.waitFor(() => expect(check()).toBe(true), { timeout: 15_000, interval: 5 });

/** Let pending callbacks and I/O run, without waiting for any amount of wall-clock time. */
async function turns(n = 10) {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

beforeAll(async () => {
  server = await startSandboxServer({ port: 0, size: 300, now: NOW, enableFaults: true });
});
afterAll(() => server.close());
beforeEach(() => server.faults.reset());
afterEach(() => {
  vi.useRealTimers();
});

describe("fault injection through the HTTP server", () => {
  it("answers 429 with Retry-After (seconds or HTTP date) in Cloudflare's envelope, then recovers", async () => {
    server.faults.push({ kind: "status", status: 429, retryAfter: "1" });
    server.faults.push({ kind: "status", status: 429, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT" });
    const first = await get(v2());
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    expect((await first.json()).errors[0].code).toBe(971);
    const second = await get(v2());
    expect(second.headers.get("retry-after")).toBe("Wed, 21 Oct 2026 07:28:00 GMT");
    await second.body?.cancel();
    expect((await get(v2())).status).toBe(200);
  });

  it("repeats a queued fault `times` times; a persistent one until cleared", async () => {
    server.faults.push({ kind: "status", status: 503 }, 2);
    const statuses = [];
    for (let k = 0; k < 3; k++) statuses.push((await get(v2())).status);
    expect(statuses).toEqual([503, 503, 200]);
    server.faults.set({ kind: "status", status: 502, body: "upstream down" });
    const bad = await get(v2());
    expect(bad.status).toBe(502);
    expect(await bad.text()).toBe("upstream down");
    expect((await get(v1())).status).toBe(502);
    server.faults.set(null);
    expect((await get(v1())).status).toBe(200);
  });

  it("answers 500 with the v4 error envelope", async () => {
    server.faults.push({ kind: "status", status: 500 });
    const reply = await get(v2());
    expect(await reply.json()).toEqual({
      success: false,
      errors: [{ code: 10001, message: "Internal server error" }],
      messages: [],
      result: null,
    });
  });

  it("hangs until the client gives up, without leaking the request", async () => {
    server.faults.push({ kind: "hang" });
    await expect(get(v2(), AbortSignal.timeout(300))).rejects.toThrow();
    await until(() => server.faults.inFlight === 0);
    expect((await get(v2())).status).toBe(200);
  });

  it("stalls after the headers and part of the body", async () => {
    server.faults.push({ kind: "stall" });
    const controller = new AbortController();
    const response = await get(v2(), controller.signal);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBeGreaterThan(10);
    let more = false;
    reader.read().then(
      () => (more = true),
      () => {},
    );
    await turns(50);
    expect(more).toBe(false);
    expect(server.faults.inFlight).toBe(1);
    controller.abort();
    await until(() => server.faults.inFlight === 0);
  });

  it("serves an HTML error page with status 200", async () => {
    server.faults.push({ kind: "html" });
    const reply = await get(v2());
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toContain("text/html");
    expect(await reply.text()).toContain("<html>");
  });

  it("serves truncated JSON with status 200", async () => {
    server.faults.push({ kind: "truncated" });
    const reply = await get(v2());
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toContain("application/json");
    const text = await reply.text();
    expect(text.startsWith('{"success":true')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("answers normally after a delay", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    server.faults.push({ kind: "slow", delayMs: 250 });
    let answered = false;
    const pending = get(v2()).then((reply) => ((answered = true), reply));
    while (server.faults.hits < 1) await turns(1);
    await vi.advanceTimersByTimeAsync(249);
    await turns();
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const reply = await pending;
    expect((await reply.json()).result).toHaveLength(20);
  });

  it("never ends pagination: v1 pages stay non-empty, v2 always has a cursor", async () => {
    server.faults.set({ kind: "endless" });
    const far = await (await get(v1({ page: 500 }))).json();
    expect(far.result.length).toBeGreaterThan(0);
    const last = await (await get(v2({ limit: 1000 }))).json();
    expect(last.result).toHaveLength(300);
    expect(last.result_info.cursor).toBeDefined();
    const again = await (await get(v2({ limit: 1000, cursor: last.result_info.cursor }))).json();
    expect(again.result).toHaveLength(300);
    expect(again.result_info.cursor).toBeDefined();
  });

  it("counts hits and records each request's method, full URL and authorization", async () => {
    await get(v2({ action_type: ["create", "update"], "actor_ip_address.not": "10.0.0.0/8" }));
    await fetch(v1(), { headers: { authorization: "Bearer other" } });
    expect(server.faults.hits).toBe(2);
    expect(server.faults.requests).toEqual([
      {
        method: "GET",
        url: v2({ action_type: ["create", "update"], "actor_ip_address.not": "10.0.0.0/8" }),
        authorization: AUTH.authorization,
      },
      { method: "GET", url: v1(), authorization: "Bearer other" },
    ]);
  });

  it("is driven by the control routes", async () => {
    expect(
      (await post("/__sandbox/faults", { fault: { kind: "status", status: 504 }, times: 1 })).status,
    ).toBe(200);
    expect((await get(v2())).status).toBe(504);
    await post("/__sandbox/faults", { persistent: { kind: "html" } });
    expect((await get(v2())).headers.get("content-type")).toContain("text/html");
    await post("/__sandbox/faults", { persistent: null });
    expect((await get(v2())).status).toBe(200);
    const stats = await (await fetch(`${origin()}/__sandbox/stats`)).json();
    expect(stats.hits).toBe(3);
    expect(stats.inFlight).toBe(0);
    expect(stats.requests).toHaveLength(3);
    await post("/__sandbox/reset", {});
    expect((await (await fetch(`${origin()}/__sandbox/stats`)).json()).hits).toBe(0);
    expect((await post("/__sandbox/faults", { nonsense: true })).status).toBe(400);
  });
});

describe("fault injection elsewhere", () => {
  it("has no control routes unless enabled", async () => {
    const plain = await startSandboxServer({ port: 0, size: 50, now: NOW });
    try {
      const base = `http://127.0.0.1:${plain.port}`;
      expect((await fetch(`${base}/__sandbox/stats`)).status).toBe(404);
      expect((await fetch(`${base}/__sandbox/faults`, { method: "POST", body: "{}" })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it("works in process: a hang rejects when the request's signal aborts", async () => {
    const faults = new FaultController();
    const handler = makeHandler({ size: 50, faults });
    faults.push({ kind: "hang" });
    const controller = new AbortController();
    const pending = handler(new Request(v2Url(), { headers: AUTH, signal: controller.signal }));
    await until(() => faults.inFlight === 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(faults.inFlight).toBe(0);
    expect(faults.hits).toBe(1);
  });

  it("works in process: a stalled body errors when the request's signal aborts", async () => {
    const faults = new FaultController();
    const handler = makeHandler({ size: 50, faults });
    faults.push({ kind: "stall" });
    const controller = new AbortController();
    const response = await handler(new Request(v2Url(), { headers: AUTH, signal: controller.signal }));
    const reader = response.body!.getReader();
    expect((await reader.read()).value!.length).toBeGreaterThan(0);
    const rest = reader.read();
    controller.abort();
    await expect(rest).rejects.toMatchObject({ name: "AbortError" });
    expect(faults.inFlight).toBe(0);
  });

  it("closes the server even while a request hangs", async () => {
    const hanging = await startSandboxServer({ port: 0, size: 50, now: NOW });
    hanging.faults.set({ kind: "hang" });
    const pending = fetch(`${hanging.url}/accounts/${ACCOUNT}/logs/audit${query(ALL_TIME)}`, {
      headers: AUTH,
    }).catch((e: Error) => e);
    await until(() => hanging.faults.hits === 1);
    await hanging.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

function v2Url() {
  return `https://api.cloudflare.com/client/v4/accounts/${ACCOUNT}/logs/audit${query(ALL_TIME)}`;
}
