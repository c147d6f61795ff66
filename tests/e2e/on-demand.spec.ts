import { bodyRows, expect, param, test, waitForRows } from "./explorer-helpers";

// The detail view's code is not part of the first bundle. These tests hold back every script asked for
// after the page has hydrated (and keep the browser from fetching ahead when idle), so a row is opened
// before its code has arrived, as on a slow network.
test.describe("panels loaded on demand", () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      window.requestIdleCallback = () => 0;
    });
  });

  async function holdLateScripts(page: import("@playwright/test").Page) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/_next\/static\/chunks\/.+\.js$/, async (route) => {
      await released;
      await route.continue();
    });
    return release;
  }

  test("an entry opened before its code arrives shows a loading panel, which Esc closes", async ({
    page,
  }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const release = await holdLateScripts(page);

    await bodyRows(page).nth(2).click();
    await expect(page.getByRole("status", { name: "Loading entry" })).toBeVisible();
    await expect.poll(() => param(page, "log")).not.toBeNull();
    await page.keyboard.press("Escape");
    await expect.poll(() => param(page, "log")).toBeNull();
    await expect(page.getByRole("status", { name: "Loading entry" })).toHaveCount(0);
    release();
  });

  test("once its code arrives, the entry opened meanwhile shows in the detail view", async ({ page }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const release = await holdLateScripts(page);

    const row = bodyRows(page).nth(1);
    const id = await row.getAttribute("data-row-id");
    await row.click();
    await expect(page.getByRole("status", { name: "Loading entry" })).toBeVisible();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    release();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expect(page.getByRole("status", { name: "Loading entry" })).toHaveCount(0);
    expect(param(page, "log")).toBe(id);
  });
});
