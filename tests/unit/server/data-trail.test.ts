import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as exportLogs } from "@/app/api/logs/export/route";
import { GET as stats } from "@/app/api/logs/stats/route";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { resetSignInTrail } from "@/lib/server/audit-trail";
import { clientAddress, normalizeAddress } from "@/lib/server/client-address";
import { AUD, createSigningKey, startAccessIssuer, type AccessIssuer } from "../auth/fixtures";
import { callJson, useCloudflareMode, useSandboxMode } from "./routes-support";

const NOW = "2026-11-15T12:00:00Z";
let sandbox: SandboxServer;
let issuer: AccessIssuer;
let info: { mock: { calls: unknown[][] } };

beforeAll(async () => {
  sandbox = await startSandboxServer({
    port: 0,
    enableFaults: true,
    size: 3000,
    seed: 5,
    now: new Date(NOW),
  });
  issuer = await startAccessIssuer([await createSigningKey("k1")]);
});
afterAll(async () => {
  await sandbox.close();
  await issuer.close();
});
beforeEach(() => {
  resetSignInTrail();
  sandbox.faults.reset();
  info = vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The `data-request` lines written so far. */
const dataLines = () =>
  info.mock.calls
    .map((args) => String(args[0]))
    .filter((line) => line.includes('"event":"data-request"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("the data-request trail", () => {
  it("records who, the route, the canonical query, the status and the upstream calls of each request", async () => {
    useSandboxMode({ SANDBOX_NOW: NOW, SANDBOX_SIZE: "2000" });
    await callJson("/api/logs?range=7d&limit=5&action_type=delete&action_type=create");
    // The same query again is answered from the page cache: no upstream call.
    await callJson("/api/logs?action_type=create&limit=5&action_type=delete&range=7d");
    const [first, again] = dataLines();
    expect(first).toEqual({
      time: expect.any(String),
      event: "data-request",
      requestId: expect.any(String),
      who: "anonymous",
      method: "none",
      route: "/api/logs",
      account: SANDBOX_ACCOUNT_ID,
      query: {
        range: "7d",
        direction: "desc",
        filters: { action_type: ["create", "delete"] },
        limit: "5",
      },
      status: 200,
      outcome: "complete",
      upstreamCalls: 1,
      client: null,
    });
    expect(again).toMatchObject({ query: first.query, status: 200, upstreamCalls: 0 });
  });

  it("records a refused request without a viewer, and a bad query with its 400", async () => {
    useSandboxMode({ AUTH_MODE: "basic", BASIC_AUTH_USER: "admin", BASIC_AUTH_PASSWORD: "a-long-password" });
    await callJson("/api/logs?range=1h");
    useSandboxMode({ SANDBOX_NOW: NOW });
    await callJson("/api/logs?range=1y");
    expect(dataLines()).toEqual([
      expect.objectContaining({ who: null, method: "basic", status: 401, upstreamCalls: 0 }),
      expect.objectContaining({ who: "anonymous", status: 400, upstreamCalls: 0 }),
    ]);
  });

  it("counts every upstream call of an export, made while its body streams, and never writes the token", async () => {
    useCloudflareMode(sandbox.url, { SANDBOX_NOW: NOW });
    const response = await exportLogs(
      new Request("http://localhost/api/logs/export?range=90d&format=ndjson"),
    );
    expect(response.status).toBe(200);
    expect(dataLines()).toHaveLength(0);
    await response.text();
    const [line] = dataLines();
    expect(sandbox.faults.hits).toBeGreaterThan(1);
    expect(line).toMatchObject({ route: "/api/logs/export", outcome: "complete" });
    expect(line.upstreamCalls).toBe(sandbox.faults.hits);

    const before = sandbox.faults.hits;
    await (await stats(new Request("http://localhost/api/logs/stats?range=7d"))).text();
    expect(dataLines()[1].upstreamCalls).toBe(sandbox.faults.hits - before);
    for (const args of info.mock.calls) expect(String(args[0])).not.toContain(SANDBOX_TOKEN);
  });

  it("believes X-Forwarded-For only behind TRUSTED_PROXIES, taking the rightmost hop that is not one", async () => {
    const headers = { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2", "cf-connecting-ip": "6.6.6.7" };
    useSandboxMode({ SANDBOX_NOW: NOW });
    await callJson("/api/logs?range=1h", { headers });
    useSandboxMode({ SANDBOX_NOW: NOW, TRUSTED_PROXIES: "10.0.0.0/8, ::1" });
    await callJson("/api/logs?range=1h", { headers });
    expect(dataLines().map((line) => line.client)).toEqual([null, "203.0.113.9"]);
  });

  it("believes CF-Connecting-IP only from a request with a verified Access token", async () => {
    useSandboxMode({
      SANDBOX_NOW: NOW,
      AUTH_MODE: "access",
      ACCESS_TEAM_DOMAIN: issuer.origin,
      ACCESS_AUD: AUD,
      ACCESS_ALLOW_ANY_EMAIL: "true",
    });
    const token = await issuer.sign({ email: "alice@example.com" });
    await callJson("/api/logs?range=1h", {
      headers: { "cf-connecting-ip": "198.51.100.4", "cf-access-jwt-assertion": token },
    });
    await callJson("/api/logs?range=1h", {
      headers: { "cf-connecting-ip": "198.51.100.4", "cf-access-jwt-assertion": `${token}x` },
    });
    expect(dataLines().map((line) => [line.who, line.status, line.client])).toEqual([
      ["alice@example.com", 200, "198.51.100.4"],
      [null, 401, null],
    ]);
  });
});

describe("clientAddress", () => {
  const proxies = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"];
  const from = (xff: string, trustedProxies = proxies) =>
    clientAddress(new Headers({ "x-forwarded-for": xff }), { accessVerified: false, trustedProxies });

  it("walks the hops from the right, past listed proxies", () => {
    expect(from("1.1.1.1")).toBe("1.1.1.1");
    expect(from("9.9.9.9, 1.1.1.1, 192.0.2.1, 10.1.2.3")).toBe("1.1.1.1");
    expect(from("9.9.9.9,[2001:db8::5]:443")).toBe("9.9.9.9");
    expect(from("10.0.0.1, 10.0.0.2")).toBe("10.0.0.1");
    expect(from("1.1.1.1, nonsense, 10.0.0.2")).toBeNull();
    expect(from("")).toBeNull();
    expect(from("1.1.1.1", [])).toBeNull();
  });

  it("normalizes the forms proxies write", () => {
    expect(normalizeAddress("203.0.113.9:5678")).toBe("203.0.113.9");
    expect(normalizeAddress("[2001:DB8::1]:80")).toBe("2001:db8::1");
    expect(normalizeAddress("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(normalizeAddress("unknown")).toBeNull();
    expect(normalizeAddress("1.2.3.4.5")).toBeNull();
  });
});
