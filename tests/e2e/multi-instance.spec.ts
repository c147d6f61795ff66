import { expect, test } from "@playwright/test";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { startRedis, type RedisService } from "../support/services";
import { e2ePort, type AppServer } from "./support/app-server";
import { startStandaloneServer } from "./support/standalone-server";

/**
 * Several production servers, run as the Docker image runs them (the standalone output), spending one
 * call budget through a real Redis against the standalone sandbox, whose per-token limit is twice that
 * budget. The upstream must never refuse a call: the servers pace themselves. HTTP only, bounded loops,
 * short windows; what the sandbox counted is asserted, timings never are.
 */
const BUDGET = { calls: 60, seconds: 30 };
/** The budget holds over any span of its window, to within 10%. */
const MOST_PER_WINDOW = Math.floor(BUDGET.calls * 1.1);

let redis: RedisService;
let upstream: SandboxServer;
let apps: AppServer[] = [];
const started: AppServer[] = [];

// The sandbox's data ends at its clock; every window below ends an hour before it, so all of it exists.
const NOW = Date.now();
const iso = (hoursAgo: number) => new Date(NOW - hoursAgo * 3_600_000).toISOString();
const EXPORT_WINDOW = `since=${iso(14 * 24 + 1)}&before=${iso(1)}`;

test.describe.configure({ mode: "serial", timeout: 120_000 });

function appEnv(withRedis: boolean): Record<string, string> {
  return {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_API_TOKEN_FILE: "",
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: upstream.url,
    AUTH_MODE: "none",
    UPSTREAM_BUDGET: `${BUDGET.calls}/${BUDGET.seconds}s`,
    UPSTREAM_INSTANCES: "2",
    REDIS_URL: withRedis ? redis.url : "",
  };
}

async function startApp(offset: number, withRedis: boolean): Promise<AppServer> {
  const app = await startStandaloneServer(e2ePort(offset), appEnv(withRedis));
  started.push(app);
  return app;
}

test.beforeAll(async () => {
  redis = await startRedis();
  upstream = await startSandboxServer({
    port: 0,
    size: 20_000,
    seed: 13,
    now: new Date(NOW),
    enableFaults: true,
    rateLimit: { limit: 2 * BUDGET.calls, windowSeconds: BUDGET.seconds },
  });
  apps = await Promise.all([startApp(70, true), startApp(71, true)]);
});

test.afterAll(async () => {
  await Promise.all(started.map((app) => app.stop()));
  await upstream?.close();
  await redis?.stop();
});

interface SandboxStats {
  hits: number;
  requests: { url: string }[];
  rateLimit: { throttled: number; calls: number; busiestSpan: number; windows: number[] };
}

async function sandboxStats(): Promise<SandboxStats> {
  const res = await fetch(`http://127.0.0.1:${upstream.port}/__sandbox/stats?span=${BUDGET.seconds}`);
  return (await res.json()) as SandboxStats;
}

async function resetSandbox() {
  await fetch(`http://127.0.0.1:${upstream.port}/__sandbox/reset`, { method: "POST" });
}

/**
 * What a request got, for the tally: `ok`, `budget` (503 `upstream-budget` with a Retry-After), or the
 * status and problem type of anything else.
 */
async function outcome(res: Response): Promise<string> {
  if (res.ok) return "ok";
  const body = (await res.json().catch(() => ({}))) as { type?: string };
  if (res.status === 503 && body.type?.endsWith("upstream-budget"))
    return Number(res.headers.get("retry-after")) >= 1 ? "budget" : "budget without Retry-After";
  return `${res.status} ${body.type ?? ""}`.trim();
}

type Tally = Map<string, number>;
const count = (tally: Tally, key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

/** Every entry of the window, counted straight from the sandbox (after the load: it spends calls too). */
async function upstreamCount(search: string): Promise<number> {
  const params = new URLSearchParams(search);
  let rows = 0;
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const query = new URLSearchParams({
      since: params.get("since")!,
      before: params.get("before")!,
      limit: "1000",
    });
    for (const [k, v] of params) if (k !== "since" && k !== "before") query.append(k, v);
    if (cursor) query.set("cursor", cursor);
    const res = await fetch(`${upstream.url}/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit?${query}`, {
      headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
    });
    expect(res.status, "the count from the sandbox itself").toBe(200);
    const body = (await res.json()) as { result: unknown[]; result_info?: { cursor?: string } };
    rows += body.result.length;
    cursor = body.result_info?.cursor || null;
    if (!cursor) break;
  }
  return rows;
}

const FILTERS = [
  "",
  "action_result=failure",
  "action_result=success",
  "actor_type=user",
  "actor_type.not=user",
  "action_type=delete",
  "action_type.not=update",
  "actor_type=system",
  "actor_context=api_token",
  "direction=asc",
];

interface LoadResult {
  interactive: Tally;
  activity: Tally;
  exports: { search: string; status: string; rows: number }[];
}

/**
 * The load of a busy team, spread over `targets` in turn: 30 distinct activity requests, two exports and
 * 20 clients paging interactively (a client stops paging when the budget refuses it). `during` runs
 * while the load does.
 */
async function load(targets: AppServer[], run: number, during?: () => Promise<void>): Promise<LoadResult> {
  const at = (k: number) => targets[k % targets.length].url;
  const interactive: Tally = new Map();
  const activity: Tally = new Map();
  // Windows of this run's own (each ends a few seconds apart) keep earlier runs' cached answers out of it.
  const own = (k: number) => `before=${new Date(Date.parse(iso(1)) - run * 10_000 - k).toISOString()}`;

  const clients = Array.from({ length: 20 }, async (_, c) => {
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const filter = FILTERS[c % FILTERS.length];
      const url: string =
        `${at(c + page)}/api/logs?since=${iso(7 * 24 + 1)}&${own(c)}&limit=50&${filter}` +
        (cursor ? `&cursor=${encodeURIComponent(cursor)}` : "");
      const res = await fetch(url);
      const result = await outcome(res.clone());
      count(interactive, result);
      if (result !== "ok") return;
      const body = (await res.json()) as { data: unknown[]; nextCursor: string | null };
      if (body.data.length === 0) count(interactive, "ok without rows");
      cursor = body.nextCursor;
      if (!cursor) return;
    }
  });

  const overviews = Array.from({ length: 30 }, async (_, k) => {
    const buckets = [12, 24, 48][k % 3];
    const filter = FILTERS[Math.floor(k / 3)];
    const res = await fetch(
      `${at(k)}/api/logs/stats?since=${iso(14 * 24 + 1)}&${own(0)}&buckets=${buckets}&${filter}`,
    );
    count(activity, await outcome(res));
  });

  const exportSearches = [`${EXPORT_WINDOW}`, `${EXPORT_WINDOW}&action_result=success`];
  const exports = exportSearches.map(async (search, k) => {
    const res = await fetch(`${at(k)}/api/logs/export?${search}&format=ndjson`);
    const status = await outcome(res.clone());
    let rows = 0;
    if (status === "ok") rows = (await res.text()).split("\n").filter((line) => line.trim()).length;
    return { search, status, rows };
  });

  const [, , exported] = await Promise.all([
    Promise.all(clients),
    Promise.all(overviews),
    Promise.all(exports),
    during?.(),
  ]);
  return { interactive, activity, exports: exported };
}

/** What the sandbox saw and what the clients got, for the test's output. */
function report(stats: SandboxStats, result: LoadResult) {
  console.log(
    `sandbox: ${stats.rateLimit.calls} calls, windows ${JSON.stringify(stats.rateLimit.windows)}, busiest ` +
      `${BUDGET.seconds} s ${stats.rateLimit.busiestSpan}, 429s ${stats.rateLimit.throttled}; interactive ` +
      `${JSON.stringify([...result.interactive])}; activity ${JSON.stringify([...result.activity])}; exports ` +
      `${JSON.stringify(result.exports)}`,
  );
}

/** The bounds every run must hold, checked from what the sandbox saw. */
async function expectWithinBudget(result: LoadResult) {
  const stats = await sandboxStats();
  report(stats, result);
  expect(stats.rateLimit.throttled, "429s the upstream sent").toBe(0);
  expect(stats.rateLimit.busiestSpan, `calls in the busiest ${BUDGET.seconds} s`).toBeLessThanOrEqual(
    MOST_PER_WINDOW,
  );
  // Rows or a budget answer, nothing else: no other 5xx, no empty 200, no 4xx.
  expect([...result.interactive.keys()].filter((k) => k !== "ok" && k !== "budget")).toEqual([]);
  expect(result.interactive.get("ok") ?? 0, "some interactive requests got rows").toBeGreaterThan(0);
  expect([...result.activity.keys()].filter((k) => k !== "ok" && k !== "budget")).toEqual([]);
  // Exports pause for the budget and then finish: every row of the window.
  for (const exported of result.exports) {
    expect(exported.status, `export ${exported.search}`).toBe("ok");
    expect(exported.rows, `rows of export ${exported.search}`).toBe(await upstreamCount(exported.search));
  }
}

/** 20 identical requests, alternating over `targets`, all at once: one upstream call between them. */
async function expectOneCallForIdenticalRequests(targets: AppServer[], before: string) {
  const url = `/api/logs?since=${iso(48)}&before=${before}&limit=25&action_type=update`;
  const hits = (await sandboxStats()).hits;
  const answers = await Promise.all(
    Array.from({ length: 20 }, async (_, k) => {
      const res = await fetch(`${targets[k % targets.length].url}${url}`);
      expect(await outcome(res.clone()), `request ${k}`).toBe("ok");
      return JSON.stringify(((await res.json()) as { data: unknown }).data);
    }),
  );
  expect(new Set(answers).size, "every instance gave the same rows").toBe(1);
  expect((await sandboxStats()).hits - hits, "upstream calls for 20 identical requests").toBe(1);
}

async function health(app: AppServer): Promise<{ budget?: { store?: string; limit?: number } }> {
  return (await fetch(`${app.url}/api/health`)).json();
}

test("the standalone server the image runs serves the app, its assets and its API", async () => {
  const [app] = apps;
  const html = await (await fetch(`${app.url}/?range=7d`)).text();
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) expect((await fetch(new URL(src, app.url))).status, src).toBe(200);
  const res = await fetch(`${app.url}/api/logs?since=${iso(48)}&before=${iso(1)}&limit=5`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(5);
});

test("20 identical requests spread over two instances sharing Redis make one upstream call", async () => {
  for (const app of apps) expect((await health(app)).budget).toMatchObject({ store: "redis" });
  await expectOneCallForIdenticalRequests(apps, iso(2));
});

test("two instances sharing Redis under a busy team's load: no 429, the budget held, every export whole", async () => {
  await resetSandbox();
  const result = await load(apps, 1);
  await expectWithinBudget(result);
});

test("one instance without Redis holds the same bounds", async () => {
  const alone = await startApp(72, false);
  expect((await health(alone)).budget).toMatchObject({ store: "memory", limit: BUDGET.calls });
  // The sandbox forgets the shared instances' calls: only this one's are counted.
  await resetSandbox();
  const result = await load([alone], 2);
  await alone.stop();
  await expectWithinBudget(result);
});

test("Redis stopped mid-run: budget answers only, a local budget, then shared state again", async () => {
  await resetSandbox();
  let hitsAtStop = 0;
  let stoppedAt = 0;
  const during = await load(apps, 3, async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    hitsAtStop = (await sandboxStats()).hits;
    stoppedAt = Date.now();
    await redis.stop();
    // Health says so on every instance, once it has tried Redis (bounded wait).
    for (const app of apps) {
      await expect
        .poll(async () => (await health(app)).budget?.store, { timeout: 15_000 })
        .toBe("local-fallback");
    }
  });
  // A second busy spell, all of it while Redis is down.
  const after = await load(apps, 4);
  const stats = await sandboxStats();
  const outageWindows = Math.ceil((Date.now() - stoppedAt) / (BUDGET.seconds * 1000));
  for (const result of [during, after]) {
    report(stats, result);
    expect([...result.interactive.keys()].filter((k) => k !== "ok" && k !== "budget")).toEqual([]);
    expect([...result.activity.keys()].filter((k) => k !== "ok" && k !== "budget")).toEqual([]);
    for (const exported of result.exports) expect(exported.status).not.toMatch(/^5/);
  }
  expect(stats.rateLimit.throttled, "429s the upstream sent").toBe(0);
  // Each instance alone keeps to its share of the budget: together, no more than the budget per window.
  expect(stats.hits - hitsAtStop, "upstream calls while Redis was down").toBeLessThanOrEqual(
    MOST_PER_WINDOW * outageWindows,
  );

  await redis.start();
  for (const app of apps) {
    await expect.poll(async () => (await health(app)).budget?.store, { timeout: 20_000 }).toBe("redis");
  }
  // Shared again: one call between the instances for the same view.
  await expectOneCallForIdenticalRequests(apps, iso(3));
});
