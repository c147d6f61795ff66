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
});
