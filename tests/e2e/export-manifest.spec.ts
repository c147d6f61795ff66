import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, waitForRows } from "./explorer-helpers";

test("after a download, the Export menu links the manifest of that very file", async ({ page }) => {
  await page.goto("/?range=1h&action_type=update");
  await waitForRows(page);
  await page.getByRole("button", { name: "Export" }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /Download CSV/ }).click(),
  ]);
  const file = await readFile((await download.path())!);
  const link = page.getByRole("link", { name: "Manifest" });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(/^\/api\/logs\/export\/[0-9a-f-]{36}\/manifest$/);
  expect(new URL(download.url()).searchParams.get("export_id")).toBe(href.split("/")[4]);

  const response = await page.request.get(href);
  expect(response.status()).toBe(200);
  const manifest = (await response.json()) as Record<string, unknown>;
  expect(manifest).toMatchObject({
    complete: true,
    format: "csv",
    bytes: file.byteLength,
    sha256: createHash("sha256").update(file).digest("hex"),
    viewer: "anonymous",
  });
});
