import { bodyRows, expect, test, waitForRows } from "./explorer-helpers";

/** v2 filters that come from Cloudflare rather than from a fixed list, on the embedded sandbox. */
test("the product category picker lists Cloudflare's categories and filters by one", async ({ page }) => {
  await page.goto("/?range=7d");
  await waitForRows(page);
  await page.getByRole("button", { name: "More filters" }).click();
  await page.getByRole("button", { name: /^Product category/ }).click();
  const list = page.getByRole("list", { name: "Product categories" });
  await expect(list.getByText("Zero Trust", { exact: true })).toBeVisible();
  await list.getByRole("checkbox").first().check();
  await expect(page).toHaveURL(/product_category=zerotrust/);
  await waitForRows(page);
  // The previous rows stay (dimmed, the table busy) until the filtered ones arrive.
  await expect(page.getByRole("table")).not.toHaveAttribute("aria-busy", "true");
  const rows = await bodyRows(page).allInnerTexts();
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row).toMatch(/\b(Access|Gateway|Tunnels|Devices)\b/);
});

test("an enum filter takes a value newer than its list (raw_method HEAD)", async ({ page }) => {
  await page.goto("/?range=7d");
  await waitForRows(page);
  await page.getByRole("button", { name: "More filters" }).click();
  await page.getByRole("button", { name: /^HTTP method/ }).click();
  await page.getByLabel("Add http method").fill("HEAD");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page).toHaveURL(/raw_method=HEAD/);
  // The sandbox never logs HEAD (Cloudflare logs no reads): an empty, not a failed, answer.
  await expect(page.getByTestId("row-count")).toContainText("0 rows loaded");
});
