import { apiEntries, bodyRows, DEFAULT_HEADERS, expect, test, waitForRows } from "./explorer-helpers";

test.describe("API tokens as actors", () => {
  test("the table's actor cell names the token, also for a token the account owns", async ({
    page,
    request,
  }) => {
    const query = "range=7d&actor_context=api_token";
    const entries = (await apiEntries(request, `${query}&limit=100`)) as unknown as {
      actorTokenName: string | null;
      actorEmail: string | null;
    }[];
    const owned = entries.find((e) => e.actorTokenName && !e.actorEmail)?.actorTokenName;
    expect(owned).toBeTruthy();
    const actorColumn = DEFAULT_HEADERS.indexOf("Actor email");
    const firstCell = () => bodyRows(page).first().getByRole("cell").nth(actorColumn);

    await page.goto(`/?${query}`);
    await waitForRows(page);
    await expect(firstCell()).toContainText(entries[0].actorTokenName!);

    // An account-owned token has no email: its name stands where a dash was.
    await page.goto(`/?range=7d&actor_token_name=${encodeURIComponent(owned!)}`);
    await waitForRows(page);
    await expect(firstCell()).toContainText(owned!);
    await expect(firstCell()).not.toContainText("—");
  });
});
