import { apiEntries, expect, test, waitForRows } from "./explorer-helpers";

test.describe("the data notice", () => {
  // A screen tall enough for the activity overview to start open: its coverage feeds the notice.
  test.use({ viewport: { width: 1440, height: 900 } });

  test("says the activity overview is partial when its walk stopped short, and nothing when it did not", async ({
    page,
  }) => {
    await page.goto("/?range=90d");
    await waitForRows(page);
    const notice = page.getByRole("region", { name: "About this data" });
    await expect(notice).toContainText(
      // At most the walk's 20,000 entries: the last second it reached counts only if it was walked whole.
      /Partial: The activity overview counts only the newest (20,000|19,9\d\d) matching entries/,
    );

    await page.goto("/?range=1h");
    await waitForRows(page);
    await expect(page.getByTestId("activity-plot")).toBeVisible();
    await expect(page.getByTestId("activity-uncovered")).toHaveCount(0);
    await expect(page.getByTestId("data-notice")).toHaveCount(0);
  });

  test("says the open entry's history is approximate while it is open", async ({ page, request }) => {
    const candidates = await apiEntries(request, "range=30d&action_type=update&limit=200");
    let chosen: (typeof candidates)[number] | undefined;
    for (const entry of candidates) {
      const res = await request.get(
        `/api/logs/${entry.id}/history?action_time=${encodeURIComponent(entry.time)}`,
      );
      const body = (await res.json()) as { historyStatus: string };
      if (res.ok() && body.historyStatus === "approximate") {
        chosen = entry;
        break;
      }
    }
    expect(chosen, "an entry with an approximate history").toBeDefined();
    await page.goto(`/?range=30d&log=${chosen!.id}`);
    await page.getByRole("tab", { name: "History" }).click();
    const notice = page.getByTestId("data-notice");
    await expect(notice).toContainText("Approximate: The open entry's change history");
    await page.keyboard.press("Escape");
    await expect.poll(() => new URL(page.url()).searchParams.get("log")).toBeNull();
    await expect(page.getByText("Approximate: The open entry's change history")).toHaveCount(0);
  });
});
