import { formatCount } from "@/lib/format";
import { relativeTime } from "@/lib/relative-time";
import {
  apiEntries,
  expect,
  expectAccessible,
  firstRowIds,
  param,
  test,
  waitForRows,
} from "./explorer-helpers";

const EXAMPLE =
  "actor_email:alice@acme.com -action_type:delete actor_ip_address:203.0.113.0/24 action_result:failure";

test.describe("filters as text", () => {
  test("the example applies four filters, chips and URL follow, and editing the text back removes them", async ({
    page,
  }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const box = page.getByRole("combobox", { name: "Filters as text" });
    await expect(box).toHaveValue("");
    await box.fill(EXAMPLE);
    await box.press("Enter");
    await expect(page.locator("[data-filter-chip]")).toHaveCount(4);
    expect(param(page, "actor_email")).toBe("alice@acme.com");
    expect(param(page, "action_type.not")).toBe("delete");
    expect(param(page, "actor_ip_address")).toBe("203.0.113.0/24");
    expect(param(page, "action_result")).toBe("failure");
    // Shown back as the same text (in field-list order).
    await expect(box).toHaveValue(
      "-action_type:delete action_result:failure actor_email:alice@acme.com actor_ip_address:203.0.113.0/24",
    );

    // A chip removed: the text follows.
    await page.getByRole("button", { name: "Remove filter Action result is failure" }).click();
    await expect(box).toHaveValue(
      "-action_type:delete actor_email:alice@acme.com actor_ip_address:203.0.113.0/24",
    );

    await box.fill("");
    await box.press("Enter");
    await expect(page.locator("[data-filter-chip]")).toHaveCount(0);
    await expect.poll(() => new URL(page.url()).searchParams.toString()).toBe("range=7d");
  });

  test("a wrong term is refused, named, and nothing changes", async ({ page }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const box = page.getByRole("combobox", { name: "Filters as text" });
    await box.fill("email:alice@acme.com colour:red");
    await box.press("Enter");
    await expect(page.getByRole("group", { name: "Filters" }).getByRole("alert")).toContainText("colour");
    await expect(box).toHaveAttribute("aria-invalid", "true");
    expect(param(page, "actor_email")).toBeNull();
  });

  test("completes field names, then values from the loaded rows", async ({ page, request }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    const [first] = await apiEntries(request, "range=24h&limit=1");
    const box = page.getByRole("combobox", { name: "Filters as text" });
    await box.click();
    await box.pressSequentially("-typ");
    await expect(page.getByRole("option", { name: "type:" })).toBeVisible();
    await box.press("Tab");
    await expect(box).toHaveValue("-type:");
    await box.pressSequentially("del");
    await expect(page.getByRole("option", { name: "delete" })).toBeVisible();
    await box.press("Tab");
    await box.press("Enter");
    await expect.poll(() => param(page, "action_type.not")).toBe("delete");

    const id = first.id;
    await box.fill("");
    await box.pressSequentially(`id:${id.slice(0, 6)}`);
    await expect(page.getByRole("option", { name: id })).toBeVisible();
  });
});

test.describe("around an entry", () => {
  test("each pivot lands on its URL, with the window pinned, the entry open and the matching rows", async ({
    page,
    request,
  }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    const [entry] = (await apiEntries(request, "range=24h&limit=1")) as unknown as {
      id: string;
      time: string;
      actorEmail: string | null;
      actorTokenId: string | null;
      actorIp: string | null;
      resourceId: string | null;
      rayId: string | null;
    }[];
    const at = Date.parse(entry.time);
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const pivots = [
      {
        name: "Same actor",
        span: "±5 min",
        ms: 300_000,
        filter: entry.actorEmail
          ? ["actor_email", entry.actorEmail]
          : ["actor_token_id", entry.actorTokenId!],
      },
      { name: "Same IP", span: "±1 h", ms: 3_600_000, filter: ["actor_ip_address", entry.actorIp!] },
      {
        name: "This resource's changes",
        span: "±24 h",
        ms: 86_400_000,
        filter: ["resource_id", entry.resourceId!],
      },
      { name: "This Ray ID", span: "±5 min", ms: 300_000, filter: ["raw_cf_ray_id", entry.rayId!] },
    ];
    for (const pivot of pivots) {
      await page.goto(`/?range=24h&log=${entry.id}`);
      const sheet = page.getByRole("dialog");
      await expect(sheet.getByRole("heading", { name: "Around this entry" })).toBeVisible();
      await sheet.getByRole("button", { name: pivot.span }).click();
      await sheet.getByRole("link", { name: pivot.name }).click();
      const since = iso(at - pivot.ms);
      const before = iso(at + pivot.ms + 1000);
      await expect.poll(() => param(page, "since")).toBe(since);
      expect(param(page, "before")).toBe(before);
      expect(param(page, pivot.filter[0])).toBe(pivot.filter[1]);
      expect(param(page, "log")).toBe(entry.id);
      await expect(page.getByRole("dialog")).toBeVisible();
      await waitForRows(page);
      const query = new URLSearchParams({ since, before, [pivot.filter[0]]: pivot.filter[1], limit: "20" });
      const expected = (await apiEntries(request, query.toString())).map((e) => e.id);
      expect(expected).toContain(entry.id);
      await expect.poll(() => firstRowIds(page, expected.length)).toEqual(expected);
    }
    await expectAccessible(page);
  });
});

test.describe("small things", () => {
  // A roomy screen, where the activity overview (the counts' source) starts open.
  test.use({ viewport: { width: 1440, height: 900 } });

  test("filter popovers show the overview's count beside each value", async ({ page, request }) => {
    await page.goto("/?range=7d");
    await waitForRows(page);
    const stats = await (await request.get("/api/logs/stats?range=7d&buckets=60")).json();
    await expect(page.getByRole("img", { name: /^Activity chart:/ })).toBeVisible();
    await page.getByRole("button", { name: "Action result", exact: true }).click();
    await expect(
      page.getByRole("checkbox", { name: `success ${formatCount(stats.totals.success)} entries` }),
    ).toBeVisible();
    await expect(
      page.getByRole("checkbox", { name: `failure ${formatCount(stats.totals.failure)} entries` }),
    ).toBeVisible();
    await expectAccessible(page);
  });

  test("a timestamp says how long ago on hover, and the detail view copies any value", async ({
    page,
    request,
    context,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const [entry] = await apiEntries(request, "range=24h&limit=1");
    await page.goto("/?range=24h");
    await waitForRows(page);
    const time = page.locator(`[role=row][data-row-id="${entry.id}"] time`);
    await time.hover();
    await expect(time).toHaveAttribute(
      "title",
      new RegExp(`\\(${relativeTime(entry.time).replace(/\d+/, "\\d+")}\\)$`),
    );

    await time.click();
    const sheet = page.getByRole("dialog");
    await sheet.getByRole("button", { name: "Copy Audit log ID" }).click();
    await expect(sheet.getByRole("button", { name: "Copied Audit log ID" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(entry.id);
  });
});
