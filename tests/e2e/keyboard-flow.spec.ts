import type { Page } from "@playwright/test";
import { bodyRows, expect, param, screenshot, test, waitForRows } from "./explorer-helpers";

const DESKTOP = { width: 1440, height: 900 };

const highlighted = (page: Page) => page.locator("[role=row][aria-current=true]");
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

test.describe("keyboard flow", () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize(DESKTOP);
  });

  test("after a time range choice, j highlights a row and Enter opens it", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.getByRole("button", { name: /^Time range/ }).click();
    await page.getByRole("button", { name: "Last 7 days" }).click();
    await expect(page).toHaveURL(/range=7d/);
    await waitForRows(page);
    await expect.poll(() => focusedId(page)).toBe("log-table");
    await page.keyboard.press("j");
    await expect(highlighted(page)).toHaveCount(1);
    const id = await highlighted(page).getAttribute("data-row-id");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("dialog", { name: /./ }).last()).toBeVisible();
    await expect.poll(() => param(page, "log")).toBe(id);
    // The menu stayed closed: Enter opened the entry, not the time range again.
    await expect(page.getByRole("dialog", { name: "Time range" })).toBeHidden();
  });

  test("arrow keys in an open menu do not move the table's highlight", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.getByRole("button", { name: /^Time range/ }).click();
    await expect(page.getByRole("dialog", { name: "Time range" })).toBeVisible();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("j");
    await expect(highlighted(page)).toHaveCount(0);
  });

  test("a skip link, and the t key, reach the table", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to entries" });
    await expect(skip).toBeFocused();
    await screenshot(page, "skip-link");
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedId(page)).toBe("log-table");
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await expect.poll(() => param(page, "log")).not.toBeNull();
    await page.keyboard.press("Escape");
    await expect.poll(() => param(page, "log")).toBeNull();

    await page.getByRole("button", { name: /^Time range/ }).focus();
    await page.keyboard.press("t");
    await expect.poll(() => focusedId(page)).toBe("log-table");
  });

  test("each top-values card is one Tab stop, with arrow keys inside", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    const cards = page.getByRole("region", { name: /^Top / });
    await expect(cards).toHaveCount(4);
    const actors = page.getByRole("region", { name: "Top actors" });
    await expect(actors.getByRole("button").first()).toBeVisible();
    for (const card of await cards.all()) {
      const stops = await card.evaluate(
        (el) => Array.from(el.querySelectorAll("button")).filter((b) => b.tabIndex >= 0).length,
      );
      expect(stops).toBeLessThanOrEqual(1);
    }
    const buttons = actors.getByRole("button");
    await buttons.first().focus();
    await page.keyboard.press("ArrowDown");
    await expect(buttons.nth(1)).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(buttons.first()).toBeFocused();
    // The arrows stayed inside the card: the table's highlight did not move.
    await expect(highlighted(page)).toHaveCount(0);
    // Emails cut off by the card's width can be read in full.
    const first = buttons.first();
    const value = (await first.getAttribute("data-value"))!;
    await expect(first).toHaveAttribute("title", new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  });

  test("? lists every shortcut, and the new keys open the time range, export and share menus", async ({
    page,
  }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(dialog).toBeVisible();
    for (const what of [
      "Focus the filter box",
      "Jump to the entries",
      "Change the time range",
      "Export",
      "Share",
      "Filter by the focused value",
      "Exclude the focused value",
    ])
      await expect(dialog.getByText(what, { exact: false }).first()).toBeVisible();
    await screenshot(page, "shortcuts");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    await page.getByRole("region", { name: "Audit log entries" }).focus();
    await page.keyboard.press("r");
    await expect(page.getByRole("dialog", { name: "Time range" })).toBeVisible();
    await page.keyboard.press("Escape");
    await page.getByRole("region", { name: "Audit log entries" }).focus();
    await page.keyboard.press("e");
    await expect(page.getByRole("dialog", { name: /^Export/ })).toBeVisible();
    await page.keyboard.press("Escape");
    await page.getByRole("region", { name: "Audit log entries" }).focus();
    await page.keyboard.press("s");
    await expect(page.getByRole("dialog", { name: "Share this view" })).toBeVisible();
  });

  test("in the detail view, + and - filter by or exclude the focused value", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await bodyRows(page).first().click();
    const include = page.getByRole("button", { name: /^Filter by Action type: / });
    await expect(include).toBeVisible();
    const value = (await include.getAttribute("aria-label"))!.replace(/^Filter by Action type: /, "");
    await include.focus();
    await page.keyboard.press("-");
    await expect.poll(() => param(page, "action_type.not")).toBe(value);
    await page.getByRole("button", { name: /^Filter by Action result: / }).focus();
    await page.keyboard.press("+");
    await expect.poll(() => param(page, "action_result")).not.toBeNull();
  });

  test("a detail view for an entry that was not found offers no History or JSON tab", async ({ page }) => {
    await page.goto("/?range=24h&log=no-such-entry");
    await expect(page.getByRole("heading", { name: "Entry not found" })).toBeVisible();
    await expect(page.getByRole("tab", { name: "History" })).toHaveCount(0);
    await expect(page.getByRole("tab", { name: "JSON" })).toHaveCount(0);
  });
});
