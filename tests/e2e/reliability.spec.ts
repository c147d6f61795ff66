import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import type { AuditLog } from "@/lib/audit-log";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { rssMb, startAppServer, type AppServer } from "./support/app-server";

/**
 * Load and faults against a production server in Cloudflare mode whose upstream is the standalone
 * sandbox: many clients at once, the upstream failing mid-run, exports failing mid-stream. Loopback
 * only, bounded in time; figures are reported, behaviour is asserted.
 */
let upstream: SandboxServer;
let app: AppServer;
const TIMEOUT_MS = 2_000;

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  upstream = await startSandboxServer({ port: 0, size: 20_000, seed: 11, enableFaults: true });
  app = await startAppServer(3160, {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: upstream.url,
    AUTH_MODE: "none",
    UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
  });
});

test.afterAll(async () => {
  await app?.stop();
  await upstream?.close();
});

/** Filters whose every row can be checked: a mixed-up answer (another query's rows) is caught. */
const QUERIES: { qs: string; holds: (row: AuditLog) => boolean }[] = [
  { qs: "action_result=failure", holds: (r) => r.actionResult === "failure" },
  { qs: "action_result=success", holds: (r) => r.actionResult === "success" },
  { qs: "action_type=delete", holds: (r) => r.actionType === "delete" },
  { qs: "action_type.not=update", holds: (r) => r.actionType !== "update" },
  { qs: "actor_type=user", holds: (r) => r.actorType === "user" },
  { qs: "actor_type.not=user", holds: (r) => r.actorType !== "user" },
  { qs: "direction=asc", holds: () => true },
];

/**
 * Run `workers` clients for `ms`, each picking queries in turn; returns the number of requests. `limit`
 * sets the page size, so runs that must not share cached answers ask different pages.
 */
async function load(
  workers: number,
  ms: number,
  onStatus: (status: number, res: Response, q: (typeof QUERIES)[number]) => Promise<void>,
  limit = 50,
) {
  const end = Date.now() + ms;
  let requests = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; Date.now() < end; i++) {
        const q = QUERIES[i % QUERIES.length];
        const res = await fetch(`${app.url}/api/logs?range=30d&limit=${limit}&${q.qs}`);
        requests++;
        await onStatus(res.status, res, q);
      }
    }),
  );
  return requests;
}

test("50 concurrent clients for 10 s: no errors, no mixed-up answers, one upstream call per query", async () => {
  const baseline = rssMb(app.pid, (p) => readFileSync(p, "utf8"));
  const hitsBefore = upstream.faults.hits;
  const failures: string[] = [];
  let rows = 0;
  const requests = await load(50, 10_000, async (status, res, q) => {
    if (status !== 200) return void failures.push(`${q.qs}: ${status} ${await res.text()}`);
    const { data } = (await res.json()) as { data: AuditLog[] };
    rows += data.length;
    const wrong = data.find((r) => !q.holds(r));
    if (wrong) failures.push(`${q.qs}: row ${wrong.id} does not match`);
  });
  const after = rssMb(app.pid, (p) => readFileSync(p, "utf8"));
  console.log(
    `load: ${requests} requests in 10 s (${(requests / 10).toFixed(0)}/s), ${rows} rows, RSS ${baseline.toFixed(0)} → ${after.toFixed(0)} MB`,
  );
  const hits = upstream.faults.hits - hitsBefore;
  console.log(`upstream calls: ${hits} for ${QUERIES.length} distinct queries`);
  expect(failures.slice(0, 5)).toEqual([]);
  expect(requests).toBeGreaterThan(100);
  // Identical requests share one call and repeats within the cache's TTL (longer than the run) are
  // answered from memory.
  expect(hits).toBeLessThanOrEqual(QUERIES.length);
});

test("the upstream failing mid-run: the right problem statuses, then recovery", async () => {
  const baseline = rssMb(app.pid, (p) => readFileSync(p, "utf8"));
  const phases = [
    { name: "ok", fault: null, expect: 200 },
    { name: "rate-limited", fault: { kind: "status", status: 429, retryAfter: "60" }, expect: 503 },
    { name: "server errors", fault: { kind: "status", status: 500 }, expect: 502 },
    { name: "hang", fault: { kind: "hang" }, expect: 504 },
    { name: "malformed", fault: { kind: "truncated" }, expect: 502 },
    { name: "recovered", fault: null, expect: 200 },
  ] as const;
  for (const [index, phase] of phases.entries()) {
    upstream.faults.set(phase.fault);
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    await load(
      10,
      phase.name === "hang" ? TIMEOUT_MS + 1_000 : 1_500,
      async (status, res) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 400) {
          const body = await res.json();
          if (res.headers.get("content-type") !== "application/problem+json" || body.status !== status)
            bad.push(JSON.stringify(body));
          if (status === 503 && res.headers.get("retry-after") !== "60") bad.push(`503 without Retry-After`);
        } else await res.body?.cancel();
      },
      // A page size of its own per phase: an answer cached in one phase is not asked again in the next.
      40 + index,
    );
    console.log(`${phase.name}: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(bad.slice(0, 3)).toEqual([]);
    // Only the expected status once the fault is in place (requests started before it may still pass).
    expect([...statuses.keys()].filter((s) => s !== phase.expect && s !== 200)).toEqual([]);
    expect(statuses.get(phase.expect) ?? 0).toBeGreaterThan(0);
  }
  expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  const after = rssMb(app.pid, (p) => readFileSync(p, "utf8"));
  console.log(`RSS ${baseline.toFixed(0)} → ${after.toFixed(0)} MB`);
  expect(after).toBeLessThan(baseline + 150);
});

test("an upstream failure mid-export aborts the download and the server stays up", async () => {
  upstream.faults.reset();
  const res = await fetch(`${app.url}/api/logs/export?range=90d&format=csv`);
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  await reader.read();
  upstream.faults.set({ kind: "status", status: 500 });
  const drain = async () => {
    for (;;) if ((await reader.read()).done) return "complete";
  };
  await expect(drain()).rejects.toThrow();
  upstream.faults.set(null);
  expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  const again = await fetch(`${app.url}/api/logs/export?range=1h&format=ndjson`);
  expect(again.status).toBe(200);
  await again.text();
});
