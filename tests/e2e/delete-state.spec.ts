import { apiEntries, expect, test, waitForRows } from "./explorer-helpers";

interface HistoryEntry {
  id: string;
  time: string;
  actionType: string | null;
  response: unknown;
  request: unknown;
}

const DAY = 86_400_000;

test.describe("a delete's Change tab", () => {
  test("shows the resource's last known state and offers its History", async ({ page, request }) => {
    const deletes = await apiEntries(request, "range=7d&action_type=delete&limit=20");
    let found: { id: string; earlier: HistoryEntry } | null = null;
    for (const d of deletes) {
      const at = Date.parse(d.time);
      const params = new URLSearchParams({
        action_time: d.time,
        since: new Date(at - 90 * DAY).toISOString(),
        before: new Date(at).toISOString(),
        limit: "1000",
      });
      const res = await request.get(`/api/logs/${encodeURIComponent(d.id)}/history?${params}`);
      if (!res.ok()) continue;
      const history = ((await res.json()) as { data: HistoryEntry[] }).data
        .filter((h) => h.id !== d.id && h.time <= d.time && h.actionType !== "delete" && h.response)
        .sort((a, b) => b.time.localeCompare(a.time));
      if (history[0]) {
        found = { id: d.id, earlier: history[0] };
        break;
      }
    }
    expect(found, "a sandbox delete with an earlier change").not.toBeNull();

    await page.goto(`/?range=7d&action_type=delete&log=${encodeURIComponent(found!.id)}`);
    await waitForRows(page);
    await page.getByRole("tab", { name: "Change" }).click();
    const state = page.getByRole("region", { name: "Last known state" });
    await expect(state).toContainText("before the delete");
    await expect(state.locator(`time[datetime="${found!.earlier.time}"]`)).toBeVisible();
    await state.getByRole("button", { name: "Open History" }).click();
    await expect(page.getByRole("tab", { name: "History" })).toHaveAttribute("aria-selected", "true");
  });
});
