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

test.describe("resource and failure reason columns", () => {
  test("a Resource column is on by default, says where it comes from, and names the resource", async ({
    page,
    request,
  }) => {
    await page.goto("/?range=24h");
    await waitForRows(page);
    const header = page.getByRole("columnheader", { name: "Resource", exact: true });
    await expect(header).toBeVisible();
    await expect(header).toHaveAttribute("title", /Not a Cloudflare field/);
    const [first] = await apiEntries(request, "range=24h&limit=1");
    const name = (first as unknown as { resourceName: string }).resourceName;
    expect(name).toBeTruthy();
    await expect(bodyRows(page).first().getByRole("cell").last()).toHaveText(name);
  });

  test("a Failure reason column shows the status and message of sandbox failures", async ({ page }) => {
    await page.goto("/?range=7d&action_result=failure&columns=time,actionType,actionResult,failureReason");
    await waitForRows(page);
    await expect(page.getByRole("columnheader", { name: "Failure reason" })).toBeVisible();
    const reasons = await bodyRows(page).evaluateAll((rows) =>
      rows.map((r) => r.querySelectorAll("[role=cell]")[3]?.textContent ?? ""),
    );
    expect(reasons.length).toBeGreaterThan(5);
    for (const reason of reasons) expect(reason).toMatch(/^\d{3} \S/);
    await screenshot(page, "failure-reason-column");
  });

  test("sandbox failures are mostly refusals (403, 400, 409, 429) with Cloudflare error bodies", async ({
    request,
  }) => {
    const failures = (await apiEntries(request, "range=30d&action_result=failure&limit=1000")) as unknown as {
      statusCode: number;
      response: { success: boolean; errors: { code: number }[] };
    }[];
    expect(failures.length).toBeGreaterThan(50);
    const statuses = new Set(failures.map((f) => f.statusCode));
    for (const status of [400, 403, 409, 429]) expect(statuses).toContain(status);
    expect(failures.filter((f) => f.statusCode < 500).length / failures.length).toBeGreaterThan(0.6);
    for (const f of failures)
      expect(f.response).toMatchObject({ success: false, errors: [{ code: expect.any(Number) }] });
  });
});

test.describe("API tokens as actors", () => {
  test("Top actors names each API token, counted separately, never the bare account ID", async ({
    request,
  }) => {
    const stats = await (
      await request.get("/api/logs/stats?range=30d&actor_context=api_token&buckets=10")
    ).json();
    const actors = stats.top.actors as { param: string; value: string; count: number }[];
    const tokens = actors.filter((a) => a.param === "actor_token_name");
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(actors.filter((a) => a.param === "actor_id")).toEqual([]);
    const [first] = await apiEntries(
      request,
      `range=30d&actor_token_name=${encodeURIComponent(tokens[0].value)}&limit=1`,
    );
    expect(first).toBeDefined();
  });
});
