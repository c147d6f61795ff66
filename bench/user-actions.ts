/**
 * Upstream calls per user action on a busy account, counted where Cloudflare would count them: at the
 * sandbox (1,000,000 entries, Cloudflare's per-token limit on). A browser opens a 7-day view, changes a
 * filter, scrolls 10 screens and opens an entry; then 100,000 rows are exported. Also the p50 of
 * interactive requests (`/api/logs`, every one distinct) while a large export runs, against idle.
 *
 * Part of `npm run bench`; alone: `npx tsx bench/user-actions.ts` (builds nothing: run `next build` first;
 * `NEXT_DIST_DIR` picks another build, `BENCH_PORT` the app's port).
 */
import { chromium, type Page } from "@playwright/test";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { printRows, runIfMain, withBenchApp, type BenchRow } from "./app-server";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { chromiumLaunchOptions } from "../tests/e2e/support/chromium";
import { download } from "./client";

export interface CallsResult {
  /** Upstream calls per action, in the order they ran. */
  actions: { action: string; calls: number }[];
  /** 429s the sandbox sent during the whole run. */
  throttled: number;
  idleP50Ms: number;
  exportP50Ms: number;
  /** p50 samples the budget answered 503 `upstream-budget`. */
  refused: number;
}

const EXPORT_ROWS = 100_000;
const SAMPLES = 15;
/** Interactive requests the budget refused while the p50s were sampled. */
let refused = 0;

/** Waits until the sandbox has answered everything and heard nothing new for `quietMs`. */
async function settled(upstream: SandboxServer, quietMs = 1500): Promise<void> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    if (upstream.faults.hits !== last || upstream.faults.inFlight > 0) {
      last = upstream.faults.hits;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function counted(upstream: SandboxServer, run: () => Promise<void>): Promise<number> {
  await settled(upstream);
  const before = upstream.faults.hits;
  await run();
  await settled(upstream);
  return upstream.faults.hits - before;
}

async function browserActions(app: string, upstream: SandboxServer, page: Page) {
  const actions: CallsResult["actions"] = [];
  const step = async (action: string, run: () => Promise<void>) => {
    actions.push({ action, calls: await counted(upstream, run) });
  };
  await step("open a 7-day view (a shared link with one filter)", async () => {
    await page.goto(`${app}/?range=7d&action_type=update`);
    await page.locator("[data-hydrated]").waitFor();
    await page.waitForLoadState("networkidle");
  });
  await step("change a filter (include → exclude)", async () => {
    await page.getByRole("button", { name: "Action type is update: switch to exclude" }).click();
    await page.waitForLoadState("networkidle");
  });
  await step("scroll 10 screens", async () => {
    const region = page.getByRole("region", { name: "Audit log entries" });
    for (let k = 0; k < 10; k++) {
      await region.evaluate((el) => el.scrollBy(0, el.clientHeight));
      // Let the table ask for the next page when it nears the end, as a reader would.
      await page.waitForTimeout(300);
      await page.waitForLoadState("networkidle");
    }
  });
  await step("open an entry", async () => {
    await page.locator('[role="row"][data-row-id]').nth(3).click();
    await page.getByRole("dialog").waitFor();
    await page.waitForLoadState("networkidle");
  });
  return actions;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times of SAMPLES sequential `/api/logs` requests, each for a different window (no cache can answer). */
async function interactiveTimes(app: string, offset: number): Promise<number[]> {
  const times: number[] = [];
  const end = Date.now() - offset * 60_000;
  for (let k = 0; k < SAMPLES; k++) {
    const before = new Date(end - k * 1000).toISOString();
    const since = new Date(end - k * 1000 - 86_400_000).toISOString();
    const started = performance.now();
    const res = await fetch(`${app}/api/logs?since=${since}&before=${before}&limit=100`);
    const body = await res.text();
    // A request the budget refused is counted apart: its quick 503 is no answer to time.
    if (res.status === 503 && body.includes("upstream-budget")) {
      refused++;
      continue;
    }
    if (!res.ok) throw new Error(`/api/logs answered ${res.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * The upstream of this benchmark: 1,000,000 entries, Cloudflare's per-token limit on, counters on. Its
 * dataset is built before it is handed out, so nothing counted waits for it.
 */
export async function startCountingSandbox(): Promise<SandboxServer> {
  const upstream = await startSandboxServer({ port: 0, size: 1_000_000, enableFaults: true });
  await fetch(`${upstream.url}/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit?limit=1`, {
    headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
  }).then((r) => r.arrayBuffer());
  return upstream;
}

/**
 * Runs the actions against a running app whose upstream is `upstream` (counters are reset first: the
 * app's start-up calls are not counted).
 */
export async function benchCalls(app: string, upstream: SandboxServer): Promise<CallsResult> {
  await settled(upstream);
  upstream.faults.reset();
  upstream.limiter?.reset();
  const browser = await chromium.launch(chromiumLaunchOptions);
  let actions: CallsResult["actions"];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    actions = await browserActions(app, upstream, page);
  } finally {
    await browser.close();
  }
  actions.push({
    action: `export ${EXPORT_ROWS.toLocaleString("en")} rows`,
    calls: await counted(upstream, async () => {
      // A CSV's header line is not a row.
      const got = await download(`${app}/api/logs/export?range=30d&format=csv`, EXPORT_ROWS + 1);
      if (got.rows < EXPORT_ROWS + 1) throw new Error(`the export ended after ${got.rows - 1} rows`);
    }),
  });

  // Idle is sampled before and after the export, so a machine busier in one half weighs on both figures.
  const idle = await interactiveTimes(app, 10);
  // A long export in the background: 90 days is about 750,000 rows.
  const abort = new AbortController();
  const running = fetch(`${app}/api/logs/export?range=90d&format=ndjson`, { signal: abort.signal })
    .then(async (res) => {
      for await (const chunk of res.body ?? []) void chunk;
    })
    .catch(() => {});
  await new Promise((r) => setTimeout(r, 2000));
  const exportP50Ms = median(await interactiveTimes(app, 20));
  abort.abort();
  await running;
  await settled(upstream);
  idle.push(...(await interactiveTimes(app, 30)));
  const idleP50Ms = median(idle);
  return {
    refused,
    actions,
    throttled: upstream.limiter?.stats().throttled ?? 0,
    idleP50Ms,
    exportP50Ms,
  };
}

export type CallsRow = BenchRow;

/** The figures as `npm run bench` records them. */
export function callsRows(result: CallsResult): CallsRow[] {
  const rows: CallsRow[] = result.actions.map((a, k) => ({
    key: `calls.action${k + 1}`,
    what: `upstream calls: ${a.action}`,
    value: a.calls,
    unit: "calls",
    note: k < 2 ? "goal ≤ 2 on average per view or filter change" : undefined,
  }));
  rows.push(
    {
      key: "calls.total",
      what: "upstream calls: all of the above",
      value: result.actions.reduce((sum, a) => sum + a.calls, 0),
      unit: "calls",
    },
    {
      key: "interactive.refused",
      what: "/api/logs p50 samples refused by the budget (503)",
      value: result.refused,
      unit: "",
    },
    {
      key: "calls.throttled",
      what: "upstream 429s during the run",
      value: result.throttled,
      unit: "",
      note: "goal 0",
    },
    { key: "interactive.idle_p50", what: "/api/logs p50, idle", value: result.idleP50Ms, unit: "ms" },
    {
      key: "interactive.export_p50",
      what: "/api/logs p50 while an export runs",
      value: result.exportP50Ms,
      unit: "ms",
    },
    {
      key: "interactive.export_ratio",
      what: "/api/logs p50 while an export runs / idle",
      value: result.exportP50Ms / result.idleP50Ms,
      unit: "×",
      note: "goal ≤ 1.5×",
    },
  );
  return rows;
}

runIfMain(import.meta.url, async () => {
  const upstream = await startCountingSandbox();
  await withBenchApp(upstream, {}, async (app) => printRows(callsRows(await benchCalls(app, upstream)), 2));
});
