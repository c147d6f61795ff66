import type { APIRequestContext } from "@playwright/test";
import { expect, firstRowIds, param, screenshot, test, waitForRows } from "./explorer-helpers";

const AUTOMATED = ["api_token", "api_key", "oauth", "api"];

interface Entry {
  id: string;
  actorContext: string | null;
  actorTokenId: string | null;
}

async function entries(request: APIRequestContext, qs: string): Promise<Entry[]> {
  const res = await request.get(`/api/logs?${qs}&limit=1000`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { data: Entry[] }).data;
}

const automated = (e: Entry) => AUTOMATED.includes(e.actorContext ?? "") || !!e.actorTokenId;

test.describe("people or automation", () => {
  test("the toolbar's toggle changes the URL and the rows", async ({ page, request }) => {
    const all = await entries(request, "range=7d");
    expect(all.some(automated)).toBe(true);
    expect(all.some((e) => !automated(e))).toBe(true);

    await page.goto("/?range=7d");
    await waitForRows(page);
    const actors = page.getByRole("group", { name: "Actors" });
    await actors.getByRole("button", { name: "People" }).click();
    await expect.poll(() => param(page, "automation")).toBe("exclude");
    const people = await entries(request, "range=7d&automation=exclude");
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter(automated)).toEqual([]);
    await expect.poll(() => firstRowIds(page, 5)).toEqual(people.slice(0, 5).map((e) => e.id));
    await screenshot(page, "automation-people");

    await actors.getByRole("button", { name: "Automation" }).click();
    await expect.poll(() => param(page, "automation")).toBe("only");
    const bots = await entries(request, "range=7d&automation=only");
    expect(bots.length).toBeGreaterThan(0);
    expect(bots.every(automated)).toBe(true);
    await expect.poll(() => firstRowIds(page, 5)).toEqual(bots.slice(0, 5).map((e) => e.id));

    await actors.getByRole("button", { name: "Everyone" }).click();
    await expect.poll(() => param(page, "automation")).toBeNull();
  });

  test("the activity overview counts the same people-only entries", async ({ request }) => {
    const stats = await request.get("/api/logs/stats?range=24h&automation=exclude&buckets=10");
    expect(stats.status()).toBe(200);
    const body = await stats.json();
    const rows = await entries(request, "range=24h&automation=exclude");
    expect(body.coverage.complete).toBe(true);
    expect(body.totals.entries).toBe(rows.length);
    const everyone = await (await request.get("/api/logs/stats?range=24h&buckets=10")).json();
    expect(body.totals.entries).toBeLessThan(everyone.totals.entries);
  });

  test("a bad value is refused, naming the parameter", async ({ request }) => {
    const res = await request.get("/api/logs?automation=robots");
    expect(res.status()).toBe(400);
    expect((await res.json()).errors[0].parameter).toBe("automation");
  });
});
