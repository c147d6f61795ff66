import type { Page } from "@playwright/test";
import { bodyRows, expect, expectAccessible, param, test, waitForRows } from "./explorer-helpers";

const DESKTOP = { width: 1440, height: 900 };

const headerWidth = async (page: Page, name: string) =>
  (await page.getByRole("columnheader", { name, exact: true }).boundingBox())!.width;

const rowHeight = async (page: Page) => (await bodyRows(page).first().boundingBox())!.height;

test.describe("column widths and row density", () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize(DESKTOP);
  });

  test("widths set from the column menu and by dragging, and the density, survive a reload via the URL", async ({
    page,
  }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    const emailBefore = await headerWidth(page, "Actor email");
    const ipBefore = await headerWidth(page, "Actor IP address");
    expect(await rowHeight(page)).toBe(32);

    await page.getByRole("button", { name: "Columns" }).click();
    const menu = page.getByRole("dialog", { name: "Columns" });
    for (let i = 0; i < 3; i++) await menu.getByRole("button", { name: "Make Actor email wider" }).click();
    await expect.poll(() => param(page, "widths")).toBe("actorEmail:292");
    await menu.getByRole("group", { name: "Row density" }).getByRole("button", { name: "Compact" }).click();
    await expect.poll(() => param(page, "density")).toBe("compact");
    await expectAccessible(page);
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();

    // The pointer drags the edge of a header: the URL changes once, when the drag ends.
    const handle = page
      .getByRole("columnheader", { name: "Actor IP address", exact: true })
      .locator("[data-column-resizer]");
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 60, box.y + box.height / 2, { steps: 5 });
    expect(param(page, "widths")).toBe("actorEmail:292");
    await page.mouse.move(box.x + 100, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => param(page, "widths")).toMatch(/^actorEmail:292,actorIp:2\d\d$/);
    const widths = param(page, "widths");

    const check = async () => {
      expect(await headerWidth(page, "Actor email")).toBeGreaterThan(emailBefore + 50);
      expect(await headerWidth(page, "Actor IP address")).toBeGreaterThan(ipBefore + 50);
      expect(await rowHeight(page)).toBe(24);
    };
    await check();
    await page.reload();
    await waitForRows(page);
    expect(param(page, "widths")).toBe(widths);
    expect(param(page, "density")).toBe("compact");
    await check();

    // Reset in the column menu gives the default columns and widths back; density stays.
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("dialog", { name: "Columns" }).getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => param(page, "widths")).toBeNull();
    expect(param(page, "density")).toBe("compact");
  });

  test("a link with bad widths shows which parameter is wrong, and the API refuses it naming widths", async ({
    page,
    request,
  }) => {
    await page.goto("/?range=24h&widths=actorEmail:99999&density=compact");
    const notice = page.getByRole("alert").filter({ hasText: "This link has invalid parameters" });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText("widths");
    await expect(notice).toContainText("from 64 to 1200 pixels");
    await notice.getByRole("button", { name: "Remove the invalid parameters" }).click();
    await waitForRows(page);
    expect(param(page, "widths")).toBeNull();
    expect(param(page, "density")).toBe("compact");

    const res = await request.get("/api/logs?range=24h&widths=nosuch:200");
    expect(res.status()).toBe(400);
    expect(res.headers()["content-type"]).toBe("application/problem+json");
    const body = (await res.json()) as { errors: { parameter: string }[] };
    expect(body.errors.map((e) => e.parameter)).toEqual(["widths"]);
  });
});
