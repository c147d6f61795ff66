/**
 * Upstream calls per user action, counted at the door of a standalone sandbox holding a busy account
 * (about 10,000 entries a week), with the server's route handlers called as Next calls them.
 * `BENCH_ENTRIES` sets the sandbox's size instead: at 1,000,000 (about 58,000 a week) a 7-day window
 * holds more than the overview's walk may take (`STATS_MAX_ENTRIES`).
 *
 *   node --conditions=react-server --import tsx bench/calls.ts
 *   BENCH_ENTRIES=1000000 node --conditions=react-server --import tsx bench/calls.ts
 */
import { startSandboxServer } from "@/lib/sandbox/server";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { SPAN_DAYS } from "@/lib/sandbox/timeline";

const PER_WEEK = 10_000;
const NOW = new Date("2026-11-20T12:00:00Z");

async function main() {
  const size = Number(process.env.BENCH_ENTRIES ?? Math.round((PER_WEEK * SPAN_DAYS) / 7));
  const sandbox = await startSandboxServer({ port: 0, size, seed: 11, now: NOW });
  Object.assign(process.env, {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: sandbox.url,
    AUTH_MODE: "none",
  });
  let calls = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    calls++;
    return realFetch(input, init);
  };
  console.info = () => {};
  const [{ GET: logs }, { GET: stats }, { walkCacheStats }, { getConfig }] = await Promise.all([
    import("@/app/api/logs/route"),
    import("@/app/api/logs/stats/route"),
    import("@/lib/server/window-walk"),
    import("@/lib/server/config"),
  ]);
  const window = `since=${new Date(NOW.getTime() - 7 * 86_400_000).toISOString()}&before=${NOW.toISOString()}`;
  const get = async (handler: (r: Request) => Promise<Response>, path: string) => {
    const response = await handler(new Request(`http://localhost${path}`));
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const measure = async (label: string, action: () => Promise<unknown>) => {
    const before = calls;
    await action();
    console.log(`${label}: ${calls - before} upstream calls`);
  };
  // What the page does: the first page of rows, then the activity overview (60 bars).
  const view = (qs: string) =>
    Promise.all([get(logs, `/api/logs?${qs}&limit=100`), get(stats, `/api/logs/stats?${qs}&buckets=60`)]);

  console.log(
    `sandbox: ${size} entries over ${SPAN_DAYS} days (${Math.round((size * 7) / SPAN_DAYS)} a week)`,
  );
  await measure("open a 7-day view (rows + activity overview)", () => view(window));
  await measure("the same view again within 15 s (another admin, a reload)", () => view(window));
  await measure("change a filter (action_type=create)", () => view(`${window}&action_type=create`));
  await measure("20 identical requests at once (a new query)", () =>
    Promise.all(
      Array.from({ length: 20 }, () => get(logs, `/api/logs?${window}&action_type=delete&limit=100`)),
    ),
  );
  // A session: after the view opens, a person narrows and widens the filters and scrolls.
  const changes = [
    "action_type=update",
    "action_result=failure",
    "action_type=delete&action_result=success",
    "actor_type.not=user",
    "actor_ip_address=10.0.0.0/8",
    "direction=asc",
    "",
  ];
  let spent = 0;
  for (const filter of changes) {
    const before = calls;
    const qs = filter ? `${window}&${filter}` : window;
    const [page] = await view(qs);
    // Scroll two screens further.
    let cursor = page.nextCursor as string | null;
    for (let screen = 0; screen < 2 && cursor; screen++) {
      const next = await get(logs, `/api/logs?${qs}&limit=100&cursor=${encodeURIComponent(cursor)}`);
      cursor = next.nextCursor as string | null;
    }
    spent += calls - before;
  }
  console.log(
    `a session of ${changes.length} filter changes, each scrolled 2 screens: ${spent} upstream calls ` +
      `(${(spent / changes.length).toFixed(1)} per change)`,
  );
  const config = getConfig();
  if (!config.ok) throw new Error(config.problems.join("; "));
  const walks = walkCacheStats(config.config);
  const lookups = walks.hits + walks.partialHits + walks.topUps + walks.misses;
  const answered = walks.hits + walks.partialHits;
  console.log(
    `walk cache: ${walks.hits} hits, ${walks.partialHits} hits on a capped walk and ${walks.topUps} top-ups ` +
      `of ${lookups} lookups (${lookups ? Math.round((100 * answered) / lookups) : 0}% hits), ` +
      `${walks.walks} walk(s) kept, ${(walks.bytes / 1024 / 1024).toFixed(1)} MB`,
  );
  await sandbox.close();
  process.exit(0);
}

void main();
