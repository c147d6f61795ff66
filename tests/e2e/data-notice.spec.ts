import { expect, test, waitForRows } from "./explorer-helpers";

test.describe("the data notice", () => {
  test("says the activity overview is partial when its walk stopped short, and nothing when it did not", async ({
    page,
  }) => {
    await page.goto("/?range=90d");
    await waitForRows(page);
    const notice = page.getByRole("region", { name: "About this data" });
    await expect(notice).toContainText(
      /Partial: The activity overview counts only the newest 20,000 matching entries/,
    );

    await page.goto("/?range=1h");
    await waitForRows(page);
    await expect(page.getByTestId("activity-plot")).toBeVisible();
    await expect(page.getByTestId("activity-uncovered")).toHaveCount(0);
    await expect(page.getByTestId("data-notice")).toHaveCount(0);
  });
});
