import { apiEntries, bodyRows, expect, param, screenshot, test, waitForRows } from "./explorer-helpers";

test.describe("recovering from a bad link", () => {
  test("removing the invalid parameters keeps the valid filters, also after a reload", async ({ page }) => {
    await page.goto("/?range=7d&action_type=delete&actor_emial=alice.moreau@acme.com");
    const alert = page.getByRole("alert").filter({ hasText: "This link has invalid parameters" });
    await expect(alert).toContainText("actor_emial");
    await screenshot(page, "bad-link");
    await alert.getByRole("button", { name: "Remove the invalid parameters" }).click();
    await waitForRows(page);
    await expect.poll(() => param(page, "actor_emial")).toBeNull();
    expect(param(page, "range")).toBe("7d");
    expect(param(page, "action_type")).toBe("delete");
    await page.reload();
    await waitForRows(page);
    await expect(page.getByRole("alert").filter({ hasText: "invalid parameters" })).toHaveCount(0);
    expect(param(page, "action_type")).toBe("delete");
  });

  test("a near miss offers the parameter it was meant to be", async ({ page, request }) => {
    await page.goto("/?range=7d&actor_emial=alice.moreau@acme.com");
    const alert = page.getByRole("alert").filter({ hasText: "This link has invalid parameters" });
    await expect(alert).toContainText("Did you mean actor_email?");
    await alert.getByRole("button", { name: "Use actor_email" }).click();
    await waitForRows(page);
    await expect.poll(() => param(page, "actor_email")).toBe("alice.moreau@acme.com");
    expect(param(page, "actor_emial")).toBeNull();
    const expected = await apiEntries(request, "range=7d&actor_email=alice.moreau%40acme.com&limit=5");
    expect(expected.length).toBeGreaterThan(0);
    await expect(bodyRows(page).first()).toContainText("alice.moreau@acme.com");
  });

  test("the HTTP API names the near miss too", async ({ request }) => {
    const res = await request.get("/api/logs?actor_emial=a@b.co");
    expect(res.status()).toBe(400);
    expect((await res.json()).errors).toContainEqual(
      expect.objectContaining({ parameter: "actor_emial", suggestion: "actor_email" }),
    );
  });
});
