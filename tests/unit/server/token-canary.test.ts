import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditLog } from "@/lib/audit-log";
import type { Fault } from "@/lib/sandbox/faults";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { upstreamDefaults } from "@/lib/server/upstream";
import { callRoute, useCloudflareMode } from "./routes-support";

/** A random token: if it shows up anywhere a browser or a log reader could see it, the test fails. */
const CANARY = `cf_canary_${randomBytes(16).toString("hex")}`;
const OTHER_CANARY = `cf_canary_${randomBytes(16).toString("hex")}`;

let sandbox: SandboxServer;
let entry: AuditLog;
const logged: string[] = [];
const saved = { ...upstreamDefaults };

beforeAll(async () => {
  sandbox = await startSandboxServer({
    port: 0,
    enableFaults: true,
    size: 1000,
    seed: 4,
    now: new Date(),
    token: CANARY,
  });
  useCloudflareMode(sandbox.url, { CLOUDFLARE_API_TOKEN: CANARY });
  const response = await callRoute("/api/logs?range=30d&limit=5");
  entry = ((await response.json()) as { data: AuditLog[] }).data[0];
  vi.unstubAllEnvs();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.reset();
  useCloudflareMode(sandbox.url, { CLOUDFLARE_API_TOKEN: CANARY });
  vi.stubEnv("UPSTREAM_TIMEOUT_MS", "800");
  upstreamDefaults.healthDeadlineMs = 800;
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 8 }))).join(" "));
    });
  }
});
afterEach(() => {
  Object.assign(upstreamDefaults, saved);
  sandbox.faults.set(null);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const history = () => `/api/logs/${entry.id}/history?action_time=${encodeURIComponent(entry.time)}`;

type Case = {
  name: string;
  path: () => string;
  status: number;
  fault?: Fault;
  times?: number;
  env?: Record<string, string>;
};

const cases: Case[] = [
  { name: "list success", path: () => "/api/logs?range=30d&limit=50", status: 200 },
  { name: "history success", path: history, status: 200 },
  { name: "health", path: () => "/api/health", status: 200 },
  { name: "bad input", path: () => "/api/logs?since=garbage&limit=0", status: 400 },
  { name: "history bad input", path: () => "/api/logs/x/history", status: 400 },
  {
    name: "upstream 403",
    path: () => "/api/logs?range=1h",
    status: 502,
    fault: { kind: "status", status: 403 },
  },
  {
    name: "wrong token",
    path: () => "/api/logs?range=1h",
    status: 502,
    env: { CLOUDFLARE_API_TOKEN: OTHER_CANARY },
  },
  {
    name: "upstream 429",
    path: () => "/api/logs?range=1h",
    status: 503,
    fault: { kind: "status", status: 429, retryAfter: "300" },
  },
  {
    name: "upstream 500",
    path: () => "/api/logs?range=1h",
    status: 502,
    fault: { kind: "status", status: 500 },
    times: 3,
  },
  {
    name: "upstream 400",
    path: () => "/api/logs?range=1h",
    status: 502,
    fault: { kind: "status", status: 400 },
  },
  { name: "unknown product category", path: () => "/api/logs?range=1h&product_category=nope", status: 400 },
  { name: "timeout", path: () => "/api/logs?range=1h", status: 504, fault: { kind: "hang" } },
  { name: "stalled body", path: () => "/api/logs?range=1h", status: 504, fault: { kind: "stall" } },
  { name: "html", path: () => "/api/logs?range=1h", status: 502, fault: { kind: "html" } },
  { name: "truncated", path: () => "/api/logs?range=1h", status: 502, fault: { kind: "truncated" } },
  { name: "history timeout", path: history, status: 504, fault: { kind: "hang" } },
  {
    name: "health degraded",
    path: () => "/api/health",
    status: 200,
    fault: { kind: "status", status: 403 },
    times: 3,
  },
  {
    name: "not configured",
    path: () => "/api/logs?range=1h",
    status: 503,
    env: { CLOUDFLARE_ACCOUNT_ID: "not-hex" },
  },
  {
    name: "health not configured",
    path: () => "/api/health",
    status: 503,
    env: { CLOUDFLARE_ACCOUNT_ID: "" },
  },
];

describe("the API token never leaves the server", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    if (c.env) useCloudflareMode(sandbox.url, { CLOUDFLARE_API_TOKEN: CANARY, ...c.env });
    // The health probe is remembered per configuration: a fresh one per case.
    if (c.path().startsWith("/api/health"))
      vi.stubEnv("SANDBOX_SEED", String(Math.floor(Math.random() * 1e9)));
    if (c.fault?.kind === "hang" || c.fault?.kind === "stall") sandbox.faults.set(c.fault);
    else if (c.fault) sandbox.faults.push(c.fault, c.times ?? 1);

    const response = await callRoute(c.path());
    const body = await response.text();
    expect(response.status, body).toBe(c.status);
    const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    for (const secret of [CANARY, OTHER_CANARY]) {
      expect(body).not.toContain(secret);
      expect(headers).not.toContain(secret);
    }
    expect(body).not.toMatch(/bearer/i);
    expect(headers).not.toMatch(/bearer/i);
  });

  it("really used the canary as the upstream token", async () => {
    expect((await callRoute("/api/logs?range=1h")).status).toBe(200);
    expect(sandbox.faults.requests.map((r) => r.authorization)).toEqual([`Bearer ${CANARY}`]);
  });

  it("wrote nothing secret to the console in any of those cases", () => {
    const everything = logged.join("\n");
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(OTHER_CANARY);
    expect(everything).not.toMatch(/bearer/i);
    // The failures above were logged server-side (with a request id), just without the token.
    expect(everything).toMatch(/upstream-auth/);
  });
});
