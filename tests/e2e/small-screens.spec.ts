import type { Page } from "@playwright/test";
import { bodyRows, expect, param, screenshot, test, waitForRows } from "./explorer-helpers";

const PHONE = { width: 390, height: 844 };
const SHORT = { width: 1024, height: 600 };
const DESKTOP = { width: 1440, height: 900 };

const table = (page: Page) => page.getByRole("region", { name: "Audit log entries" });

/** Rows whose box lies wholly inside the table's scroll area. */
async function rowsInView(page: Page): Promise<number> {
  return table(page).evaluate((region) => {
    const box = region.getBoundingClientRect();
    return Array.from(region.querySelectorAll("[role=row][data-row-id]")).filter((row) => {
      const r = row.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom && r.height > 0;
    }).length;
  });
}

/** Visible x-axis labels of the activity chart, as left/right edges. */
async function axisLabelBoxes(page: Page): Promise<{ text: string; left: number; right: number }[]> {
  return page.getByTestId("chart-x-axis").evaluate((axis) =>
    Array.from(axis.children)
      .filter((el) => getComputedStyle(el).visibility !== "hidden")
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { text: el.textContent ?? "", left: r.left, right: r.right };
      }),
  );
}

test.describe("small and short screens", () => {
  test("a phone shows entries as cards of time, actor, action, resource and result, and opens one", async ({
    page,
  }) => {
    await page.setViewportSize(PHONE);
    await page.goto("/?range=24h");
    await waitForRows(page);
    const card = bodyRows(page).first();
    await expect(card).toBeInViewport({ ratio: 1 });
    for (const part of ["time", "actor", "action", "resource", "result"])
      await expect(card.locator(`[data-card-part=${part}]`)).toBeVisible();
    // The card fits the screen: nothing to scroll sideways for.
    const box = (await card.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(await rowsInView(page)).toBeGreaterThanOrEqual(3);
    await screenshot(page, "phone-cards");
    const id = await card.getAttribute("data-row-id");
    await card.click();
    await expect.poll(() => param(page, "log")).toBe(id);
    await expect(page.getByRole("tab", { name: "Details" })).toBeVisible();
  });

  test("a short screen starts with the activity collapsed and keeps a usable table; the choice is remembered", async ({
    page,
  }) => {
    await page.setViewportSize(SHORT);
    await page.goto("/?range=24h");
    await waitForRows(page);
    await expect(page.getByRole("button", { name: "Show activity" })).toBeVisible();
    expect((await table(page).boundingBox())!.height).toBeGreaterThanOrEqual(240);
    expect(await rowsInView(page)).toBeGreaterThanOrEqual(6);
    await screenshot(page, "short-collapsed");

    await page.getByRole("button", { name: "Show activity" }).click();
    await expect(page.getByRole("button", { name: "Hide activity" })).toBeVisible();
    await expect(page.getByTestId("chart-x-axis")).toBeVisible();
    // Even with the panel open, the table keeps a usable height (the page scrolls instead).
    expect((await table(page).boundingBox())!.height).toBeGreaterThanOrEqual(240);
    await screenshot(page, "short-open");
    await page.reload();
    await waitForRows(page);
    await expect(page.getByRole("button", { name: "Hide activity" })).toBeVisible();
  });

  test("a desktop starts with the activity open and shows a full screen of rows", async ({ page }) => {
    await page.setViewportSize(DESKTOP);
    await page.goto("/?range=24h");
    await waitForRows(page);
    await expect(page.getByRole("button", { name: "Hide activity" })).toBeVisible();
    await expect(page.getByTestId("chart-x-axis")).toBeVisible();
    expect(await rowsInView(page)).toBeGreaterThanOrEqual(8);
    await screenshot(page, "desktop");
  });

  for (const range of ["1h", "24h", "7d", "30d"]) {
    test(`the chart's axis labels do not overlap (${range})`, async ({ page }) => {
      await page.setViewportSize(DESKTOP);
      await page.goto(`/?range=${range}`);
      await waitForRows(page);
      await expect(page.getByTestId("chart-x-axis")).toBeVisible();
      await expect.poll(async () => (await axisLabelBoxes(page)).length).toBeGreaterThanOrEqual(2);
      const labels = await axisLabelBoxes(page);
      for (let i = 1; i < labels.length; i++)
        expect(labels[i].left, `${labels[i - 1].text} / ${labels[i].text}`).toBeGreaterThanOrEqual(
          labels[i - 1].right + 2,
        );
      if (range === "24h") await screenshot(page, "axis-24h");
    });
  }

  test("a table wider than the screen shows a cue to scroll sideways, gone at the right end", async ({
    page,
  }) => {
    await page.setViewportSize(SHORT);
    await page.goto("/?range=24h");
    await waitForRows(page);
    const cue = page.getByTestId("scroll-cue");
    await expect(cue).toBeVisible();
    await table(page).evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect(cue).toBeHidden();
    await table(page).evaluate((el) => el.scrollTo({ left: 0 }));
    await expect(cue).toBeVisible();
  });

  test("scrolling down through the rows does not measure the table's width on each step", async ({
    page,
  }) => {
    await page.setViewportSize(SHORT);
    await page.goto("/?range=24h");
    await waitForRows(page);
    await expect(page.getByTestId("scroll-cue")).toBeVisible();
    // Reading a width after rows come and go lays the page out again, once per frame of a scroll.
    const reads = await table(page).evaluate(async (el) => {
      let count = 0;
      const proto = Element.prototype;
      const original = Object.getOwnPropertyDescriptor(proto, "scrollWidth")!;
      Object.defineProperty(proto, "scrollWidth", {
        configurable: true,
        get() {
          count++;
          return original.get!.call(this);
        },
      });
      try {
        for (let i = 0; i < 20; i++) {
          el.scrollTop += 200;
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
        }
      } finally {
        Object.defineProperty(proto, "scrollWidth", original);
      }
      return { count, top: el.scrollTop };
    });
    expect(reads.top).toBeGreaterThan(1_000);
    expect(reads.count).toBe(0);
    await expect(page.getByTestId("scroll-cue")).toBeVisible();
  });
});
