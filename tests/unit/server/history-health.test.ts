import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as history } from "@/app/api/logs/[id]/history/route";
import type { AuditLog } from "@/lib/audit-log";
import { SANDBOX_ACCOUNT_ID } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { validateHistoryRequest } from "@/lib/server/history";
import { upstreamDefaults } from "@/lib/server/upstream";
import { pinClock } from "../support/clock";
import { callJson, useCloudflareMode, useSandboxMode } from "./routes-support";

interface HistoryBody {
  data: AuditLog[];
  nextCursor: string | null;
  historyStatus: string;
  status?: number;
  type?: string;
  errors?: { parameter: string }[];
}

let sandbox: SandboxServer;
let entries: AuditLog[];
const saved = { ...upstreamDefaults };

beforeAll(async () => {
  pinClock();
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: 2000, seed: 9, now: new Date() });
  useCloudflareMode(sandbox.url);
  entries = (await callJson<{ data: AuditLog[] }>("/api/logs?range=30d&limit=200")).body.data;
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await sandbox.close();
  vi.useRealTimers();
});
beforeEach(() => {
  sandbox.faults.reset();
  useCloudflareMode(sandbox.url);
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  Object.assign(upstreamDefaults, saved);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const historyPath = (id: string, qs: string) => `/api/logs/${encodeURIComponent(id)}/history?${qs}`;

describe("GET /api/logs/{id}/history", () => {
  it("passes the history through, normalized, with its status", async () => {
    // A person's change to a resource with an id of its own (one that other entries also touch): the
    // sandbox keeps an exact history for it, which holds the entry itself.
    const shared = (id: string | null) =>
      id !== null && entries.filter((e) => e.resourceId === id).length > 1;
    const entry = entries.find((e) => e.actorType === "user" && shared(e.resourceId));
    expect(entry).toBeDefined();
    const { response, body } = await callJson<HistoryBody>(
      historyPath(entry!.id, `action_time=${encodeURIComponent(entry!.time)}`),
    );
    expect(response.status).toBe(200);
    expect(body.historyStatus).toBe("exact");
    expect(body.data.map((e) => e.id)).toContain(entry!.id);
    expect(body.data.every((e) => e.resourceId === entry!.resourceId)).toBe(true);

    const sent = new URL(sandbox.faults.requests[0].url);
    expect(sent.pathname).toBe(`/client/v4/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit/${entry!.id}/history`);
    expect([...sent.searchParams.keys()]).toEqual(["action_time", "since", "before", "limit"]);
    expect(sent.searchParams.get("action_time")).toBe(new Date(entry!.time).toISOString());
  });

  it("pages through a history with the upstream cursor", async () => {
    const counts = new Map<string, number>();
    for (const e of entries) if (e.resourceId) counts.set(e.resourceId, (counts.get(e.resourceId) ?? 0) + 1);
    const busiest = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const entry = entries.find((e) => e.resourceId === busiest)!;
    // Later pages keep the window of the first (the default `before` is "now", which moves).
    const window = `since=${encodeURIComponent(entries.at(-1)!.time)}&before=${encodeURIComponent(new Date().toISOString())}`;
    const base = `action_time=${encodeURIComponent(entry.time)}&${window}&limit=1&direction=asc`;
    const first = await callJson<HistoryBody>(historyPath(entry.id, base));
    expect(first.response.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    {
      const second = await callJson<HistoryBody>(
        historyPath(entry.id, `${base}&cursor=${encodeURIComponent(first.body.nextCursor!)}`),
      );
      expect(second.response.status).toBe(200);
      expect(second.body.data[0]?.id).not.toBe(first.body.data[0].id);
    }
  });

  it("answers 404 not-found when the upstream does not know the entry", async () => {
    const { response, body } = await callJson<HistoryBody>(
      historyPath("00000000-0000-4000-8000-000000000000", "action_time=2026-11-01T00:00:00Z"),
    );
    expect(response.status).toBe(404);
    expect(body.type).toBe("/problems/not-found");
  });

  it.each([
    ["bad id!", "action_time=2026-11-01T00:00:00Z", "id"],
    ["x".repeat(65), "action_time=2026-11-01T00:00:00Z", "id"],
    ["a.b", "action_time=2026-11-01T00:00:00Z", "id"],
    ["abc", "", "action_time"],
    ["abc", "action_time=yesterday", "action_time"],
    ["abc", "action_time=2026-11-01T00:00:00Z&since=nope", "since"],
    ["abc", "action_time=2026-11-01T00:00:00Z&since=2026-11-02&before=2026-11-01", "before"],
    ["abc", "action_time=2026-11-01T00:00:00Z&limit=0", "limit"],
    ["abc", "action_time=2026-11-01T00:00:00Z&colour=red", "colour"],
  ])("id %j with %j → 400 naming %s, nothing sent upstream", async (id, qs, parameter) => {
    const { response, body } = await callJson<HistoryBody>(historyPath(id, qs));
    expect(response.status).toBe(400);
    expect(body.errors?.map((e) => e.parameter)).toContain(parameter);
    expect(sandbox.faults.hits).toBe(0);
  });

  it("refuses an id with a slash (a decoded path segment), nothing sent upstream", async () => {
    const request = new Request("http://localhost/api/logs/x/history?action_time=2026-11-01T00:00:00Z");
    const response = await history(request, { params: Promise.resolve({ id: "../audit_logs" }) });
    expect(response.status).toBe(400);
    expect(sandbox.faults.hits).toBe(0);
  });

  it("answers 400 in v1 mode: history needs the v2 API", async () => {
    useCloudflareMode(sandbox.url, { AUDIT_LOGS_API: "v1" });
    const { response, body } = await callJson<HistoryBody & { detail: string }>(
      historyPath("abc", "action_time=2026-11-01T00:00:00Z"),
    );
    expect(response.status).toBe(400);
    expect(body.detail).toMatch(/v2/);
    expect(sandbox.faults.hits).toBe(0);
  });

  it("defaults the window to 90 days before the entry, narrowed to the retention", () => {
    const now = new Date("2026-11-15T00:00:00Z");
    const request = validateHistoryRequest(
      "abc",
      new URLSearchParams("action_time=2026-10-01T00:00:00Z"),
      now,
    );
    expect(request.ok && request.value.since.toISOString()).toBe("2026-07-03T00:00:00.000Z");
    expect(request.ok && request.value.before).toEqual(now);
    const old = validateHistoryRequest("abc", new URLSearchParams("action_time=2025-06-01T00:00:00Z"), now);
    expect(old.ok && old.value.since.getTime()).toBe(now.getTime() - 548 * 86_400_000);
  });
});

describe("GET /api/health", () => {
  it("reports a reachable upstream in cloudflare mode", async () => {
    const { response, body } = await callJson("/api/health");
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      status: "ok",
      configured: true,
      mode: "cloudflare",
      api: "v2",
      upstream: { reachable: true, latencyMs: expect.any(Number) },
      version: expect.any(String),
    });
    expect(sandbox.faults.hits).toBe(1);
  });

  it("reports degraded (still 200) with the problem slug when the upstream refuses the token", async () => {
    useCloudflareMode(sandbox.url, { CLOUDFLARE_API_TOKEN: "wrong-health-token" });
    const { response, body } = await callJson("/api/health");
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      status: "degraded",
      upstream: { reachable: false, error: "upstream-auth" },
    });
  });

  it("probes with a short deadline", async () => {
    useCloudflareMode(sandbox.url, { CLOUDFLARE_API_TOKEN: "hanging-health-token", AUDIT_LOGS_API: "v1" });
    upstreamDefaults.healthDeadlineMs = 300;
    sandbox.faults.set({ kind: "hang" });
    const { body } = await callJson("/api/health");
    expect(body).toMatchObject({
      status: "degraded",
      upstream: { reachable: false, error: "upstream-timeout" },
    });
    sandbox.faults.set(null);
  });

  it("answers 200 reachable in sandbox mode", async () => {
    useSandboxMode({ SANDBOX_SIZE: "1000" });
    const { response, body } = await callJson("/api/health");
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: "ok", mode: "sandbox", upstream: { reachable: true } });
    expect(sandbox.faults.hits).toBe(0);
  });

  it("answers 503 degraded, and nothing else, when the configuration is invalid", async () => {
    useCloudflareMode(sandbox.url, {
      CLOUDFLARE_ACCOUNT_ID: "",
      CLOUDFLARE_API_TOKEN: "secret-config-token",
    });
    const { response, text, body } = await callJson("/api/health");
    expect(response.status).toBe(503);
    expect(body).toEqual({ status: "degraded" });
    expect(text).not.toContain("secret-config-token");
  });

  it("stays open for health checks when sign-in is required, revealing only the status", async () => {
    useSandboxMode({
      SANDBOX_SIZE: "1000",
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: "admin",
      BASIC_AUTH_PASSWORD: "a-long-password",
    });
    const { response, body } = await callJson("/api/health");
    expect(response.status).toBe(200);
    expect(body).toEqual({ status: "ok" });
  });
});
