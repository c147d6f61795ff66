import { bodyRows, expect, param, test, waitForRows } from "./explorer-helpers";

test.describe("table rows", () => {
  test("rows follow a column swap even when the grid's widths stay the same", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    // Action type and Action result have the same width: only their order changes.
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("button", { name: "Move Action result left" }).click();
    await page.keyboard.press("Escape");
    await expect.poll(() => param(page, "columns")).toMatch(/^time,actionResult,actionType,/);
    const headers = page.getByRole("columnheader");
    await expect(headers.nth(1)).toHaveText("Action result");
    await expect(headers.nth(2)).toHaveText("Action type");
    const cells = bodyRows(page).first().getByRole("cell");
    await expect(cells.nth(1)).toHaveText(/^(success|failure)$/i);
    await expect(cells.nth(2)).not.toHaveText(/^(success|failure)$/i);
  });

  test("a filter change starts the list at its first row, however far it was scrolled", async ({ page }) => {
    await page.goto("/?range=7d&action_type=update");
    await waitForRows(page);
    const region = page.getByRole("region", { name: "Audit log entries" });
    await region.evaluate((el) => (el.scrollTop = 1_500));
    await expect.poll(() => region.evaluate((el) => el.scrollTop)).toBeGreaterThan(1_000);
    await page.getByRole("button", { name: "Action type is update: switch to exclude" }).click();
    await expect(page).toHaveURL(/action_type\.not=update/);
    await expect.poll(() => region.evaluate((el) => el.scrollTop)).toBe(0);
    await expect(bodyRows(page).first()).toHaveAttribute("aria-rowindex", "2");
  });
});
