import type { Page } from "@playwright/test";
import { bodyRows, expect, expectAccessible, param, test, waitForRows } from "./explorer-helpers";

const DESKTOP = { width: 1440, height: 900 };

/** The cells of one column, in table order of the rendered rows. */
const cells = (page: Page, column: string) =>
  page.locator(`[role=row][data-row-id] [role=cell][data-col="${column}"]`);

/** The visible text of every rendered cell of a column. */
const columnTexts = (page: Page, column: string) => cells(page, column).allInnerTexts();

const highlightedCell = (page: Page, column: string) =>
  page.locator(`[role=row][aria-current=true] [role=cell][data-col="${column}"]`);

test.describe("filter from a table cell", () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize(DESKTOP);
  });

  test("by mouse: hovering a cell offers include, exclude and copy; include and exclude land on the right URL and rows", async ({
    page,
  }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    // Nothing is rendered for cells nobody points at.
    await expect(page.locator("[data-cell-actions]")).toHaveCount(0);

    const typeCell = cells(page, "actionType").first();
    const type = (await typeCell.innerText()).trim();
    await typeCell.hover();
    await expect(page.locator("[data-cell-actions]")).toHaveCount(1);
    await expect(typeCell.getByRole("button", { name: `Exclude ${type}` })).toBeVisible();
    await expect(typeCell.getByRole("button", { name: `Copy ${type}` })).toBeVisible();
    await typeCell.getByRole("button", { name: `Filter by ${type}` }).click();
    await expect.poll(() => param(page, "action_type")).toBe(type);
    // The click filtered; it did not also open the entry.
    expect(param(page, "log")).toBeNull();
    await waitForRows(page);
    await expect.poll(async () => new Set(await columnTexts(page, "actionType"))).toEqual(new Set([type]));

    const actorCell = cells(page, "actorType").first();
    const actor = (await actorCell.innerText()).trim();
    await actorCell.hover();
    await actorCell.getByRole("button", { name: `Exclude ${actor}` }).click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll("actor_type.not")).toHaveLength(1);
    await waitForRows(page);
    await expect.poll(async () => (await columnTexts(page, "actorType")).includes(actor)).toBe(false);
    // The include stayed.
    expect(param(page, "action_type")).toBe(type);
  });

  test("by keyboard: Tab reaches the highlighted row's cells, + and - filter, and j keeps the column", async ({
    page,
  }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.keyboard.press("t");
    await page.keyboard.press("j");
    await expect(bodyRows(page).and(page.locator("[aria-current=true]"))).toHaveCount(1);
    // Tab passes the sort button of the header, then reaches the first filterable cell of the
    // highlighted row (the timestamp is not a filter).
    await page.keyboard.press("Tab");
    await expect(
      page.getByRole("columnheader", { name: /Action timestamp/ }).getByRole("button"),
    ).toBeFocused();
    await page.keyboard.press("Tab");
    const first = highlightedCell(page, "actionType");
    await expect(first).toBeFocused();
    const type = (await first.innerText()).trim();
    await expect(first.getByRole("button", { name: `Filter by ${type}` })).toBeVisible();
    await expectAccessible(page);

    // j moves the highlight and keyboard focus stays in the same column.
    await page.keyboard.press("j");
    await expect(highlightedCell(page, "actionType")).toBeFocused();
    const second = (await highlightedCell(page, "actionType").innerText()).trim();
    await page.keyboard.press("-");
    await expect.poll(() => param(page, "action_type.not")).toBe(second);
    await waitForRows(page);
    await expect.poll(async () => (await columnTexts(page, "actionType")).includes(second)).toBe(false);

    // Tab on into a cell's actions: Enter on "Filter by" includes the value.
    await page.keyboard.press("t");
    await page.keyboard.press("j");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const cell = highlightedCell(page, "actionType");
    await expect(cell).toBeFocused();
    const included = (await cell.innerText()).trim();
    expect(included).not.toBe(second);
    await page.keyboard.press("Tab");
    await expect(cell.getByRole("button", { name: `Filter by ${included}` })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect.poll(() => param(page, "action_type")).toBe(included);
    expect(param(page, "log")).toBeNull();
    await waitForRows(page);
    await expect
      .poll(async () => new Set(await columnTexts(page, "actionType")))
      .toEqual(new Set([included]));
    expect(param(page, "action_type.not")).toBe(second);
  });

  test("Enter on a focused cell still opens the highlighted entry", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.keyboard.press("t");
    await page.keyboard.press("j");
    const id = await page.locator("[role=row][aria-current=true]").getAttribute("data-row-id");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(highlightedCell(page, "actionType")).toBeFocused();
    // The arrows move between the row's values.
    await page.keyboard.press("ArrowRight");
    await expect(highlightedCell(page, "actionResult")).toBeFocused();
    await page.keyboard.press("ArrowLeft");
    await expect(highlightedCell(page, "actionType")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect.poll(() => param(page, "log")).toBe(id);
  });
});
