import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as logsRoute } from "@/app/api/logs/route";
import { GET as statsRoute } from "@/app/api/logs/stats/route";
import type { AuditLog } from "@/lib/audit-log";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import type { StatsResponse } from "@/lib/stats";
import { PINNED_NOW, pinClock } from "../support/clock";

// The dashboard in cloudflare mode against the standalone sandbox, through the real route handlers.
const DAY = 86_400_000;
const NOW = PINNED_NOW;
let sandbox: SandboxServer;

beforeAll(async () => {
  pinClock(NOW);
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: 10_000, seed: 7, now: NOW });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sandbox.close();
  vi.useRealTimers();
});

function cloudflareMode(statsMaxEntries: number) {
  for (const key of ["CLOUDFLARE_API_TOKEN_FILE", "AUDIT_LOGS_API", "SANDBOX_NOW"])
    vi.stubEnv(key, undefined);
  vi.stubEnv("CLOUDFLARE_API_TOKEN", SANDBOX_TOKEN);
  vi.stubEnv("CLOUDFLARE_ACCOUNT_ID", SANDBOX_ACCOUNT_ID);
  vi.stubEnv("CLOUDFLARE_BASE_URL", sandbox.url);
  vi.stubEnv("AUTH_MODE", "none");
  vi.stubEnv("STATS_MAX_ENTRIES", String(statsMaxEntries));
}

beforeEach(() => {
  cloudflareMode(20_000);
  sandbox.faults.reset();
  vi.spyOn(console, "log").mockImplementation(() => {});
});

/** A pinned window ending `endDaysAgo` days before the sandbox's clock, `days` long, on whole seconds. */
function windowParams(days: number, endDaysAgo = 0): string {
  const before = Math.floor((NOW.getTime() - endDaysAgo * DAY) / 1000) * 1000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
  return `since=${iso(before - days * DAY)}&before=${iso(before)}`;
}

async function stats(qs: string): Promise<StatsResponse> {
  const res = await statsRoute(new Request(`http://localhost/api/logs/stats?${qs}`));
  expect(res.status).toBe(200);
  return (await res.json()) as StatsResponse;
}

/** Every row `/api/logs` returns for a query, walked with limit 1000. */
async function allRows(qs: string): Promise<AuditLog[]> {
  const rows: AuditLog[] = [];
  let cursor: string | null = null;
  do {
    const url = `http://localhost/api/logs?${qs}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await logsRoute(new Request(url));
    expect(res.status).toBe(200);
    const page = (await res.json()) as { data: AuditLog[]; nextCursor: string | null };
    rows.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

describe("stats against the sandbox", () => {
  it("totals what /api/logs returns for the same filters when coverage is complete", async () => {
    for (const filters of ["", "&action_result=failure", "&resource_product.not=Access&actor_type=user"]) {
      const qs = `${windowParams(20)}${filters}`;
      const out = await stats(`${qs}&buckets=60`);
      expect(out.coverage.complete).toBe(true);
      const rows = await allRows(qs);
      expect(rows.length).toBeGreaterThan(0);
      expect(out.totals.entries).toBe(rows.length);
      expect(out.buckets.reduce((n, b) => n + b.success + b.failure + b.other, 0)).toBe(rows.length);
      expect(out.totals.failure).toBe(rows.filter((r) => r.actionResult === "failure").length);
      // An API token's entries count under the token's name, not its owner's email.
      const emails = rows
        .filter((r) => r.actorEmail && !(r.actorTokenId && r.actorTokenName))
        .map((r) => r.actorEmail);
      const top = out.top.actors.find((a) => a.param === "actor_email");
      expect(emails.length).toBeGreaterThan(0);
      expect(top).toBeDefined();
      expect(emails.filter((e) => e === top!.value)).toHaveLength(top!.count);
    }
  });

  it("walks each page once for concurrent identical requests, and not at all for a repeat", async () => {
    const qs = `${windowParams(30, 1)}&buckets=30`;
    const results = await Promise.all(Array.from({ length: 8 }, () => stats(qs)));
    const pages = Math.ceil(results[0].coverage.entries / 1000) || 1;
    expect(results.every((r) => r.totals.entries === results[0].totals.entries)).toBe(true);
    expect(sandbox.faults.hits).toBe(pages);
    await stats(qs);
    expect(sandbox.faults.hits).toBe(pages);
  });

  it("says how far a walk that hit the budget got", async () => {
    cloudflareMode(1_500);
    const out = await stats(`${windowParams(90)}&buckets=45`);
    expect(out.coverage.complete).toBe(false);
    // The cap, less the entries of the last second walked, which may be only partly walked.
    expect(out.coverage.entries).toBeLessThanOrEqual(1_500);
    expect(out.coverage.entries).toBeGreaterThan(1_450);
    expect(out.totals.entries).toBe(out.coverage.entries);
    expect(out.coverage.oldestCovered).toMatch(/:\d\d(\.000)?Z$/);
    expect(Date.parse(out.coverage.oldestCovered!)).toBeGreaterThan(Date.parse(out.window.since));
    expect(sandbox.faults.hits).toBe(2);
  });

  it("does not keep an upstream failure", async () => {
    sandbox.faults.push({ kind: "status", status: 400 });
    const qs = `${windowParams(2, 3)}&buckets=48`;
    const failed = await statsRoute(new Request(`http://localhost/api/logs/stats?${qs}`));
    expect(failed.status).toBe(502);
    expect((await stats(qs)).coverage.complete).toBe(true);
  });

  it.each(["buckets=0", "buckets=abc"])("refuses %s before any upstream call", async (qs) => {
    const res = await statsRoute(new Request(`http://localhost/api/logs/stats?${qs}`));
    expect(res.status).toBe(400);
    expect(sandbox.faults.hits).toBe(0);
  });
});
