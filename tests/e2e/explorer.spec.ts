import {
  DEFAULT_HEADERS,
  apiEntries,
  bodyRows,
  expect,
  expectAccessible,
  firstRowIds,
  loadedCount,
  param,
  screenshot,
  test,
  waitForRows,
} from "./explorer-helpers";
import { E2E_SANDBOX_NOW } from "../../playwright.config";

const pad = (n: number) => String(n).padStart(2, "0");
const utcDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

test.describe("the table", () => {
  test("shows the product's eight columns in order, with entries", async ({ page }) => {
    await page.goto("/");
    await waitForRows(page);
    await expect(page.getByRole("columnheader")).toHaveText(DEFAULT_HEADERS);
    await expect(page.getByText("Sandbox data")).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Action timestamp" })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
  });

  test("the timestamp header toggles the sort direction in the URL", async ({ page, request }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    await page.getByRole("button", { name: "Action timestamp" }).click();
    await expect(page).toHaveURL(/direction=asc/);
    await expect(page.getByRole("columnheader", { name: "Action timestamp" })).toHaveAttribute(
      "aria-sort",
      "ascending",
    );
    const expected = await apiEntries(request, "range=7d&direction=asc&limit=5");
    await expect.poll(() => firstRowIds(page, 5)).toEqual(expected.map((e) => e.id));
  });

  test("scrolling loads further pages while the DOM stays bounded", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto("/?range=30d");
    await waitForRows(page);
    const region = page.getByRole("region", { name: "Audit log entries" });
    let loaded = await loadedCount(page);
    while (loaded < 5000) {
      await region.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      const before = loaded;
      await expect.poll(() => loadedCount(page), { timeout: 15_000 }).toBeGreaterThan(before);
      loaded = await loadedCount(page);
    }
    expect(await bodyRows(page).count()).toBeLessThan(150);
    await expect(page.getByTestId("row-count")).toContainText("more available");
    const lastIndex = await bodyRows(page).last().getAttribute("aria-rowindex");
    expect(Number(lastIndex)).toBeGreaterThan(4000);
  });
});

test.describe("filters and the shareable URL", () => {
  test("filters applied in the UI are in the URL; a fresh page shows the same filters and rows", async ({
    page,
    context,
  }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);

    await page.getByRole("button", { name: "Action type", exact: true }).click();
    await page.getByRole("checkbox", { name: "update" }).check();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/action_type=update/);

    await page.getByRole("button", { name: "Action result", exact: true }).click();
    await page.getByRole("checkbox", { name: "success" }).check();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/action_result=success/);
    await expect(page.getByRole("list", { name: "Active filters" }).getByText("update")).toBeVisible();

    await expect
      .poll(() => page.locator("[role=row][data-row-id]").first().textContent())
      .toContain("update");
    // The previous filter's rows stay (dimmed, the table busy) until the new ones arrive.
    await expect(page.getByRole("table")).not.toHaveAttribute("aria-busy", "true");
    const ids = await firstRowIds(page, 10);
    const url = page.url();

    const fresh = await context.newPage();
    await fresh.goto(url);
    await waitForRows(fresh);
    const chips = fresh.getByRole("list", { name: "Active filters" });
    await expect(chips.locator("[data-filter-chip=action_type]")).toContainText("update");
    await expect(chips.locator("[data-filter-chip=action_result]")).toContainText("success");
    expect(await firstRowIds(fresh, 10)).toEqual(ids);

    // Back steps through filter changes.
    await page.goBack();
    await expect(page).not.toHaveURL(/action_result=/);
    await expect(page).toHaveURL(/action_type=update/);
  });

  test("include and exclude change the rows as the API says", async ({ page, request }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);

    const input = page.getByRole("combobox", { name: "Add a filter" });
    await input.fill("delete");
    await expect(page.getByRole("option").first()).toContainText("Action type");
    await input.press("Enter");
    await expect(page).toHaveURL(/action_type=delete/);
    const included = await apiEntries(request, "range=7d&action_type=delete&limit=20");
    expect(included.every((e) => e.actionType === "delete")).toBe(true);
    await expect.poll(() => firstRowIds(page, 20)).toEqual(included.map((e) => e.id));

    await page.getByRole("button", { name: /Action type is delete: switch to exclude/ }).click();
    await expect(page).toHaveURL(/action_type\.not=delete/);
    await expect(page).not.toHaveURL(/action_type=delete/);
    const excluded = await apiEntries(request, "range=7d&action_type.not=delete&limit=20");
    expect(excluded.some((e) => e.actionType === "delete")).toBe(false);
    await expect.poll(() => firstRowIds(page, 20)).toEqual(excluded.map((e) => e.id));

    await page.getByRole("button", { name: /Remove filter Action type is not delete/ }).click();
    await expect(page).not.toHaveURL(/action_type/);
  });

  test("a filter or range change asks for its rows once, with the new filters, and a view change not at all", async ({
    page,
  }) => {
    await page.goto("/?range=7d&action_type=update");
    await waitForRows(page);
    await page.waitForLoadState("networkidle");
    const asked: string[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.pathname === "/api/logs") asked.push(url.search);
    });
    const settled = async (count: number) => {
      await expect.poll(() => asked.length).toBe(count);
      await page.waitForLoadState("networkidle");
      expect(asked).toHaveLength(count);
    };

    // Notes, as each request for rows starts, whether the page already shows the change.
    await page.evaluate(() => {
      const marks = window as typeof window & { shownAtStart?: boolean[] };
      marks.shownAtStart = [];
      const fetchRows = window.fetch;
      window.fetch = (input, init) => {
        if (String(input).startsWith("/api/logs?"))
          marks.shownAtStart!.push(!!document.querySelector('[aria-label^="Action type is not update"]'));
        return fetchRows(input, init);
      };
    });
    // The request starts as the click happens, before the page renders the change (not once that render
    // is done), under the key the table then reads: not a second time.
    await page.getByRole("button", { name: "Action type is update: switch to exclude" }).click();
    await expect
      .poll(() => page.evaluate(() => (window as typeof window & { shownAtStart?: boolean[] }).shownAtStart))
      .toEqual([false]);
    await expect(page).toHaveURL(/action_type\.not=update/);
    await settled(1);
    expect(new URLSearchParams(asked[0]).getAll("action_type.not")).toEqual(["update"]);
    expect(new URLSearchParams(asked[0]).get("action_type")).toBeNull();
    await expect.poll(() => firstRowIds(page, 1)).not.toEqual([]);

    await page.getByRole("button", { name: /Time range/ }).click();
    await page.getByRole("button", { name: "Last hour" }).click();
    await expect(page).toHaveURL(/range=1h/);
    await settled(2);
    expect(new URLSearchParams(asked[1]).get("range")).toBe("1h");

    // Back to a view already loaded: from the cache, no request.
    await page.goBack();
    await expect(page).toHaveURL(/range=7d/);
    await settled(2);

    // The display zone is a view setting, not part of the query: nothing to fetch.
    await page
      .getByRole("group", { name: "Display time zone" })
      .getByRole("button", { name: "Local" })
      .click();
    await expect(page).toHaveURL(/tz=local/);
    await settled(2);
  });

  test("an invalid value is refused inline before it becomes a filter", async ({ page }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    await page.getByRole("button", { name: "Actor IP address", exact: true }).click();
    const field = page.getByRole("textbox", { name: "Add actor ip address" });
    await field.fill("999.1.1.1");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "IPv4 or IPv6" })).toBeVisible();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    expect(param(page, "actor_ip_address")).toBeNull();
    await field.fill("10.0.0.0/8");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => param(page, "actor_ip_address")).toBe("10.0.0.0/8");
  });

  test("a hand-edited link with invalid values lists the errors and offers a reset", async ({ page }) => {
    await page.goto("/?action_result=may%20be&range=5x&actor_email=not-an-email");
    const alert = page.getByRole("alert").filter({ hasText: "This link has invalid parameters" });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText("action_result");
    await expect(alert).toContainText("range");
    await expect(alert).toContainText("actor_email");
    await alert.getByRole("button", { name: "Remove the invalid parameters" }).click();
    await expect(page).not.toHaveURL(/action_result|range=5x|actor_email/);
    await waitForRows(page);
  });
});

test.describe("time range in UTC", () => {
  test("presets and a custom absolute range", async ({ page, request }) => {
    await page.goto("/");
    await waitForRows(page);
    await page.getByRole("button", { name: /Time range/ }).click();
    await page.getByRole("button", { name: "Last 7 days" }).click();
    await expect.poll(() => param(page, "range")).toBe("7d");
    await expect(page.getByRole("button", { name: /Time range: Last 7 days/ })).toBeVisible();

    // Days before the sandbox's pinned clock: a window never ends after the data's "now".
    const day = new Date(Date.parse(E2E_SANDBOX_NOW) - 3 * 86_400_000);
    const next = new Date(day.getTime() + 86_400_000);
    await page.getByRole("button", { name: /Time range/ }).click();
    await page.getByLabel("From date").fill(utcDate(day));
    await page.getByLabel("From time").fill("06:00");
    await page.getByLabel("To date").fill(utcDate(next));
    await page.getByLabel("To time").fill("18:30");
    await page.getByRole("button", { name: "Apply range" }).click();
    const since = `${utcDate(day)}T06:00:00Z`;
    const before = `${utcDate(next)}T18:30:00Z`;
    await expect.poll(() => param(page, "since")).toBe(since);
    expect(param(page, "before")).toBe(before);
    expect(param(page, "range")).toBeNull();

    await waitForRows(page);
    await expect(page.getByRole("contentinfo")).toContainText(
      `${utcDate(day)} 06:00 – ${utcDate(next)} 18:30 UTC`,
    );
    const expected = await apiEntries(request, `since=${since}&before=${before}&limit=5`);
    await expect.poll(() => firstRowIds(page, 5)).toEqual(expected.map((e) => e.id));
    const first = bodyRows(page).first().getByRole("cell").first();
    await expect(first).toHaveText(expected[0].time.replace("T", " ").slice(0, 19));

    await page.getByRole("button", { name: /Time range/ }).click();
    await page.getByRole("button", { name: "Last 24 hours" }).click();
    await expect(page).not.toHaveURL(/since=/);
  });

  test("the share link stays relative, or pins the window on request", async ({ page }) => {
    await page.goto("/?range=24h&action_type=delete");
    await waitForRows(page);
    await page.getByRole("button", { name: "Share" }).click();
    const link = page.getByRole("textbox", { name: "Link" });
    await expect(link).toHaveValue(/action_type=delete/);
    await expect(link).not.toHaveValue(/since=/);
    await page.getByRole("checkbox", { name: /Pin the time range/ }).check();
    await expect(link).toHaveValue(/since=.*before=|before=.*since=/);
    await expect(link).not.toHaveValue(/range=/);
  });
});

test.describe("time range in local time", () => {
  test.use({ timezoneId: "America/New_York" });

  test("the zone switch applies to the table and the picker", async ({ page, request }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const [newest] = await apiEntries(request, "range=7d&limit=1");
    const cell = bodyRows(page).first().getByRole("cell").first();
    await expect(cell).toHaveText(newest.time.replace("T", " ").slice(0, 19));

    await page.getByRole("button", { name: "Local", exact: true }).click();
    await expect.poll(() => param(page, "tz")).toBe("local");
    const local = await page.evaluate((iso) => {
      const d = new Date(iso);
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, newest.time);
    await expect(cell).toHaveText(local);
    expect(local).not.toBe(newest.time.replace("T", " ").slice(0, 19));

    // A custom range typed in local time becomes the matching UTC instants in the URL.
    // Four days before the sandbox's pinned clock, not this machine's: the data ends at the sandbox's now.
    const { date, nextDate, since, before } = await page.evaluate((now) => {
      const p = (n: number) => String(n).padStart(2, "0");
      const d = new Date(Date.parse(now) - 4 * 86_400_000);
      const s = new Date(d.getFullYear(), d.getMonth(), d.getDate(), 9, 15);
      const b = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 9, 15);
      const ymd = (x: Date) => `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())}`;
      const iso = (x: Date) => x.toISOString().replace(/\.\d{3}Z$/, "Z");
      return { date: ymd(s), nextDate: ymd(b), since: iso(s), before: iso(b) };
    }, E2E_SANDBOX_NOW);
    await page.getByRole("button", { name: /Time range/ }).click();
    await expect(page.getByRole("heading", { name: /Custom range/ })).toContainText("UTC−0");
    await page.getByLabel("From date").fill(date);
    await page.getByLabel("From time").fill("09:15");
    await page.getByLabel("To date").fill(nextDate);
    await page.getByLabel("To time").fill("09:15");
    await page.getByRole("button", { name: "Apply range" }).click();
    await expect.poll(() => param(page, "since")).toBe(since);
    expect(param(page, "before")).toBe(before);
    await waitForRows(page);
    await expect(page.getByRole("contentinfo")).toContainText(`${date} 09:15 – ${nextDate} 09:15 UTC−0`);
  });
});

test.describe("the detail view", () => {
  test("opens from a row, survives a reload, shows raw JSON and filters by a value", async ({ page }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const [id] = await firstRowIds(page, 1);
    await bodyRows(page).first().click();
    const sheet = page.getByRole("dialog");
    await expect(sheet).toBeVisible();
    await expect.poll(() => param(page, "log")).toBe(id);

    await page.reload();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.getByRole("tab", { name: "JSON" }).click();
    const json = page.getByRole("region", { name: "Raw entry JSON" });
    await expect(json).toContainText(`"${id}"`);

    await page.getByRole("tab", { name: "Details" }).click();
    const product = page.getByRole("button", { name: /^Filter by Resource product: / });
    const label = (await product.getAttribute("aria-label"))!;
    const value = label.replace("Filter by Resource product: ", "");
    await product.click();
    await expect.poll(() => param(page, "resource_product")).toBe(value);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect.poll(() => param(page, "log")).toBeNull();
    await waitForRows(page);
    const products = await page.locator("[role=row][data-row-id] [role=cell]:nth-child(8)").allTextContents();
    expect(products.length).toBeGreaterThan(0);
    expect(new Set(products)).toEqual(new Set([value]));
  });

  test("an entry outside the loaded rows is fetched by id", async ({ page, request }) => {
    const [old] = await apiEntries(request, "range=30d&direction=asc&limit=1");
    await page.goto(`/?range=1h&log=${old.id}`);
    await page.getByRole("tab", { name: "JSON" }).click();
    await expect(page.getByRole("region", { name: "Raw entry JSON" })).toContainText(old.id);
  });

  test("j/k move between entries while the sheet is open", async ({ page }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const ids = await firstRowIds(page, 3);
    await bodyRows(page).first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.keyboard.press("j");
    await expect.poll(() => param(page, "log")).toBe(ids[1]);
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => param(page, "log")).toBe(ids[2]);
    await page.keyboard.press("k");
    await expect.poll(() => param(page, "log")).toBe(ids[1]);
  });

  test("the resource history renders as a timeline with a side-by-side diff", async ({ page, request }) => {
    const candidates = await apiEntries(request, "range=30d&action_type=update&limit=40");
    let chosen: (typeof candidates)[number] | undefined;
    for (const entry of candidates) {
      const res = await request.get(
        `/api/logs/${entry.id}/history?action_time=${encodeURIComponent(entry.time)}`,
      );
      const body = (await res.json()) as { data: unknown[]; historyStatus: string };
      if (res.ok() && body.historyStatus === "exact" && body.data.length >= 2) {
        chosen = entry;
        break;
      }
    }
    expect(chosen, "an entry with an exact history").toBeDefined();
    await page.goto(`/?range=30d&log=${chosen!.id}`);
    await page.getByRole("tab", { name: "History" }).click();
    const timeline = page.getByRole("list", { name: "Change history" });
    await expect(timeline.getByRole("listitem")).not.toHaveCount(0);
    expect(await timeline.getByRole("listitem").count()).toBeGreaterThanOrEqual(2);
    const diff = page.getByTestId("side-by-side-diff");
    await expect(diff).toBeVisible();
    await expect(diff.getByRole("region", { name: "Side-by-side changes" })).not.toBeEmpty();
    await page.getByRole("button", { name: "Raw entry" }).click();
    await expect(diff).toContainText('"id"');
    await page.getByRole("button", { name: "Response body" }).click();
    await expect(diff.getByRole("region", { name: "Side-by-side changes" })).not.toBeEmpty();
    // Another window around the entry: the open entry stays listed.
    await page.getByLabel("Look for changes within").selectOption("7");
    await expect(timeline.getByText("this entry")).toBeVisible();
  });
});

test.describe("look and accessibility", () => {
  for (const scheme of ["light", "dark"] as const) {
    test(`main, filtered and detail views in ${scheme} mode`, async ({ page }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/?range=7d");
      await waitForRows(page);
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
        scheme === "dark",
      );
      await screenshot(page, `main-${scheme}`);
      await expectAccessible(page);

      await page.goto("/?range=7d&action_type=delete&actor_type.not=system&resource_product=Access");
      await waitForRows(page);
      await screenshot(page, `filtered-${scheme}`);
      await expectAccessible(page);

      await bodyRows(page).first().click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await screenshot(page, `detail-${scheme}`);
      await expectAccessible(page);
    });
  }
});
