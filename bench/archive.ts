/**
 * The archive at scale: backfill N sandbox entries (default 1,000,000) into a fresh embedded database,
 * then measure what a viewer waits for and what the API is asked.
 *
 * - archive page p50/p95: `/api/logs` pages (100 rows) over random windows, filters and directions;
 * - activity overview: `/api/logs/stats` over the default 24 h, over 30 days and over the whole
 *   archive, every entry counted (coverage complete): the first request and the median of five;
 * - disk used by the directory;
 * - upstream calls per user action (open a view, next page, overview, export) once the backfill is done.
 *
 *   ARCHIVE_BENCH_ENTRIES=1000000 npx tsx --conditions=react-server bench/archive.ts
 *
 * The archive is written in bulk (bench/archive-fill.ts), which takes minutes at a million entries;
 * with ARCHIVE_BENCH_DIR it is kept in that directory and reused by the next run of the same size.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ENTRIES = Number(process.env.ARCHIVE_BENCH_ENTRIES ?? 1_000_000);
const PAGES = Number(process.env.ARCHIVE_BENCH_PAGES ?? 200);
const OVERVIEW_RUNS = 5;
const NOW = "2026-11-18T12:00:00Z";

// The routes read the server's configuration from the environment: the in-process sandbox at a pinned clock.
Object.assign(process.env, {
  SANDBOX_NOW: NOW,
  // The sync's last pass ended at NOW: a clock that moved on would send views ending now to the API
  // once that pass is older than the archive's freshness allowance, however long the bench takes.
  SANDBOX_CLOCK: "frozen",
  SANDBOX_SIZE: String(ENTRIES),
  AUTH_MODE: "none",
  CLOUDFLARE_API_TOKEN: "",
  ARCHIVE: "on",
});

/** Upstream calls, as each request's log line reports them. */
let upstreamCalls = 0;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  for (const m of text.matchAll(/"upstreamCalls":(\d+)/g)) upstreamCalls += Number(m[1]);
  if (text.includes('"event":')) return true; // keep the request log out of the report
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function main() {
  const { openEmbedded } = await import("@/lib/server/archive/db");
  const { migrate } = await import("@/lib/server/archive/schema");
  const { parseArchiveSettings } = await import("@/lib/server/archive/settings");
  const { countEntries } = await import("@/lib/server/archive/store");
  const { fillArchive, finishFill } = await import("./archive-fill");
  const { setArchive } = await import("@/lib/server/archive/runtime");
  const { getConfig } = await import("@/lib/server/config");
  const { GET: logs } = await import("@/app/api/logs/route");
  const { GET: stats } = await import("@/app/api/logs/stats/route");
  const { GET: exportRoute } = await import("@/app/api/logs/export/route");

  const result = getConfig();
  const parsed = parseArchiveSettings({ ARCHIVE: "on" });
  if (!result.ok || !parsed.ok) throw new Error("configuration");
  const config = result.config;
  const settings = parsed.settings;
  // ARCHIVE_BENCH_DIR keeps the archive there, and a later run with the same size measures it again
  // without writing it anew.
  const kept = process.env.ARCHIVE_BENCH_DIR;
  const dir = kept || mkdtempSync(join(tmpdir(), "archive-bench-"));
  const db = await openEmbedded(dir);
  await migrate(db);

  let t = performance.now();
  const now = new Date(NOW);
  let fillSeconds = 0;
  if (!kept || (await countEntries(db)) < ENTRIES) {
    await db.query("truncate archive_entries, archive_days, archive_day_counts, archive_state");
    // Written in bulk: a sync of a million entries would take hours under the upstream's rate limit.
    await fillArchive(db, config, now, now.getTime() - settings.sinceMs, (done, total) => {
      if (done % 100_000 === 0) process.stderr.write(`archive bench: ${done} of ${total} entries written\n`);
    });
    fillSeconds = (performance.now() - t) / 1000;
  } else {
    await finishFill(db, config, now, now.getTime() - settings.sinceMs);
  }
  process.stderr.write(`archive bench: ${await countEntries(db)} entries ready, measuring\n`);
  const entries = await countEntries(db);
  setArchive({ settings, db: Promise.resolve(db), sync: null });

  const get = async (route: (r: Request) => Promise<Response>, path: string) => {
    const response = await route(new Request(`http://localhost${path}`));
    const body = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${body.slice(0, 600)}`);
    return body;
  };

  // Random views: a window of 1 to 90 days ending somewhere in the archive, sometimes a filter.
  const [{ lo }] = await db.query<{ lo: number }>("select min(time_ms)::float8 as lo from archive_entries");
  const filters = [
    "",
    "&actor_type=user",
    "&action_result=failure",
    "&action_type.not=view",
    "&zone_name=example.com",
  ];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pageMs: number[] = [];
  upstreamCalls = 0;
  for (let k = 0; k < PAGES; k++) {
    const days = 1 + Math.floor(random() * 90);
    const before = lo + days * 86_400_000 + random() * (now.getTime() - lo - days * 86_400_000);
    const since = before - days * 86_400_000;
    const path =
      `/api/logs?since=${new Date(since).toISOString()}&before=${new Date(before).toISOString()}` +
      `&limit=100&direction=${random() < 0.5 ? "desc" : "asc"}${filters[Math.floor(random() * filters.length)]}`;
    t = performance.now();
    await get(logs, path);
    pageMs.push(performance.now() - t);
  }
  const pageCalls = upstreamCalls;

  // The first request reads the window's index pages from disk; the next ones find them in memory, as a
  // viewer's later overviews of the same span do.
  const overview = async (path: string) => {
    const times: number[] = [];
    let body: { coverage: { complete: boolean; entries: number } } | null = null;
    for (let k = 0; k < OVERVIEW_RUNS; k++) {
      t = performance.now();
      body = JSON.parse(await get(stats, path)) as typeof body;
      times.push(performance.now() - t);
    }
    return { firstMs: Math.round(times[0]), p50Ms: Math.round(percentile(times, 50)), ...body!.coverage };
  };
  const span = `since=${new Date(lo).toISOString()}&before=${NOW}`;
  upstreamCalls = 0;
  const overview24h = await overview("/api/logs/stats?range=24h");
  const overview30d = await overview("/api/logs/stats?range=30d");
  const overviewAll = await overview(`/api/logs/stats?${span}`);
  const overviewCalls = upstreamCalls;

  // One user's actions on the default view, counted in upstream calls.
  const calls: Record<string, number> = {};
  const count = async (what: string, fn: () => Promise<unknown>) => {
    upstreamCalls = 0;
    await fn();
    calls[what] = upstreamCalls;
  };
  let cursor: string | null = null;
  await count("open the default view (24h)", async () => {
    cursor = (JSON.parse(await get(logs, "/api/logs?range=24h&limit=100")) as { nextCursor: string })
      .nextCursor;
  });
  // A small archive may hold a single page for a day.
  if (cursor) await count("next page", () => get(logs, `/api/logs?range=24h&limit=100&cursor=${cursor}`));
  await count("overview (24h)", () => get(stats, "/api/logs/stats?range=24h"));
  await count("filter (actor_type=user, 7d)", () =>
    get(logs, "/api/logs?range=7d&actor_type=user&limit=100"),
  );
  await count("text search (q, 30d)", () => get(logs, "/api/logs?range=30d&q=cert-manager&limit=100"));
  await count("export (7d, ndjson)", () => get(exportRoute, "/api/logs/export?range=7d&format=ndjson"));

  await db.query("checkpoint");
  await db.close();
  const du = (path: string) => Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);
  const bytes = du(dir);
  if (!kept) rmSync(dir, { recursive: true, force: true });

  const report = {
    entries,
    fillSeconds: Math.round(fillSeconds),
    pages: PAGES,
    pageP50Ms: Number(percentile(pageMs, 50).toFixed(1)),
    pageP95Ms: Number(percentile(pageMs, 95).toFixed(1)),
    pageUpstreamCalls: pageCalls,
    overview24h,
    overview30d,
    overviewAll,
    overviewUpstreamCalls: overviewCalls,
    diskBytes: bytes,
    diskPerMillionGB: Number((((bytes / entries) * 1e6) / 1e9).toFixed(2)),
    upstreamCallsPerAction: calls,
  };
  write(`${JSON.stringify(report, null, 2)}\n`);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
