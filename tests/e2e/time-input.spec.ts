import { E2E_SANDBOX_NOW } from "../../playwright.config";
import { expect, param, screenshot, test, waitForRows } from "./explorer-helpers";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** `YYYY-MM-DD` of the last weekday (UTC) before the day of `instant`. */
function lastWeekday(instant: string): string {
  let day = Math.floor(Date.parse(instant) / DAY) * DAY - DAY;
  while ([0, 6].includes(new Date(day).getUTCDay())) day -= DAY;
  return iso(day).slice(0, 10);
}

test.describe("time input", () => {
  test("the custom range uses a 24-hour clock and accepts a typed range", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.getByRole("button", { name: /^Time range/ }).click();
    const panel = page.getByRole("dialog", { name: "Time range" });
    // No AM/PM: times are typed and shown as HH:MM.
    const fromTime = panel.getByRole("textbox", { name: "From time" });
    await expect(fromTime).toHaveValue(/^\d{2}:\d{2}$/);
    await expect(fromTime).toHaveAttribute("placeholder", "HH:MM");
    await screenshot(page, "time-range-panel");
    // Working hours of the last weekday before the pinned clock's day: never empty, never in the future.
    const day = lastWeekday(E2E_SANDBOX_NOW);
    await panel.getByRole("textbox", { name: "Typed range" }).fill(`${day} 09:00 – 12:00`);
    await panel.getByRole("textbox", { name: "Typed range" }).press("Enter");
    await expect.poll(() => param(page, "since")).toBe(`${day}T09:00:00Z`);
    expect(param(page, "before")).toBe(`${day}T12:00:00Z`);
    await waitForRows(page);
  });

  test("a typed range that is not one says so", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.getByRole("button", { name: /^Time range/ }).click();
    const panel = page.getByRole("dialog", { name: "Time range" });
    await panel.getByRole("textbox", { name: "Typed range" }).fill("last tuesday-ish");
    await panel.getByRole("textbox", { name: "Typed range" }).press("Enter");
    await expect(panel.getByRole("alert")).toContainText("2026-11-26 09:00 – 12:00");
    expect(param(page, "since")).toBeNull();
  });

  test("a Yesterday preset selects the whole previous day of the data's clock", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.getByRole("button", { name: /^Time range/ }).click();
    await page.getByRole("button", { name: "Yesterday" }).click();
    // The previous UTC day of the sandbox's pinned clock, whatever instant it is pinned to.
    const today = Math.floor(Date.parse(E2E_SANDBOX_NOW) / DAY) * DAY;
    await expect.poll(() => param(page, "since")).toBe(iso(today - DAY));
    expect(param(page, "before")).toBe(iso(today));
    await waitForRows(page);
  });

  test.describe("in local time", () => {
    test.use({ timezoneId: "Asia/Kolkata" });
    test("the timestamp column header names the zone", async ({ page }) => {
      await page.goto("/?range=24h&tz=local");
      await waitForRows(page);
      await expect(page.getByRole("columnheader").first()).toHaveText(
        /^Action timestamp \((Asia\/Kolkata|Asia\/Calcutta), UTC\+05:30\)$/,
      );
      await screenshot(page, "local-zone-header");
    });
  });
});
