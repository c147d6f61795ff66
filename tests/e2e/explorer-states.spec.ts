import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import {
  DEFAULT_HEADERS,
  bodyRows,
  expect,
  firstRowIds,
  loadedCount,
  param,
  test,
  waitForRows,
} from "./explorer-helpers";

test.describe("errors and empty results", () => {
  // The browser reports the failed request itself; that is the point of these tests.
  test.use({ allowConsole: [/status of 50[234]/] });

  test("a rate-limited upstream shows the problem, the wait and a working retry", async ({ page }) => {
    await page.goto("/");
    await waitForRows(page);
    await page.route("**/api/logs?*", (route) =>
      route.fulfill({
        status: 503,
        headers: { "content-type": "application/problem+json", "retry-after": "2" },
        body: JSON.stringify({
          type: "/problems/upstream-rate-limited",
          title: "Cloudflare rate limit reached",
          status: 503,
          detail: "Cloudflare answered 429: too many requests for this token.",
          retryAfter: 2,
        }),
      }),
    );
    await page.getByRole("button", { name: /Time range/ }).click();
    await page.getByRole("button", { name: "Last hour" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Cloudflare rate limit reached" });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText("too many requests");
    await expect(alert).toContainText(/retry in \d s/);
    await expect(alert.getByRole("button", { name: "Retry" })).toBeDisabled();

    await page.unroute("**/api/logs?*");
    await expect(alert.getByRole("button", { name: "Retry" })).toBeEnabled({ timeout: 5_000 });
    await alert.getByRole("button", { name: "Retry" }).click();
    await expect(alert).toBeHidden();
    await expect(page.getByRole("columnheader")).toHaveText(DEFAULT_HEADERS);
  });

  test("an upstream fault shows its title and detail", async ({ page }) => {
    await page.goto("/");
    await waitForRows(page);
    await page.route("**/api/logs?*", (route) =>
      route.fulfill({
        status: 502,
        headers: { "content-type": "application/problem+json" },
        body: JSON.stringify({
          type: "/problems/upstream-invalid-response",
          title: "Cloudflare sent an invalid response",
          status: 502,
          detail: "The audit log API answered with HTML instead of JSON.",
        }),
      }),
    );
    await page.getByRole("button", { name: "Action timestamp" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Cloudflare sent an invalid response" });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText("HTML instead of JSON");
    await expect(alert.getByRole("button", { name: "Retry" })).toBeEnabled();
  });

  test("no matching entries shows a hint", async ({ page }) => {
    await page.goto("/?range=15m&actor_email=nobody@example.invalid");
    // In the table's place. (The server streams this message as a part of the page that a script moves
    // into place; when the browser has rendered it itself first, that hidden part can stay behind.)
    await expect(
      page
        .getByRole("region", { name: "Audit log entries" })
        .getByText("No entries match. Widen the time range or remove a filter."),
    ).toBeVisible();
    await expect(page.getByTestId("row-count")).toHaveText("0 rows loaded");
  });
});

test.describe("view controls", () => {
  test("columns can be shown, hidden and reordered, and live in the URL", async ({ page }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("checkbox", { name: "Ray ID" }).check();
    await expect.poll(() => param(page, "columns")).toContain("rayId");
    await page.getByRole("checkbox", { name: "Actor type" }).uncheck();
    await page.getByRole("button", { name: "Move Resource product left" }).click();
    await page.keyboard.press("Escape");
    const expected = [
      "Action timestamp",
      "Action type",
      "Action result",
      "Actor email",
      "Actor IP address",
      "Resource product",
      "Resource type",
      "Resource",
      "Ray ID",
    ];
    await expect(page.getByRole("columnheader")).toHaveText(expected);
    await page.reload();
    await expect(page.getByRole("columnheader")).toHaveText(expected);
  });

  test("export describes and links the same query, pinned to the window on screen", async ({
    page,
    request,
  }) => {
    await page.goto("/?range=24h&action_type=update");
    await waitForRows(page);
    await page.getByRole("button", { name: "Export" }).click();
    await expect(page.getByTestId("export-summary")).toContainText("Action type is update");
    const link = page.getByRole("link", { name: /Download CSV/ });
    const href = new URL((await link.getAttribute("href"))!, page.url());
    expect(href.pathname).toBe("/api/logs/export");
    expect(href.searchParams.get("action_type")).toBe("update");
    expect(href.searchParams.get("since")).toBeTruthy();
    expect(href.searchParams.get("before")).toBeTruthy();
    expect(href.searchParams.get("range")).toBeNull();
    expect(await link.getAttribute("download")).not.toBeNull();

    await page.getByRole("radio", { name: "NDJSON" }).check();
    await page.getByRole("radio", { name: /All fields/ }).check();
    const ndjson = new URL(
      (await page.getByRole("link", { name: /Download NDJSON/ }).getAttribute("href"))!,
      page.url(),
    );
    expect(ndjson.searchParams.get("format")).toBe("ndjson");
    expect(ndjson.searchParams.get("columns")?.split(",")).toContain("rayId");

    const res = await request.get(href.pathname + href.search);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toContain("attachment");
  });

  test.describe("a refused export", () => {
    // The check's 429 is logged by the browser as a failed resource load.
    test.use({ allowConsole: [/status of 429/] });

    test("a refused export says why in the menu instead of a failed download, then downloads", async ({
      page,
      request,
    }) => {
      // Under 100 rows at any hour of the pinned sandbox day, so the table holds them all.
      await page.goto("/?range=1h&action_type=update");
      await waitForRows(page);
      const downloads: string[] = [];
      page.on("download", (d) => downloads.push(d.suggestedFilename()));
      // Two long exports the test does not read: they hold both of the server's export slots.
      const origin = new URL(page.url()).origin;
      const held = await Promise.all(
        ["csv", "ndjson"].map((format) => fetch(`${origin}/api/logs/export?range=90d&format=${format}`)),
      );
      expect(held.map((r) => r.status)).toEqual([200, 200]);
      try {
        await page.getByRole("button", { name: "Export" }).click();
        await page.getByRole("link", { name: /Download CSV/ }).click();
        const alert = page.getByRole("alert").filter({ hasText: "Too many exports" });
        await expect(alert).toContainText("at most 2 exports at a time");
        await expect(alert).toContainText("Try again in 30 s.");
        expect(downloads).toEqual([]);
      } finally {
        await Promise.all(held.map((r) => r.body?.cancel()));
      }
      await expect
        .poll(async () => (await request.get("/api/logs/export/check?range=6h&format=csv")).status())
        .toBe(200);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: /Download CSV/ }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^cf-audit-sandbox-.+\.csv$/);
      await expect(page.getByRole("alert").filter({ hasText: "Too many exports" })).toHaveCount(0);
    });
  });

  test("the Export button downloads files whose rows are the table's rows", async ({ page }) => {
    // Under 100 rows at any hour of the pinned sandbox day, so the table holds them all.
    await page.goto("/?range=1h&action_type=update");
    await waitForRows(page);
    await expect(page.getByTestId("row-count")).toContainText("all loaded");
    const loaded = await loadedCount(page);
    const shown = await firstRowIds(page, Math.min(loaded, 25));
    expect(loaded).toBeGreaterThan(0);

    await page.getByRole("button", { name: "Export" }).click();
    const [csvDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Download CSV/ }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(/^cf-audit-sandbox-.+\.csv$/);
    const csv = await readFile((await csvDownload.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(csv, { bom: true });
    expect(records[0]).toEqual(DEFAULT_HEADERS);
    expect(records.length - 1).toBe(loaded);
    expect(records.slice(1).every((r) => r[1] === "update")).toBe(true);

    await page.getByRole("radio", { name: "NDJSON" }).check();
    const [ndjsonDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Download NDJSON/ }).click(),
    ]);
    const lines = (await readFile((await ndjsonDownload.path())!, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(loaded);
    expect(lines.slice(0, shown.length).map((l) => JSON.parse(l).id)).toEqual(shown);
  });

  test("keyboard: / focuses the filter box, j/k move, Enter opens, Esc closes, ? lists shortcuts", async ({
    page,
  }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const ids = await firstRowIds(page, 2);
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("/");
    await expect(page.getByRole("combobox", { name: "Add a filter" })).toBeFocused();
    await page.keyboard.press("Escape");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect(bodyRows(page).nth(1)).toHaveAttribute("aria-current", "true");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("dialog")).toBeVisible();
    await expect.poll(() => param(page, "log")).toBe(ids[1]);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toBeHidden();
    // The close has settled once the entry has left the URL; until then the view is still switching back.
    await expect.poll(() => param(page, "log")).toBeNull();
    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  });

  test("the theme toggle is remembered and applied before paint", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/");
    await waitForRows(page);
    const html = page.locator("html");
    await expect(html).not.toHaveClass(/dark/);
    await page.getByRole("button", { name: /Theme: system/ }).click();
    await page.getByRole("button", { name: /Theme: light/ }).click();
    await expect(html).toHaveClass(/dark/);
    await page.reload();
    await expect(html).toHaveClass(/dark/);
    await expect(page.getByRole("button", { name: /Theme: dark/ })).toBeVisible();
  });
});
