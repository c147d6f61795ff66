import { afterEach, describe, expect, it, vi } from "vitest";
import { getConfig } from "@/lib/server/config";
import { resetGateways as clearLogPages } from "@/lib/server/gateway";
import { requestNow } from "@/lib/server/upstream";
import type { AuditLog } from "@/lib/audit-log";
import { callJson, useSandboxMode } from "./routes-support";

type Page = { data: AuditLog[]; meta: { since: string; before: string } };
const ANCHOR = "2026-11-15T12:00:00Z";

function configured() {
  const result = getConfig();
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.config;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("the in-process sandbox clock", () => {
  it("advances from SANDBOX_NOW, and relative ranges follow it to the new entries", async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    useSandboxMode({ SANDBOX_SIZE: "2000", SANDBOX_SEED: "3", SANDBOX_NOW: ANCHOR });
    vi.stubEnv("SANDBOX_CLOCK", "live");
    const first = await callJson<Page>("/api/logs?range=15m&limit=100");
    expect(first.response.status).toBe(200);
    const start = Date.parse(first.body.meta.before);
    expect(start).toBeGreaterThanOrEqual(Date.parse(ANCHOR));

    vi.advanceTimersByTime(60_000);
    clearLogPages(); // a repeat within seconds is answered from memory: that cache has tests of its own
    const later = await callJson<Page>("/api/logs?range=15m&limit=100");
    expect(Date.parse(later.body.meta.before)).toBe(start + 60_000);
    const newer = later.body.data.filter((row) => Date.parse(row.time) > start);
    expect(newer.length).toBeGreaterThanOrEqual(5);
    expect(newer.every((row) => Date.parse(row.time) <= start + 60_000)).toBe(true);
    expect(requestNow(configured()).getTime()).toBe(start + 60_000);
  });

  it("SANDBOX_CLOCK=frozen keeps the dataset and the app's now at SANDBOX_NOW", async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    useSandboxMode({ SANDBOX_SIZE: "2000", SANDBOX_SEED: "3", SANDBOX_NOW: ANCHOR });
    vi.stubEnv("SANDBOX_CLOCK", "frozen");
    const first = await callJson<Page>("/api/logs?range=15m&limit=100");
    vi.advanceTimersByTime(10 * 60_000);
    clearLogPages();
    const later = await callJson<Page>("/api/logs?range=15m&limit=100");
    expect(later.body.meta).toEqual(first.body.meta);
    expect(later.body.meta.before).toBe("2026-11-15T12:00:00.000Z");
    expect(later.body.data.map((row) => row.id)).toEqual(first.body.data.map((row) => row.id));
    expect(requestNow(configured()).toISOString()).toBe("2026-11-15T12:00:00.000Z");
  });

  it("refuses a SANDBOX_CLOCK it does not know", () => {
    useSandboxMode({ SANDBOX_NOW: ANCHOR });
    vi.stubEnv("SANDBOX_CLOCK", "paused");
    const result = getConfig();
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.join(" ")).toMatch(/SANDBOX_CLOCK/);
  });
});

describe("live checks", () => {
  it("spend their upstream call below a person's requests (the overview's priority)", async () => {
    const gateway = await import("@/lib/server/gateway");
    const spy = vi.spyOn(gateway, "spender");
    useSandboxMode({ SANDBOX_SIZE: "2000", SANDBOX_NOW: ANCHOR });
    await callJson("/api/logs?since=2026-11-15T11:00:00Z", { headers: { "x-request-priority": "live" } });
    await callJson("/api/logs?since=2026-11-15T11:30:00Z");
    expect(spy.mock.calls.map(([priority]) => priority)).toEqual(["overview", "interactive"]);
  });
});
