import { bodyRows, expect, param, screenshot, test, waitForRows } from "./explorer-helpers";

test.describe("an empty result for an exact-match filter", () => {
  test("a wrong-case resource type is offered the spelling the data uses", async ({ page }) => {
    await page.goto("/?range=7d&resource_type=access%20policy");
    const empty = page.getByRole("heading", { name: "No entries match" }).locator("..");
    await expect(empty).toContainText("must match exactly, letter case included");
    await expect(empty).toContainText("Did you mean");
    await screenshot(page, "did-you-mean");
    await empty.getByRole("button", { name: "Access policy" }).click();
    await expect.poll(() => param(page, "resource_type")).toBe("Access policy");
    await waitForRows(page);
    await expect(bodyRows(page).first()).toContainText("Access policy");
  });
});
