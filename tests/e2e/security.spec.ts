import { expect, test, type APIResponse } from "@playwright/test";

/** An API response or a page navigation's response. */
type WithHeaders = Pick<APIResponse, "headers">;

/**
 * Security headers and the page's Content-Security-Policy on a production build. The server runs the sandbox with the default AUTH_MODE (none).
 */

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

function expectCommonHeaders(response: WithHeaders) {
  const headers = response.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["x-powered-by"]).toBeUndefined();
  // Served over plain HTTP on loopback: no HSTS, which browsers would ignore anyway.
  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(headers["access-control-allow-origin"]).toBeUndefined();
}

function expectApiHeaders(response: WithHeaders, contentType: string) {
  expectCommonHeaders(response);
  const headers = response.headers();
  expect(headers["content-security-policy"]).toBe(API_CSP);
  expect(headers["cache-control"]).toContain("no-store");
  expect(headers["content-type"]).toBe(contentType);
}

/** The nonce of a page's policy, after checking the policy itself. */
function pageNonce(response: WithHeaders): string {
  const csp = response.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(csp).not.toContain("unsafe-eval");
  expect(/script-src [^;]*/.exec(csp)?.[0]).not.toContain("unsafe-inline");
  for (const directive of [
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ])
    expect(csp).toContain(directive);
  return nonce!;
}

test.describe("security headers", () => {
  test("the dashboard page", async ({ request }) => {
    const response = await request.get("/");
    expect(response.status()).toBe(200);
    expectCommonHeaders(response);
    expect(response.headers()["content-type"]).toContain("text/html");
    pageNonce(response);
  });

  test("a list of entries", async ({ request }) => {
    const response = await request.get("/api/logs?range=1h");
    expect(response.status()).toBe(200);
    expectApiHeaders(response, "application/json");
  });

  test("a CSV export", async ({ request }) => {
    const response = await request.get("/api/logs/export?range=1h");
    expect(response.status()).toBe(200);
    expectApiHeaders(response, "text/csv; charset=utf-8");
    expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="/);
  });

  test("an invalid query (400 problem+json)", async ({ request }) => {
    const response = await request.get("/api/logs?since=garbage");
    expect(response.status()).toBe(400);
    expectApiHeaders(response, "application/problem+json");
  });

  test("an unknown page and an unknown API path (404)", async ({ request }) => {
    const page = await request.get("/does-not-exist");
    expect(page.status()).toBe(404);
    expectCommonHeaders(page);
    expect(page.headers()["content-security-policy"]).toBeTruthy();

    const api = await request.get("/api/does-not-exist");
    expect(api.status()).toBe(404);
    expectCommonHeaders(api);
    expect(api.headers()["content-security-policy"]).toBe(API_CSP);
  });

  test("no CORS, even for a preflight from another origin", async ({ request }) => {
    const response = await request.fetch("/api/logs", {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(response.headers()["access-control-allow-origin"]).toBeUndefined();
    expect(response.headers()["access-control-allow-credentials"]).toBeUndefined();
  });
});

test.describe("content security policy", () => {
  test("two page loads carry different nonces, and every script carries its page's nonce", async ({
    request,
  }) => {
    const [first, second] = [await request.get("/"), await request.get("/")];
    const nonces = [pageNonce(first), pageNonce(second)];
    expect(nonces[0]).not.toBe(nonces[1]);

    for (const [i, response] of [first, second].entries()) {
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonces[i]}"`);
    }
  });

  test("the page loads and runs without policy violations or console errors", async ({ page }) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      // A failed load names its URL only in the location.
      if (message.type() === "error") problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript(() => {
      const seen: string[] = [];
      Object.defineProperty(window, "__cspViolations", { value: seen });
      document.addEventListener("securitypolicyviolation", (event) => {
        seen.push(
          `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`,
        );
      });
    });

    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    const nonce = pageNonce(response!);
    // The first data row (after the header row) means the client rendered and hydrated.
    const firstRow = page.getByRole("row").nth(1);
    await expect(firstRow).toBeVisible();
    await page.waitForLoadState("networkidle");

    // Browsers hide the nonce attribute after parsing; the property keeps it.
    const scripts = await page.evaluate(() =>
      [...document.scripts].map((s) => ({ nonce: s.nonce, src: s.src })),
    );
    const sent = scripts.filter((s) => s.nonce !== "");
    expect(sent.length).toBeGreaterThan(0);
    for (const script of sent) expect(script.nonce).toBe(nonce);
    // Code loaded on demand is added by the page's own scripts, which 'strict-dynamic' trusts: it must be
    // the build's own files from this origin, never an inline script.
    const origin = new URL(page.url()).origin;
    for (const script of scripts.filter((s) => s.nonce === ""))
      expect(script.src.startsWith(`${origin}/_next/static/`), script.src || "an inline script").toBe(true);

    // Run the page a little: scroll every scrollable region (the virtualized table renders new rows).
    await page.evaluate(async () => {
      const scrollables = [document.scrollingElement, ...document.querySelectorAll("*")].filter(
        (el): el is Element => !!el && el.scrollHeight > el.clientHeight + 10,
      );
      for (const el of scrollables) el.scrollTop = el.scrollHeight;
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const el of scrollables) el.scrollTop = 0;
    });
    await page.waitForLoadState("networkidle");
    // Open an entry's detail sheet (a dialog with positioned, inline-styled content) and close it.
    await firstRow.click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toBeHidden();

    const violations = await page.evaluate(
      () => (window as unknown as { __cspViolations: string[] }).__cspViolations,
    );
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  });
});
