/**
 * `npm run bench`: speed and memory of the real proxy path, measured side by side in one run.
 * Everything runs on loopback: the standalone sandbox (1,000,000 entries) is the upstream and a
 * production server (`next start`, Cloudflare mode) is the dashboard. Prints a table and writes
 * bench/results.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { readFileSync, writeFileSync } from "node:fs";
import autocannon from "autocannon";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { startBenchApp, waitUntilUp } from "./app-server";
import { benchCalls, callsRows, startCountingSandbox } from "./user-actions";
import type { ClientResult } from "./client";
import { benchExport } from "./export";
import { benchPage } from "./page";
import { benchSandbox } from "./sandbox";

const APP_PORT = Number(process.env.BENCH_PORT ?? 3500);
const APP = `http://127.0.0.1:${APP_PORT}`;
const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 200_000);
const UPSTREAM_LATENCY_MS = 50;

type Row = { what: string; value: string; note?: string };
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const record = (key: string, what: string, value: number, unit: string, note?: string) => {
  results[key] = value;
  rows.push({ what, value: `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`.trim(), note });
};

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function startApp(upstream: SandboxServer, extra: Record<string, string> = {}): ChildProcess {
  // Latency and throughput are measured here, not pacing: a budget the load never reaches.
  return startBenchApp(APP_PORT, upstream.url, { UPSTREAM_BUDGET: "1000000/300s", ...extra });
}

function stopApp(app: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (app.exitCode !== null) return resolve();
    app.once("exit", () => resolve());
    app.kill("SIGTERM");
  });
}

/**
 * Load `url` for DURATION seconds. With `distinct`, every request's `before` is a different millisecond:
 * the same entries, but no two requests the same, so nothing is coalesced or cached.
 */
async function cannon(
  url: string,
  connections: number,
  { headers = {}, distinct = false }: { headers?: Record<string, string>; distinct?: boolean } = {},
) {
  const { pathname, search } = new URL(url);
  const before = Date.parse(new URLSearchParams(search).get("before") ?? "");
  let n = 0;
  const requests = distinct
    ? [
        {
          setupRequest: (req: { path?: string }) => {
            const params = new URLSearchParams(search);
            params.set("before", new Date(before - n++).toISOString());
            return { ...req, path: `${pathname}?${params}` };
          },
        },
      ]
    : undefined;
  const r = await autocannon({ url, connections, duration: DURATION, headers, requests });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/**
 * `/api/logs` against the same query sent straight to the sandbox, at each connection count. The app is
 * loaded twice: with one query repeated (as many admins on one shared view: identical requests share an
 * upstream call and repeats come from the short-lived cache) and with every request distinct (each one
 * a full upstream call: the proxy path's own cost).
 */
async function proxyOverhead(
  upstream: SandboxServer,
  name: string,
  appQuery: string,
  upstreamQuery: string,
  connections: number[],
) {
  const before = new Date().toISOString();
  const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const window = `since=${since}&before=${before}`;
  const v1 = upstreamQuery.startsWith("v1:");
  const upstreamPath = v1
    ? `audit_logs?${upstreamQuery.slice(3)}&${window}&per_page=100`
    : `logs/audit?${upstreamQuery}&${window}&limit=100`;
  // Repeated, the query is the one a shared link sends (a relative range); distinct, it is pinned to
  // the upstream's window with a different end on every request.
  const appUrl = (variant: "shared" | "uncached") =>
    `${APP}/api/logs?${appQuery}&${variant === "shared" ? "range=7d" : window}&limit=100`;
  for (const c of connections) {
    const key = `${name}.c${c}`;
    const direct = await cannon(`${upstream.url}/accounts/${SANDBOX_ACCOUNT_ID}/${upstreamPath}`, c, {
      headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
    });
    record(
      `${key}.direct.rps`,
      `${name}, ${c} conn: upstream req/s`,
      direct.rps,
      "req/s",
      `${direct.errors} errors`,
    );
    record(
      `${key}.direct.p50`,
      `${name}, ${c} conn: upstream p50 / p99`,
      direct.p50,
      `ms / ${direct.p99} ms`,
    );
    for (const variant of ["shared", "uncached"] as const) {
      const viaApp = await cannon(appUrl(variant), c, { distinct: variant === "uncached" });
      const k = `${key}.${variant}`;
      const label = `${name}, ${c} conn, ${variant === "shared" ? "one query repeated" : "every request distinct"}`;
      record(`${k}.app.rps`, `${label}: /api/logs req/s`, viaApp.rps, "req/s", `${viaApp.errors} errors`);
      record(`${k}.app.p50`, `${label}: /api/logs p50 / p99`, viaApp.p50, `ms / ${viaApp.p99} ms`);
      record(
        `${k}.ratio`,
        `${label}: p50 ratio app/upstream`,
        viaApp.p50 / Math.max(direct.p50, 1),
        "×",
        "goal ≤ 1.25×",
      );
    }
  }
}

/** Run one of bench/client.ts's clients in a process of its own and read its result. */
function runClient(args: string[]): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/client.ts", ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as ClientResult)
        : reject(new Error(`client exited with ${code}`)),
    );
  });
}

/** Download an export of EXPORT_ROWS rows through the app, sampling the server's RSS. */
async function timeExport(app: ChildProcess, format: "csv" | "ndjson", window: string) {
  const idle = rssKb(app.pid!);
  let peak = idle;
  const timer = setInterval(() => (peak = Math.max(peak, rssKb(app.pid!))), 25);
  // A CSV's header line is not a row.
  const header = format === "csv" ? 1 : 0;
  const result = await runClient([
    "download",
    `${APP}/api/logs/export?${window}&format=${format}`,
    String(EXPORT_ROWS + header),
  ]);
  clearInterval(timer);
  return { ...result, rows: result.rows - header, rssMb: (peak - idle) / 1024 };
}

/** A fresh server that has run one small export of each format, so its code is loaded and compiled. */
async function exportServer(upstream: SandboxServer): Promise<ChildProcess> {
  const app = startApp(upstream);
  await waitUntilUp(`${APP}/api/health`);
  for (const format of ["csv", "ndjson"])
    await runClient(["download", `${APP}/api/logs/export?range=30d&format=${format}`, "5000"]);
  return app;
}

/**
 * Export and direct walk, alternated twice; the fastest of each is compared, since a busy machine only
 * ever adds time.
 */
async function exportBench(upstream: SandboxServer, app: ChildProcess, format: "csv" | "ndjson") {
  // A window holding at least EXPORT_ROWS entries of the 1,000,000-entry sandbox (about 120 days).
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const before = new Date().toISOString();
  const exports: Awaited<ReturnType<typeof timeExport>>[] = [];
  const walks: number[] = [];
  for (let run = 0; run < 2; run++) {
    exports.push(await timeExport(app, format, `since=${since}&before=${before}`));
    const direct = await runClient(["walk", upstream.url, String(exports[run].rows), since, before]);
    walks.push(direct.seconds);
  }
  const best = exports.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const directSeconds = Math.min(...walks);
  const runs = `runs ${exports.map((e) => e.seconds.toFixed(1)).join(", ")} s vs ${walks.map((w) => w.toFixed(1)).join(", ")} s`;
  record(
    `export.${format}.rows_per_s`,
    `export ${format}: rows/s (${best.rows} rows, ${(best.bytes / 1e6).toFixed(1)} MB)`,
    best.rows / best.seconds,
    "rows/s",
  );
  record(
    `export.${format}.rss_mb`,
    `export ${format}: server peak RSS above idle`,
    Math.max(...exports.map((e) => e.rssMb)),
    "MB",
    "goal < 64 MB",
  );
  record(
    `export.${format}.ratio`,
    `export ${format}: time ratio to walking the pages directly`,
    best.seconds / directSeconds,
    "×",
    `goal ≤ 1.3×; ${runs}`,
  );
}

/**
 * Upstream calls per user action, on a fresh sandbox with Cloudflare's per-token limit on, and the
 * interactive p50 while an export runs (bench/user-actions.ts).
 */
async function callsPerAction() {
  console.log("Upstream calls per user action (1,000,000 entries, Cloudflare's limit on)…");
  const upstream = await startCountingSandbox();
  // The product as shipped: its default budget paces the calls counted here.
  const app = startApp(upstream, { UPSTREAM_BUDGET: "" });
  try {
    await waitUntilUp(`${APP}/api/health`);
    for (const row of callsRows(await benchCalls(APP, upstream)))
      record(row.key, row.what, row.value, row.unit, row.note);
  } finally {
    await stopApp(app);
    await upstream.close();
  }
}

async function main() {
  console.log("Sandbox: generation and page latency at 1,000,000 entries…");
  const sandbox = await benchSandbox();
  for (const [k, v] of Object.entries(sandbox)) record(`sandbox.${k}`, `sandbox: ${k}`, v, "");

  // No per-token limit here: the load runs below send the sandbox far more than Cloudflare would take.
  const upstream = await startSandboxServer({
    port: 0,
    size: 1_000_000,
    enableFaults: true,
    rateLimit: null,
  });
  let app = startApp(upstream);
  try {
    await waitUntilUp(`${APP}/api/health`);
    await fetch(`${APP}/api/logs?range=1h&limit=1`);
    console.log("Page weight, first rows, filter change and scrolling 10,000 rows (bench/page.ts)…");
    for (const row of await benchPage(APP)) record(row.key, row.what, row.value, row.unit, row.note);

    console.log(`Proxy overhead (${DURATION} s per run, upstream +${UPSTREAM_LATENCY_MS} ms)…`);
    upstream.faults.set({ kind: "slow", delayMs: UPSTREAM_LATENCY_MS });
    await proxyOverhead(upstream, "7 days", "", "", [10, 50]);
    const email = "alice.moreau@acme.com";
    await proxyOverhead(upstream, "one email", `actor_email=${email}`, `actor_email=${email}`, [10]);
    await proxyOverhead(upstream, "exclusion", "action_type.not=update", "action_type.not=update", [10]);
    upstream.faults.set(null);

    console.log(`Export (${EXPORT_ROWS} rows)…`);
    // On a server of its own: after the load runs the heap stays grown for about a minute (V8 gives it
    // back when idle), and "above idle" would depend on where that left it.
    await stopApp(app);
    app = await exportServer(upstream);
    await exportBench(upstream, app, "csv");
    await exportBench(upstream, app, "ndjson");
    console.log("Export memory: 300,000 rows of each format with the heap capped at 64 MB…");
    const memory = await benchExport({ memoryOnly: true, memoryRows: 300_000, log: () => {} });
    for (const format of ["csv", "ndjson"]) {
      const p = `export.memory.${format}`;
      record(
        `${p}.peak_rss_mb`,
        `export ${format}, 300,000 rows, heap capped at 64 MB: ${memory[`${p}.ok`] ? "completed" : "FAILED"}, peak RSS`,
        memory[`${p}.peak_rss_mb`],
        "MB",
        `+${memory[`${p}.rss_mb`].toFixed(1)} MB above idle`,
      );
    }

    console.log("v1 with a CIDR filter…");
    await stopApp(app);
    app = startApp(upstream, { AUDIT_LOGS_API: "v1" });
    await waitUntilUp(`${APP}/api/health`);
    upstream.faults.set({ kind: "slow", delayMs: UPSTREAM_LATENCY_MS });
    const cidr = "203.0.113.0/24";
    await proxyOverhead(upstream, "CIDR, v1", `actor_ip_address=${cidr}`, `v1:actor.ip=${cidr}`, [10]);
    upstream.faults.set(null);
  } finally {
    await stopApp(app);
    await upstream.close();
  }
  await callsPerAction();

  writeFileSync("bench/results.json", JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
  const w = Math.max(...rows.map((r) => r.what.length));
  console.log(`\n${"what".padEnd(w)}  value`);
  for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.value}${r.note ? `  (${r.note})` : ""}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
