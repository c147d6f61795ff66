/**
 * What a person opening the dashboard waits for, measured in a real browser against a production server:
 * the JavaScript `/` loads before its first rows, first rows visible over cold loads, a filter click until
 * the server's rows show, and scrolling through 10,000 loaded rows (frame times, DOM size).
 *
 * Part of `npm run bench`; alone: `npx tsx bench/page.ts` (builds nothing: run `next build` first;
 * `BENCH_PORT` picks the app's port, `BENCH_LOADS` the number of cold loads).
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import { printRows, runIfMain, withBenchApp, type BenchRow } from "./app-server";
import { startSandboxServer } from "@/lib/sandbox/server";
import { JS_BUDGET_BYTES, measurePage } from "../scripts/js-budget.mjs";
import { chromiumLaunchOptions } from "../tests/e2e/support/chromium";

export type PageRow = BenchRow;

const ROW = '[role="row"][data-row-id]';
/** The table's row height at a desktop width: the rowgroup's height divided by it is the loaded rows. */
const ROW_HEIGHT = 32;
const SCROLL_ROWS = 10_000;
/** Rounds of loads and a filter change before the counted ones. */
const WARM_UP_LOADS = 2;
/** Frames of the programmatic scroll: the whole list passes in about ten seconds at 60 frames a second. */
const SCROLL_FRAMES = 600;

type Marks = typeof window & { __firstRowPainted?: number; __clickedAt?: number; __rowsChanged?: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const spread = (xs: number[]) => `range ${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))} ms`;

/** A fresh context (nothing cached) whose page notes when a server-rendered row first reaches a frame. */
async function coldPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // The first frame after a row is in the document is the first that can paint it (rows come
  // server-rendered, before any script runs).
  await page.addInitScript((selector) => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector(selector)) return;
      observer.disconnect();
      requestAnimationFrame(() =>
        setTimeout(() => ((window as Marks).__firstRowPainted = performance.now())),
      );
    });
    observer.observe(document, { childList: true, subtree: true });
  }, ROW);
  return page;
}

/** Milliseconds from the navigation's start until the first rows were painted. */
async function firstRowsMs(page: Page): Promise<number> {
  // A frame can run before the first contentful paint (a stylesheet still loading): the rows are
  // painted at the later of the two.
  const painted = await page.waitForFunction(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime;
    const row = (window as Marks).__firstRowPainted;
    return row !== undefined && fcp !== undefined && Math.max(row, fcp);
  });
  return Number(await painted.jsonValue());
}

/**
 * Flips an include chip to exclude, timed inside the page from the click to the first frame painted
 * with the new answer's rows (as first rows are timed): the page notes it itself, so the figure does
 * not include the time the harness takes to start polling the page after its click returns.
 */
async function filterChangeMs(page: Page): Promise<number> {
  await page.locator("[data-hydrated]").waitFor();
  // From a settled page: the activity overview's walk has finished.
  await page.waitForLoadState("networkidle");
  await page.evaluate((selector) => {
    const marks = window as Marks;
    document.addEventListener("click", () => (marks.__clickedAt = performance.now()), {
      capture: true,
      once: true,
    });
    const observer = new MutationObserver(() => {
      const first = document.querySelector(selector);
      if (marks.__clickedAt === undefined || !first || first.textContent?.includes("update")) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (marks.__rowsChanged = performance.now())));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, ROW);
  await page.getByRole("button", { name: "Action type is update: switch to exclude" }).click();
  const elapsed = await page.waitForFunction(() => {
    const { __clickedAt, __rowsChanged } = window as Marks;
    return __clickedAt !== undefined && __rowsChanged !== undefined && __rowsChanged - __clickedAt;
  });
  return Number(await elapsed.jsonValue());
}

/** Resolves once the page's activity overview has its counts (the last request a view makes). */
const overviewCounted = (page: Page) =>
  page.waitForResponse((r) => new URL(r.url()).pathname === "/api/logs/stats", { timeout: 60_000 });

/**
 * One cold load of `path`: milliseconds to first rows, and with `flip`, to the rows of a filter change.
 * Each step waits for the overview's counts before the next, so that no measurement shares the server
 * with the walk a previous one started (a person's first visit finds the server idle too).
 */
async function coldLoad(app: string, browser: Browser, path: string, flip: boolean) {
  const page = await coldPage(browser);
  try {
    const counted = overviewCounted(page);
    await page.goto(`${app}${path}`);
    const firstRows = await firstRowsMs(page);
    await counted;
    if (!flip) return { firstRows, filterChange: NaN };
    const recounted = overviewCounted(page);
    const filterChange = await filterChangeMs(page);
    await recounted;
    return { firstRows, filterChange };
  } finally {
    await page.close();
  }
}

/** Cold loads of the plain 7-day view and of a shared filtered link, then a filter change on the latter. */
async function coldLoads(app: string, browser: Browser, loads: number) {
  const plain: number[] = [];
  const filtered: number[] = [];
  const filterChanges: number[] = [];
  const sharedLink = "/?range=7d&action_type=update&actor_type=user";
  // The first rounds are not counted: they time the server's code being compiled on first use, which a
  // running server has long done. Every counted load is still a fresh browser context, nothing cached.
  for (let i = -WARM_UP_LOADS; i < loads; i++) {
    const first = await coldLoad(app, browser, "/?range=7d", false);
    const shared = await coldLoad(app, browser, sharedLink, true);
    if (i < 0) continue;
    plain.push(first.firstRows);
    filtered.push(shared.firstRows);
    filterChanges.push(shared.filterChange);
  }
  return { plain, filtered, filterChanges };
}

/**
 * Loads SCROLL_ROWS rows by scrolling to the end until enough pages arrived, then scrolls through them
 * programmatically, one step per animation frame, noting the interval between frames and any long task.
 */
async function scrollThrough(app: string, browser: Browser) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // tsx keeps function names by wrapping them in a `__name` helper the page does not have.
  await page.addInitScript("globalThis.__name = (f) => f");
  try {
    await page.goto(`${app}/?range=30d`);
    await page.locator("[data-hydrated]").waitFor();
    const loaded = await page.evaluate(
      async ({ target, rowHeight }) => {
        const region = document.querySelector<HTMLElement>(
          '[role="region"][aria-label="Audit log entries"]',
        )!;
        const count = () =>
          Math.round(
            parseFloat(
              document.querySelector<HTMLElement>('[role="rowgroup"][style*="height"]')?.style.height ?? "0",
            ) / rowHeight,
          );
        let last = count();
        let quietSince = performance.now();
        while (count() < target && performance.now() - quietSince < 15_000) {
          region.scrollTop = region.scrollHeight;
          await new Promise((r) => setTimeout(r, 50));
          if (count() !== last) {
            last = count();
            quietSince = performance.now();
          }
        }
        return count();
      },
      { target: SCROLL_ROWS, rowHeight: ROW_HEIGHT },
    );
    if (!(loaded >= SCROLL_ROWS)) throw new Error(`only ${loaded} rows loaded`);
    await page.waitForLoadState("networkidle");
    return await page
      .evaluate(
        async ({ frames, rowHeight }) => {
          const region = document.querySelector<HTMLElement>(
            '[role="region"][aria-label="Audit log entries"]',
          )!;
          region.scrollTop = 0;
          await new Promise((r) => setTimeout(r, 500));
          const domNodes = document.getElementsByTagName("*").length;
          // Stop short of the end, where the table would ask for the next page.
          const end = region.scrollHeight - region.clientHeight - 100 * rowHeight;
          const step = end / frames;
          const intervals: number[] = [];
          const longTasks: number[] = [];
          const observer = new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) longTasks.push(entry.duration);
          });
          observer.observe({ type: "longtask" });
          let maxNodes = domNodes;
          await new Promise<void>((resolve) => {
            let last: number | undefined;
            const frame = (t: number) => {
              if (last !== undefined) intervals.push(t - last);
              last = t;
              maxNodes = Math.max(maxNodes, document.getElementsByTagName("*").length);
              if (region.scrollTop >= end || intervals.length >= frames) return resolve();
              region.scrollTop = Math.min(end, region.scrollTop + step);
              requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
          });
          observer.disconnect();
          return {
            intervals,
            longTasks,
            domNodes,
            maxNodes,
            end,
            sh: region.scrollHeight,
            ch: region.clientHeight,
          };
        },
        { frames: SCROLL_FRAMES, rowHeight: ROW_HEIGHT },
      )
      .then((r) => ({ ...r, loaded }));
  } finally {
    await page.close();
  }
}

/** Every figure of the page benchmark, as `npm run bench` records them. */
export async function benchPage(app: string, loads = 10): Promise<PageRow[]> {
  const weight = await measurePage(`${app}/?range=7d`);
  const rows: PageRow[] = [
    {
      key: "page.js_gzip_kb",
      what: "JS for / before first rows (gzip)",
      value: weight.gzip / 1024,
      unit: "KB",
      note: `goal ≤ ${JS_BUDGET_BYTES / 1024} KB; ${weight.files.length} files, ${(weight.raw / 1024).toFixed(0)} KB raw`,
    },
    { key: "page.js_files", what: "JS files for / before first rows", value: weight.files.length, unit: "" },
    {
      key: "page.html_kb",
      what: "HTML of /?range=7d (raw)",
      value: weight.html / 1024,
      unit: "KB",
      note: `${(weight.htmlGzip / 1024).toFixed(1)} KB gzip`,
    },
  ];
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const { plain, filtered, filterChanges } = await coldLoads(app, browser, loads);
    rows.push(
      {
        key: "page.first_rows_ms",
        what: `/?range=7d → first rows visible (median of ${loads} cold loads)`,
        value: median(plain),
        unit: "ms",
        note: `goal ≤ 400 ms; ${spread(plain)}`,
      },
      {
        key: "page.shared_link_first_rows_ms",
        what: `shared filtered link → first rows visible (median of ${loads})`,
        value: median(filtered),
        unit: "ms",
        note: `goal ≤ 400 ms; ${spread(filtered)}`,
      },
      {
        key: "page.filter_change_ms",
        what: `filter click → updated rows (median of ${loads})`,
        value: median(filterChanges),
        unit: "ms",
        note: `goal ≤ 150 ms; ${spread(filterChanges)}`,
      },
    );
    const scroll = await scrollThrough(app, browser);
    rows.push(
      {
        key: "page.scroll_frame_p95_ms",
        what: `scroll through ${scroll.loaded.toLocaleString("en")} loaded rows: frame interval p95`,
        value: percentile(scroll.intervals, 95),
        unit: "ms",
        note: `goal ≤ 20 ms; median ${median(scroll.intervals).toFixed(1)} ms, max ${Math.max(...scroll.intervals).toFixed(1)} ms over ${scroll.intervals.length} frames`,
      },
      {
        key: "page.scroll_long_tasks",
        what: "scroll through loaded rows: long tasks (> 50 ms)",
        value: scroll.longTasks.length,
        unit: "",
        note: scroll.longTasks.length ? `longest ${Math.max(...scroll.longTasks).toFixed(0)} ms` : undefined,
      },
      {
        key: "page.dom_nodes_10k",
        what: `DOM nodes with ${scroll.loaded.toLocaleString("en")} rows loaded`,
        value: scroll.domNodes,
        unit: "",
        note: `at most ${scroll.maxNodes} while scrolling`,
      },
    );
  } finally {
    await browser.close();
  }
  return rows;
}

/** Alone: the 1,000,000-entry sandbox upstream and a production server, as `npm run bench` runs them. */
runIfMain(import.meta.url, async () => {
  const upstream = await startSandboxServer({ port: 0, size: 1_000_000, rateLimit: null });
  await withBenchApp(upstream, { UPSTREAM_BUDGET: "1000000/300s" }, async (app) => {
    // The server's first request compiles and warms what every later one reuses.
    await fetch(`${app}/api/logs?range=1h&limit=1`);
    await fetch(`${app}/?range=7d`).then((r) => r.text());
    printRows(await benchPage(app, Number(process.env.BENCH_LOADS ?? 10)), 1);
  });
});
