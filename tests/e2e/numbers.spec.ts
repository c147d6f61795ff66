import type { Page } from "@playwright/test";
import { bodyRows, expect, loadedCount, screenshot, test, waitForRows } from "./explorer-helpers";

const DESKTOP = { width: 1440, height: 900 };

/** The overview's "Entries" figure. */
async function entriesFigure(page: Page): Promise<number> {
  const figure = page.getByRole("region", { name: "Activity" }).locator("dt", { hasText: "Entries" });
  await expect(figure).toBeVisible({ timeout: 30_000 });
  const text = (await figure.locator("xpath=following-sibling::dd").textContent()) ?? "";
  return Number(text.replace(/[^\d]/g, ""));
}

/** Scroll the table until every matching row is loaded. */
async function loadAll(page: Page) {
  const region = page.getByRole("region", { name: "Audit log entries" });
  while (!((await page.getByTestId("row-count").textContent()) ?? "").includes("all loaded")) {
    const before = await loadedCount(page);
    await region.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect
      .poll(async () => {
        const text = (await page.getByTestId("row-count").textContent()) ?? "";
        return text.includes("all loaded") || (await loadedCount(page)) > before;
      })
      .toBe(true);
  }
}

test.describe("numbers that agree", () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize(DESKTOP);
  });

  test("the activity totals count exactly the table's rows, on a window that is not bar-aligned", async ({
    page,
  }) => {
    // A week, whose window starts wherever the clock stands rather than on a bar's edge: a window rounded
    // to its bars would lose or gain part of the first bar. A week holds weekdays whatever the pinned
    // clock, so it is never a quiet weekend's handful of rows.
    await page.goto("/?range=7d");
    await waitForRows(page);
    await loadAll(page);
    const rows = await loadedCount(page);
    expect(rows).toBeGreaterThan(100);
    expect(await entriesFigure(page)).toBe(rows);
    await screenshot(page, "numbers-7d");
  });

  test("the status bar and the detail view give the total when it is known", async ({ page }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const total = await entriesFigure(page);
    expect(total).toBeGreaterThan(100);
    const formatted = total.toLocaleString("en-US");
    await expect(page.getByTestId("row-count")).toHaveText(
      new RegExp(`^100 of ${formatted} rows loaded · more available$`),
    );
    // At the row's left edge, on its time: a filterable cell under the pointer shows its own buttons.
    await bodyRows(page)
      .nth(1)
      .click({ position: { x: 8, y: 8 } });
    await expect(page.getByText(`2 of ${formatted}`)).toBeVisible();
    await screenshot(page, "numbers-detail-total");
  });

  test("without the overview's count, the status bar says 'of at least'", async ({ page }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    await page.getByRole("button", { name: "Hide activity" }).click();
    await page.reload();
    await waitForRows(page);
    await expect(page.getByTestId("row-count")).toHaveText(
      /^100 of at least 101 rows loaded · more available$/,
    );
  });

  test("a long range is accepted and its message agrees with the validation; no window ends in the future", async ({
    page,
    request,
  }) => {
    const bad = await request.get("/api/logs?range=2y");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).errors[0].message).toMatch(/at most 548d/);
    const stats = await request.get(`/api/logs/stats?range=365d&buckets=60`);
    expect(stats.status()).toBe(200);

    let requested: URL | null = null;
    page.on("request", (r) => {
      if (r.url().includes("/api/logs/stats?")) requested = new URL(r.url());
    });
    await page.goto("/?range=365d");
    await waitForRows(page);
    await expect.poll(() => requested).not.toBeNull();
    const logs = await (await request.get("/api/logs?range=1m&limit=1")).json();
    const now = Date.parse(logs.meta.before);
    const before = Date.parse(requested!.searchParams.get("before") ?? "");
    expect(before).toBeLessThanOrEqual(now);
  });

  test("a range in the future gets its own message", async ({ page, request }) => {
    const res = await request.get("/api/logs?since=2030-01-01&before=2030-01-02");
    expect(res.status()).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({ parameter: "since", message: /in the future/ });
    await page.goto("/?since=2030-01-01&before=2030-01-02");
    await expect(
      page.getByRole("alert").filter({ hasText: "This link has invalid parameters" }),
    ).toContainText("in the future");
    await screenshot(page, "numbers-future");
  });
});
