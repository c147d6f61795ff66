import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_SANDBOX_NOW } from "../../playwright.config";

/**
 * The activity overview above the table, on a production build with the embedded sandbox (50,000
 * entries over ~120 days): the chart's counts, drag to zoom, click to filter, partial coverage.
 */

const DAY = 86_400_000;
const HALF_HOUR = 30 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A pinned window of the last `days` days, on whole seconds. */
function lastDays(days: number): { since: string; before: string } {
  // The sandbox's pinned clock, not this machine's: a window past it would be cut at the sandbox's now.
  const before = Math.floor(Date.parse(E2E_SANDBOX_NOW) / 1000) * 1000;
  return { since: iso(before - days * DAY), before: iso(before) };
}

/** Every row `/api/logs` returns for a query string, walked with limit 1000. */
async function countRows(request: APIRequestContext, qs: string): Promise<number> {
  let rows = 0;
  let cursor: string | null = null;
  do {
    const response = await request.get(
      `/api/logs?${qs}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(response.status()).toBe(200);
    const page = (await response.json()) as { data: unknown[]; nextCursor: string | null };
    rows += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

function overview(page: Page) {
  return page.getByRole("region", { name: "Activity" });
}

/** The entry count the chart states in its accessible name. */
async function chartTotal(page: Page): Promise<number> {
  const chart = overview(page).getByRole("img", { name: /^Activity chart:/ });
  await expect(chart).toBeVisible({ timeout: 30_000 });
  const label = (await chart.getAttribute("aria-label")) ?? "";
  const match = /^Activity chart: ([\d,]+) entries/.exec(label);
  expect(match, label).not.toBeNull();
  return Number(match![1].replaceAll(",", ""));
}

const AXE = readFileSync(path.join(process.cwd(), "node_modules/axe-core/axe.min.js"), "utf8");

/** axe-core findings of serious or critical impact inside the overview (with a bar's details showing). */
async function axeViolations(page: Page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Element, o: object) => Promise<Result> } }).axe;
    const region = document.querySelector('section[aria-labelledby="activity-heading"]')!;
    const result = await axe.run(region, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

test.describe("activity overview", () => {
  // A roomy screen, where the overview starts open (it starts collapsed on small or short ones).
  test.use({ viewport: { width: 1440, height: 900 } });

  test("the chart's total equals the rows of the same filters when coverage is complete", async ({
    page,
    request,
  }) => {
    const errors = watchConsole(page);
    const { since, before } = lastDays(7);
    const qs = new URLSearchParams({ since, before, action_type: "update" }).toString();
    await page.goto(`/?${qs}`);
    const shown = await chartTotal(page);

    const stats = await (await request.get(`/api/logs/stats?${qs}&buckets=60`)).json();
    expect(stats.coverage.complete).toBe(true);
    expect(stats.window).toEqual({ since, before });
    const rows = await countRows(request, qs);
    expect(rows).toBeGreaterThan(0);
    expect(shown).toBe(rows);
    expect(stats.totals.entries).toBe(rows);
    await expect(overview(page).getByRole("note")).toHaveCount(0);
    await overview(page)
      .getByRole("group", { name: /Bars of the activity chart/ })
      .hover();
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("dragging across bars pins since/before and the table follows; Reset zoom returns to the preset", async ({
    page,
  }) => {
    const errors = watchConsole(page);
    await page.goto("/?range=7d");
    await chartTotal(page);
    const bars = overview(page).getByRole("group", { name: /Bars of the activity chart/ });
    const box = (await bars.boundingBox())!;

    const tableFollows = page.waitForRequest((r) => {
      const url = new URL(r.url());
      return url.pathname === "/api/logs" && url.searchParams.has("since") && url.searchParams.has("before");
    });
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();

    await expect.poll(() => new URL(page.url()).searchParams.has("before")).toBe(true);
    const url = new URL(page.url());
    expect(url.searchParams.has("range")).toBe(false);
    const since = Date.parse(url.searchParams.get("since")!);
    const before = Date.parse(url.searchParams.get("before")!);
    // About 30% of a week, on bucket boundaries (3-hour buckets over 7 days).
    expect(before - since).toBeGreaterThan(1.5 * DAY);
    expect(before - since).toBeLessThan(3 * DAY);
    expect(since % (3 * 3_600_000)).toBe(0);

    const request = new URL((await tableFollows).url());
    expect(Date.parse(request.searchParams.get("since")!)).toBe(since);
    expect(Date.parse(request.searchParams.get("before")!)).toBe(before);
    // The chart redraws for the pinned window.
    await expect(overview(page).getByText(/Counting entries/)).toHaveCount(0, { timeout: 30_000 });

    await overview(page).getByRole("button", { name: "Reset zoom" }).click();
    await expect(page).toHaveURL(/[?&]range=7d/);
    expect(new URL(page.url()).searchParams.has("since")).toBe(false);
    expect(errors).toEqual([]);
  });

  test("keyboard: Shift+arrows select bars and Enter zooms in", async ({ page }) => {
    await page.goto("/?range=24h");
    await chartTotal(page);
    const bars = overview(page).getByRole("group", { name: /Bars of the activity chart/ });
    const last = bars.getByRole("button").last();
    await last.focus();
    await expect(last).toHaveAttribute("aria-label", /UTC: [\d,]+ entries/);
    await page.keyboard.press("Shift+ArrowLeft");
    await page.keyboard.press("Shift+ArrowLeft");
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.has("since")).toBe(true);
    const url = new URL(page.url());
    // Three half-hour bars on the UTC half-hours; the last one is cut short at the clock's instant unless
    // the clock sits on a half-hour.
    const now = Date.parse(E2E_SANDBOX_NOW);
    const lastBarStart = Math.ceil(now / HALF_HOUR) * HALF_HOUR - HALF_HOUR;
    const before = Date.parse(url.searchParams.get("before")!);
    expect(Date.parse(url.searchParams.get("since")!)).toBe(lastBarStart - 2 * HALF_HOUR);
    expect(before).toBeGreaterThan(lastBarStart);
    expect(before).toBeLessThanOrEqual(Math.min(lastBarStart + HALF_HOUR, now));
  });

  test("clicking a top actor filters the table; Shift+click excludes a product", async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto("/?range=7d");
    await chartTotal(page);
    const actor = overview(page)
      .getByRole("button", { name: /^Filter by actor email / })
      .first();
    const email = (await actor.getAttribute("data-value"))!;

    const tableFollows = page.waitForRequest((r) => {
      const url = new URL(r.url());
      return url.pathname === "/api/logs" && url.searchParams.getAll("actor_email").includes(email);
    });
    await actor.click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll("actor_email")).toEqual([email]);
    await tableFollows;
    // The overview follows too: every counted entry is by that actor now.
    await expect(overview(page).getByRole("button", { name: /^Filter by actor email / })).toHaveCount(1, {
      timeout: 30_000,
    });

    const product = overview(page)
      .getByRole("button", { name: /^Filter by resource product / })
      .first();
    const name = (await product.getAttribute("data-value"))!;
    await product.click({ modifiers: ["Shift"] });
    await expect.poll(() => new URL(page.url()).searchParams.getAll("resource_product.not")).toEqual([name]);
    expect(new URL(page.url()).searchParams.getAll("actor_email")).toEqual([email]);
    expect(errors).toEqual([]);
  });

  test("a range wider than the budget says plainly that the counts are partial", async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto("/?range=90d");
    // The walk stops at 20,000 entries and keeps whole seconds only: the last second it reached may
    // have been cut, so a few entries fewer are counted, never more.
    const total = await chartTotal(page);
    expect(total).toBeLessThanOrEqual(20_000);
    expect(total).toBeGreaterThan(19_900);
    // Said once, in the notice above the table, which gathers every caveat of the view.
    await expect(page.getByRole("region", { name: "About this data" })).toContainText(
      new RegExp(
        `Partial: The activity overview counts only the newest ${total.toLocaleString("en-US")} matching entries, back to \\w{3} \\d{1,2}, \\d{4}, \\d\\d:\\d\\d UTC`,
      ),
    );
    await expect(overview(page).getByRole("note")).toHaveCount(0);
    await expect(overview(page).getByTestId("activity-uncovered")).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("the overview can be hidden, stays hidden on reload, and then asks nothing of the server", async ({
    page,
  }) => {
    await page.goto("/?range=24h");
    await chartTotal(page);
    await overview(page).getByRole("button", { name: "Hide activity" }).click();
    await expect(overview(page).getByRole("img")).toHaveCount(0);
    const statsCalls: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/logs/stats") statsCalls.push(r.url());
    });
    await page.reload();
    await expect(overview(page).getByRole("button", { name: "Show activity" })).toBeVisible();
    await expect(overview(page).getByRole("img")).toHaveCount(0);
    expect(statsCalls).toEqual([]);
    await overview(page).getByRole("button", { name: "Show activity" }).click();
    await chartTotal(page);
  });

  test("after a filter change the rows are asked and answered first, then the counts", async ({ page }) => {
    await page.goto("/?range=7d&action_type=update");
    await chartTotal(page);
    await page.waitForLoadState("networkidle");
    const events: string[] = [];
    const kind = (url: string) => {
      const { pathname } = new URL(url);
      return pathname === "/api/logs" ? "rows" : pathname === "/api/logs/stats" ? "counts" : null;
    };
    page.on("request", (r) => kind(r.url()) && events.push(`${kind(r.url())} asked`));
    page.on("requestfinished", (r) => kind(r.url()) && events.push(`${kind(r.url())} answered`));
    await page.getByRole("button", { name: "Action type is update: switch to exclude" }).click();
    await expect(overview(page).getByRole("img", { name: /^Activity chart:/ })).toBeVisible();
    await expect.poll(() => events.length).toBe(4);
    expect(events).toEqual(["rows asked", "rows answered", "counts asked", "counts answered"]);
  });

  test("after a filter change the counts are asked only once a frame has shown the new rows", async ({
    page,
  }) => {
    await page.goto("/?range=7d&action_type=update");
    await chartTotal(page);
    await page.waitForLoadState("networkidle");
    // Frames are counted in the page; the frame in which the new rows reach the document is noted, and
    // the frame in which the counts are asked.
    await page.evaluate(() => {
      const marks = window as typeof window & { frame?: number; rowsFrame?: number; countsFrame?: number };
      marks.frame = 0;
      const tick = () => {
        marks.frame! += 1;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      new MutationObserver(() => {
        const first = document.querySelector("[role=row][data-row-id]");
        if (marks.rowsFrame === undefined && first && !first.textContent?.includes("update"))
          marks.rowsFrame = marks.frame;
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
      const fetchAny = window.fetch;
      window.fetch = (input, init) => {
        if (String(input).startsWith("/api/logs/stats?") && marks.countsFrame === undefined)
          marks.countsFrame = marks.frame;
        return fetchAny(input, init);
      };
    });
    await page.getByRole("button", { name: "Action type is update: switch to exclude" }).click();
    const frames = await page.waitForFunction(() => {
      const { rowsFrame, countsFrame } = window as typeof window & {
        rowsFrame?: number;
        countsFrame?: number;
      };
      return countsFrame !== undefined && { rowsFrame, countsFrame };
    });
    const { rowsFrame, countsFrame } = (await frames.jsonValue()) as {
      rowsFrame?: number;
      countsFrame: number;
    };
    expect(rowsFrame).toBeDefined();
    expect(countsFrame).toBeGreaterThan(rowsFrame!);
  });

  test("a link the server would refuse is left to the page: no stats request, no error here", async ({
    page,
  }) => {
    const statsCalls: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/logs/stats") statsCalls.push(r.url());
    });
    await page.goto("/?actor_email=not-an-email");
    // The page explains the bad link; the overview waits for a valid one.
    await expect(page.getByRole("button", { name: "Remove the invalid parameters" })).toBeVisible();
    await page.waitForTimeout(1_000);
    await expect(overview(page)).toHaveCount(0);
    expect(statsCalls).toEqual([]);
  });
});
