import { apiEntries, bodyRows, expect, screenshot, test, waitForRows } from "./explorer-helpers";

test.describe("what and why", () => {
  test("a failed entry's detail header gives the HTTP status and the error message", async ({
    page,
    request,
  }) => {
    const [failed] = await apiEntries(request, "range=7d&action_result=failure&limit=1");
    const entry = failed as unknown as { statusCode: number; response: { errors: { message: string }[] } };
    expect(entry.statusCode).toBeGreaterThanOrEqual(400);
    await page.goto("/?range=7d&action_result=failure");
    await waitForRows(page);
    await bodyRows(page).first().click();
    const reason = page.getByTestId("failure-reason");
    await expect(reason).toContainText(`HTTP ${entry.statusCode}`);
    await expect(reason).toContainText(entry.response.errors[0].message);
    await screenshot(page, "failure-reason");
  });
});
