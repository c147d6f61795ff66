import { expect, test, waitForRows } from "./explorer-helpers";

test.describe("not for search engines", () => {
  test("robots.txt disallows everything", async ({ request }) => {
    const res = await request.get("/robots.txt");
    expect(res.status()).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/^User-agent: \*$/m);
    expect(body).toMatch(/^Disallow: \/$/m);
  });

  test("every kind of response says noindex, nofollow", async ({ page, request }) => {
    await page.goto("/");
    await waitForRows(page);
    const script = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
    const paths = [
      "/",
      "/?range=bogus",
      "/api/logs?range=1h&limit=1",
      "/api/logs?range=bogus",
      "/api/health",
      "/robots.txt",
      "/icon.svg",
      "/manifest.webmanifest",
      "/no-such-page",
      script!,
    ];
    for (const path of paths) {
      const res = await request.get(path);
      expect(res.headers()["x-robots-tag"], path).toBe("noindex, nofollow");
    }
  });

  test("the page links its icon and web manifest from public/, and asks robots not to index it", async ({
    page,
    request,
  }) => {
    await page.goto("/");
    await waitForRows(page);
    await expect(page.locator("meta[name=robots]")).toHaveAttribute("content", /noindex/);
    const manifestHref = await page.locator("link[rel=manifest]").getAttribute("href");
    expect(manifestHref).toBe("/manifest.webmanifest");
    const manifest = await (await request.get(manifestHref!)).json();
    expect(manifest.name).toBe("Audit Log Explorer");
    const iconHref = await page.locator("link[rel=icon]").first().getAttribute("href");
    expect(iconHref).toMatch(/^\/icon\.svg/);
    const icon = await request.get(iconHref!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  });
});
