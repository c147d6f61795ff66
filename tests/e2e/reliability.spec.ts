import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import type { AuditLog } from "@/lib/audit-log";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { e2ePort, rssMb, startAppServer, type AppServer } from "./support/app-server";

/**
 * Load and faults against a production server in Cloudflare mode whose upstream is the standalone
 * sandbox: many clients at once, the upstream failing mid-run, exports failing mid-stream. Loopback
 * only, bounded in time; figures are reported, behaviour is asserted.
 */
let upstream: SandboxServer;
let app: AppServer;
const TIMEOUT_MS = 2_000;
const BREAKER_RESET_MS = 1_000;

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  upstream = await startSandboxServer({ port: 0, size: 20_000, seed: 11, enableFaults: true });
  app = await startAppServer(e2ePort(60), {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: upstream.url,
    AUTH_MODE: "none",
    UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
    // The breaker's pause, short here so that every fault phase also sees the upstream's own answers.
    UPSTREAM_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
    // A budget these loads never spend, so each fault phase sees the upstream's answers; the pause after
    // an upstream 429 still applies.
    UPSTREAM_BUDGET: "6000/300s",
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

test("the upstream failing mid-run: the right problem statuses, calls paused by the breaker, then recovery", async () => {
  const baseline = rssMb(app.pid, (p) => readFileSync(p, "utf8"));
  const phases = [
    { name: "ok", fault: null, expect: 200 },
    { name: "rate-limited", fault: { kind: "status", status: 429, retryAfter: "2" }, expect: 503 },
    { name: "server errors", fault: { kind: "status", status: 500 }, expect: 502 },
    { name: "hang", fault: { kind: "hang" }, expect: 504 },
    { name: "malformed", fault: { kind: "truncated" }, expect: 502 },
    { name: "recovered", fault: null, expect: 200 },
  ] as const;
  for (const [index, phase] of phases.entries()) {
    upstream.faults.set(phase.fault);
    const hitsBefore = upstream.faults.hits;
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    let paused = 0;
    const seconds = phase.name === "hang" ? (TIMEOUT_MS + 1_000) / 1000 : 1.5;
    const requests = await load(
      10,
      seconds * 1000,
      async (status, res) => {
        if (status < 400) return void statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const body = await res.json();
        if (res.headers.get("content-type") !== "application/problem+json" || body.status !== status)
          bad.push(JSON.stringify(body));
        // The breaker's answers, and the budget's while an upstream 429 pauses it: no upstream call, 503
        // with the seconds left of the pause.
        if (body.type === "/problems/upstream-paused" || body.type === "/problems/upstream-budget") {
          paused++;
          if (status !== 503 || !(Number(res.headers.get("retry-after")) >= 1))
            bad.push(JSON.stringify(body));
          return;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 503 && res.headers.get("retry-after") !== "2") bad.push(`503 without Retry-After`);
      },
      // A page size of its own per phase: an answer cached in one phase is not asked again in the next.
      40 + index,
    );
    const hits = upstream.faults.hits - hitsBefore;
    console.log(
      `${phase.name}: ${JSON.stringify(Object.fromEntries(statuses))}, paused ${paused}, ${requests} requests, ${hits} upstream calls`,
    );
    expect(bad.slice(0, 3)).toEqual([]);
    // Only the expected status once the fault is in place (requests started before it may still pass).
    expect([...statuses.keys()].filter((s) => s !== phase.expect && s !== 200)).toEqual([]);
    expect(statuses.get(phase.expect) ?? 0).toBeGreaterThan(0);
    // While the upstream fails, the breaker keeps the calls to about one volume of calls per pause (ten
    // clients, three attempts per call on a 500), however many requests arrive.
    if (phase.fault)
      expect(hits).toBeLessThanOrEqual(3 * (10 + 10 * Math.ceil((seconds * 1000) / BREAKER_RESET_MS)));
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
