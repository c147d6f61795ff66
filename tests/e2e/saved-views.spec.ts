import type { Page } from "@playwright/test";
import { apiEntries, expect, firstRowIds, param, test, waitForRows } from "./explorer-helpers";

async function openManager(page: Page) {
  await page.getByRole("button", { name: "Saved views" }).click();
  const dialog = page.getByRole("dialog", { name: "Saved views" });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function saveCurrent(page: Page, name: string) {
  const dialog = await openManager(page);
  await dialog.getByRole("textbox", { name: "Name of the current view" }).fill(name);
  await dialog.getByRole("button", { name: "Save view" }).click();
  await expect(dialog.getByRole("status")).toHaveText(`Saved "${name}".`);
  return dialog;
}

test.describe("saved views", () => {
  test("a saved view survives a reload and opens on its URL and rows", async ({ page, request }) => {
    const view = "range=7d&action_type=delete&columns=time,actionType,actorEmail,resourceType";
    await page.goto(`/?${view}`);
    await waitForRows(page);
    await saveCurrent(page, "Recent deletes");
    await page.keyboard.press("Escape");

    await page.goto("/?range=1h");
    await waitForRows(page);
    await page.reload();
    await waitForRows(page);
    const dialog = await openManager(page);
    await dialog.getByRole("link", { name: "Recent deletes" }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(() => param(page, "action_type")).toBe("delete");
    expect(param(page, "range")).toBe("7d");
    expect(param(page, "columns")).toBe("time,actionType,actorEmail,resourceType");
    expect(param(page, "log")).toBeNull();
    await expect(page.getByRole("columnheader")).toHaveText([
      "Action timestamp",
      "Action type",
      "Actor email",
      "Resource type",
    ]);
    const expected = await apiEntries(request, "range=7d&action_type=delete&limit=5");
    await expect.poll(() => firstRowIds(page, 5)).toEqual(expected.map((e) => e.id));
  });

  test("rename and delete work from the keyboard", async ({ page }) => {
    await page.goto("/?range=24h&action_type=update");
    await waitForRows(page);
    const dialog = await saveCurrent(page, "Updates");
    await dialog.getByRole("button", { name: "Rename Updates" }).focus();
    await page.keyboard.press("Enter");
    const input = dialog.getByRole("textbox", { name: "New name for Updates" });
    await expect(input).toBeFocused();
    await input.fill("All updates");
    await page.keyboard.press("Enter");
    await expect(dialog.getByRole("link", { name: "All updates" })).toBeVisible();
    await dialog.getByRole("button", { name: "Delete All updates" }).focus();
    await page.keyboard.press("Enter");
    await expect(dialog.getByRole("link", { name: "All updates" })).toHaveCount(0);
  });

  test("a set exported to a file imports into a fresh browser; a bad file is refused", async ({
    page,
    browser,
  }, testInfo) => {
    await page.goto("/?range=30d&actor_type=system");
    await waitForRows(page);
    const dialog = await saveCurrent(page, "System actors");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      dialog.getByRole("button", { name: "Export to file" }).click(),
    ]);
    const file = testInfo.outputPath("views.json");
    await download.saveAs(file);

    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto("/");
    await waitForRows(other);
    const otherDialog = await openManager(other);
    await expect(otherDialog.getByRole("link", { name: "System actors" })).toHaveCount(0);
    await otherDialog.getByLabel("Saved views file to import").setInputFiles(file);
    await expect(otherDialog.getByRole("status")).toContainText(/Imported \d+ views from views\.json/);
    await otherDialog.getByRole("link", { name: "System actors" }).click();
    await expect.poll(() => param(other, "actor_type")).toBe("system");
    expect(param(other, "range")).toBe("30d");

    const again = await openManager(other);
    await again.getByLabel("Saved views file to import").setInputFiles({
      name: "broken.json",
      mimeType: "application/json",
      buffer: Buffer.from('{"kind":"something else","version":1,"views":[]}'),
    });
    await expect(again.getByRole("alert")).toContainText(
      "broken.json was not imported: Not a saved-views file",
    );
    await fresh.close();
  });

  test("a first visit offers the starting set, and a starting view lands on its URL and rows", async ({
    page,
    request,
  }) => {
    await page.goto("/");
    await waitForRows(page);
    const dialog = await openManager(page);
    for (const name of [
      "Failed actions, last 24 h",
      "Changes by API tokens",
      "Access policy changes",
      "Member and role changes",
      "Deletes in the last 7 days",
    ])
      await expect(dialog.getByRole("link", { name })).toBeVisible();
    await dialog.getByRole("link", { name: "Failed actions, last 24 h" }).click();
    await expect.poll(() => param(page, "action_result")).toBe("failure");
    expect(param(page, "range")).toBe("24h");
    const expected = await apiEntries(request, "range=24h&action_result=failure&limit=5");
    expect(expected.length).toBeGreaterThan(0);
    await expect.poll(() => firstRowIds(page, 5)).toEqual(expected.map((e) => e.id));

    await openManager(page);
    await page.getByRole("link", { name: "Access policy changes" }).click();
    await expect.poll(() => param(page, "resource_type")).toBe("Access policy");
    const policies = await apiEntries(
      request,
      "range=30d&resource_type=Access+policy&action_type.not=view&limit=5",
    );
    expect(policies.length).toBeGreaterThan(0);
    await expect.poll(() => firstRowIds(page, 5)).toEqual(policies.map((e) => e.id));
  });
});
