/**
 * Export benchmark: `npx tsx bench/export.ts [--rows 200000] [--memory-rows 300000] [--memory-only]`.
 *
 * The standalone sandbox runs in this process; each measurement runs in a child process of its own
 * (with the `react-server` condition, as route handlers run), so its RSS holds the export and nothing
 * else. Reported per format: rows/s through the export module, peak RSS above idle (sampled every
 * 50 ms), and the ratio of the export's time to walking the same pages straight from the sandbox with
 * fetch (goal ≤ 1.3×). The memory check exports `--memory-rows` rows of each format under
 * `--max-old-space-size=64`: a file many times the heap completes only if the export streams.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer } from "@/lib/sandbox/server";
import { walkPages } from "./client";

type Format = "csv" | "ndjson";

export interface BenchExportOptions {
  /** Rows exported per format (default 200,000). */
  rows?: number;
  /** Rows of the heap-capped memory check (default 300,000; 0 skips it). */
  memoryRows?: number;
  formats?: Format[];
  /** Direct and export runs per format (alternating; the fastest of each is reported). */
  repeats?: number;
  /** Skip the throughput runs. */
  memoryOnly?: boolean;
  log?: (line: string) => void;
}

const SCRIPT = fileURLToPath(import.meta.url);
const SANDBOX_NOW = "2026-11-20T12:00:00.000Z";
// The sandbox spreads its entries over the 120 days before its clock; this window holds all of them.
const SINCE = "2026-07-01T00:00:00Z";
const BEFORE = "2026-11-21T00:00:00Z";
const RESULT_MARK = "BENCH_EXPORT_RESULT ";

/** Run the export benchmark; keys are stable for `npm run bench` (`export.csv.rows_per_s`, …). */
export async function benchExport(opts: BenchExportOptions = {}): Promise<Record<string, number>> {
  const rows = opts.rows ?? 200_000;
  const memoryRows = opts.memoryRows ?? 300_000;
  const formats = opts.formats ?? ["csv", "ndjson"];
  const repeats = opts.repeats ?? 2;
  const log = opts.log ?? ((line: string) => console.log(line));
  const out: Record<string, number> = {};

  if (!opts.memoryOnly) {
    const sandbox = await startSandbox(rows);
    try {
      for (const format of formats) {
        // Direct and export runs alternate; the fastest of each is compared, since a busy machine only
        // ever adds time.
        const direct: ChildResult[] = [];
        const exports: ChildResult[] = [];
        for (let r = 0; r < repeats; r++) {
          direct.push(await runChild({ mode: "direct", url: sandbox.url, format }));
          exports.push(await runChild({ mode: "export", url: sandbox.url, format }));
        }
        const fastest = (runs: ChildResult[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
        const best = fastest(exports);
        const floor = fastest(direct);
        const p = `export.${format}`;
        out[`${p}.rows`] = best.rows;
        out[`${p}.seconds`] = best.seconds;
        out[`${p}.mb`] = best.bytes / 1e6;
        out[`${p}.rows_per_s`] = best.rows / best.seconds;
        out[`${p}.rss_mb`] = Math.max(...exports.map((e) => e.peakAboveIdleMb));
        out[`${p}.direct_seconds`] = floor.seconds;
        out[`${p}.ratio`] = best.seconds / floor.seconds;
        out[`${p}.cpu_s`] = best.cpuSeconds;
        out[`${p}.direct_cpu_s`] = floor.cpuSeconds;
        // The wall-time ratio drifts with the machine's load; say how busy it was.
        out[`${p}.load_avg`] = loadavg()[0];
        const secs = (runs: ChildResult[]) => runs.map((x) => x.seconds.toFixed(2)).join(", ");
        log(
          `${format}: ${best.rows} rows, ${(best.bytes / 1e6).toFixed(1)} MB in ${best.seconds.toFixed(2)} s ` +
            `(runs ${secs(exports)}) = ${Math.round(best.rows / best.seconds)} rows/s; peak RSS ` +
            `+${out[`${p}.rss_mb`].toFixed(1)} MB above idle; direct walk ${floor.seconds.toFixed(2)} s ` +
            `(runs ${secs(direct)}) → ratio ${out[`${p}.ratio`].toFixed(2)}× (goal ≤ 1.3×); client CPU ` +
            `${best.cpuSeconds.toFixed(1)} s vs ${floor.cpuSeconds.toFixed(1)} s; load ${loadavg()[0].toFixed(1)}`,
        );
        if (format === formats[0]) {
          const upstream = await runChild({ mode: "upstream", url: sandbox.url, format });
          out["export.upstream_walk.seconds"] = upstream.seconds;
          out["export.upstream_walk.cpu_s"] = upstream.cpuSeconds;
          log(
            `upstream client alone (fetchLogPage walk, no serialization): ${upstream.seconds.toFixed(2)} s, ` +
              `CPU ${upstream.cpuSeconds.toFixed(1)} s → ratio ${(upstream.seconds / floor.seconds).toFixed(2)}× the direct walk`,
          );
        }
        for (const run of exports)
          if (run.rows !== floor.rows)
            throw new Error(`export wrote ${run.rows} rows, the direct walk saw ${floor.rows}`);
      }
    } finally {
      await sandbox.close();
    }
  }

  if (memoryRows > 0) {
    const sandbox = await startSandbox(memoryRows);
    try {
      for (const format of formats) {
        const result = await runChild({ mode: "export", url: sandbox.url, format, heapMb: 64 });
        const p = `export.memory.${format}`;
        out[`${p}.rows`] = result.rows;
        out[`${p}.heap_cap_mb`] = 64;
        out[`${p}.ok`] = result.rows === memoryRows ? 1 : 0;
        out[`${p}.peak_rss_mb`] = result.peakRssMb;
        out[`${p}.rss_mb`] = result.peakAboveIdleMb;
        log(
          `memory: ${result.rows} ${format.toUpperCase()} rows under --max-old-space-size=64 in ${result.seconds.toFixed(2)} s; ` +
            `peak RSS ${result.peakRssMb.toFixed(1)} MB (+${result.peakAboveIdleMb.toFixed(1)} MB above idle)`,
        );
      }
    } finally {
      await sandbox.close();
    }
  }
  return out;
}

async function startSandbox(size: number) {
  // The walks here are measured flat out, unthrottled.
  const sandbox = await startSandboxServer({
    port: 0,
    size,
    seed: 1,
    now: new Date(SANDBOX_NOW),
    rateLimit: null,
  });
  // The dataset is built on first use; build it before anything is timed.
  await walkPages(sandbox.url, { since: SINCE, before: BEFORE }, { maxPages: 1 });
  return sandbox;
}

interface ChildResult {
  rows: number;
  bytes: number;
  seconds: number;
  /** CPU time of the measuring process (user + system): less sensitive to a busy machine than wall time. */
  cpuSeconds: number;
  peakRssMb: number;
  peakAboveIdleMb: number;
}

function runChild(args: {
  mode: "export" | "direct" | "upstream";
  url: string;
  format: Format;
  heapMb?: number;
}) {
  const node = ["--conditions=react-server", "--import", "tsx"];
  if (args.heapMb) node.unshift(`--max-old-space-size=${args.heapMb}`);
  const child = spawn(
    process.execPath,
    [...node, SCRIPT, "--child", args.mode, "--url", args.url, "--format", args.format],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  return new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line)
        reject(new Error(`${args.mode} ${args.format} child exited with ${code ?? signal}`));
      else resolve(JSON.parse(line.slice(RESULT_MARK.length)) as ChildResult);
    });
  });
}

type Window = { since: string; before: string };
type Walk = (window: Window) => Promise<{ rows: number; bytes: number }>;

/** The server modules in Cloudflare mode against the sandbox: an export, or a bare `fetchLogPage` walk. */
async function loadServer(url: string, format: Format): Promise<{ exportWalk: Walk; upstreamWalk: Walk }> {
  Object.assign(process.env, {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_API_TOKEN_FILE: "",
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: url,
    AUDIT_LOGS_API: "v2",
    AUTH_MODE: "none",
    // Throughput is measured here, not pacing: a budget the walk never reaches.
    UPSTREAM_BUDGET: "1000000/300s",
  });
  const [{ exportLogs }, { fetchLogPage, transportOnly }, { getConfig }, { validateSearch, pickQuery }] =
    await Promise.all([
      import("@/lib/server/export"),
      import("@/lib/server/upstream"),
      import("@/lib/server/config"),
      import("@/lib/search-params"),
    ]);
  const result = getConfig();
  if (!result.ok) throw new Error(result.problems.join("; "));
  const config = result.config;
  const load = (window: Window) => {
    const search = validateSearch(new URLSearchParams({ ...window, format }), {
      api: "v2",
      accept: ["format"],
    });
    if (!search.ok) throw new Error(JSON.stringify(search.errors));
    return search.value;
  };

  // The export's own end line carries its exact row count (CSV rows may hold line breaks).
  let rows = -1;
  console.info = (line: string) => {
    const m = / export end (\{.*\})$/.exec(line);
    if (m) rows = (JSON.parse(m[1]) as { rows: number }).rows;
  };
  const exportWalk: Walk = async (window) => {
    const response = await exportLogs({
      config,
      search: load(window),
      viewer: { id: "bench", email: null, method: "none" },
      requestId: "bench",
    });
    if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
    let bytes = 0;
    for await (const chunk of response.body) bytes += chunk.byteLength;
    return { rows, bytes };
  };
  // What the export costs before serializing anything: the upstream client's own walk.
  const upstreamWalk: Walk = async (window) => {
    const query = pickQuery(load(window));
    const now = new Date();
    let cursor: string | null = null;
    let count = 0;
    do {
      const page = await fetchLogPage(
        config,
        query,
        { cursor, limit: 1000, now, deadlineMs: 30_000 },
        transportOnly(config),
      );
      count += page.data.length;
      cursor = page.nextCursor;
    } while (cursor);
    return { rows: count, bytes: 0 };
  };
  return { exportWalk, upstreamWalk };
}

async function child(mode: string, url: string, format: Format) {
  const mb = (n: number) => n / 1024 / 1024;
  const server = mode === "direct" ? null : await loadServer(url, format);
  const walk: Walk = server
    ? mode === "export"
      ? server.exportWalk
      : server.upstreamWalk
    : (window) => walkPages(url, window);
  // Warm up (modules, the SDK client, the JIT) on a small window, then let the heap settle before
  // taking the idle figure.
  await walk({ since: "2026-11-19T00:00:00Z", before: BEFORE });
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { rows, bytes } = await walk({ since: SINCE, before: BEFORE });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result: ChildResult = {
    rows,
    bytes,
    seconds,
    cpuSeconds,
    peakRssMb: mb(peak),
    peakAboveIdleMb: mb(peak - idle),
  };
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const run = arg("--child")
    ? child(arg("--child")!, arg("--url")!, (arg("--format") ?? "csv") as Format)
    : benchExport({
        rows: arg("--rows") ? Number(arg("--rows")) : undefined,
        // `--memory-only --rows N` sizes the memory check.
        memoryRows: arg("--memory-rows")
          ? Number(arg("--memory-rows"))
          : process.argv.includes("--memory-only") && arg("--rows")
            ? Number(arg("--rows"))
            : undefined,
        memoryOnly: process.argv.includes("--memory-only"),
        formats: arg("--formats")?.split(",") as Format[] | undefined,
      }).then((results) => console.log(JSON.stringify(results, null, 2)));
  run.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
