import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { config as proxyConfig, proxy } from "@/proxy";
import { AUD, useEnv, VALID_ACCOUNT_ID, accessSuite } from "./fixtures";

const ORIGIN = "http://127.0.0.1:3000";
const USER = "auditor";
const PASSWORD = "correct horse battery";
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

const request = (path: string, headers: Record<string, string> = {}) =>
  new NextRequest(new URL(path, ORIGIN), { headers });

/** Request headers the proxy hands on to the page or route (NextResponse.next's override mechanism). */
const forwarded = (response: Response, name: string) => response.headers.get(`x-middleware-request-${name}`);
const passedOn = (response: Response) => response.headers.get("x-middleware-next") === "1";

const COMMON = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

function expectCommonHeaders(response: Response) {
  for (const [name, value] of Object.entries(COMMON)) expect(response.headers.get(name), name).toBe(value);
  expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
  expect(response.headers.get("x-powered-by")).toBeNull();
}

const issuer = accessSuite();

describe("proxy matcher", () => {
  const matches = (url: string) => unstable_doesMiddlewareMatch({ config: proxyConfig, url });

  it("runs on pages and API routes, including exports and health", () => {
    for (const url of [
      "/",
      "/?range=1h&actor=a%40b.c",
      "/logs?x=1",
      "/api/logs",
      "/api/logs/export",
      "/api/health",
      "/does-not-exist",
    ])
      expect(matches(url), url).toBe(true);
  });

  it("skips build assets and the favicon", () => {
    for (const url of [
      "/_next/static/chunks/app.js",
      "/_next/static/css/a.css",
      "/_next/image?url=%2Fa.png&w=64&q=75",
      "/favicon.ico",
    ])
      expect(matches(url), url).toBe(false);
  });
});

describe("proxy with Cloudflare Access", () => {
  beforeEach(() =>
    useEnv({
      AUTH_MODE: "access",
      ACCESS_TEAM_DOMAIN: issuer.origin,
      ACCESS_AUD: AUD,
      ACCESS_ALLOW_ANY_EMAIL: "true",
    }),
  );

  it("answers an API request without the header with 401 problem+json and the API headers", async () => {
    const response = await proxy(request("/api/logs?range=1h"));
    expect(response.status).toBe(401);
    expect(passedOn(response)).toBe(false);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expectCommonHeaders(response);
    expect(await response.json()).toMatchObject({ status: 401, type: "/problems/unauthenticated" });
  });

  it("still refuses with a forged x-middleware-subrequest header", async () => {
    for (const path of ["/api/logs", "/"]) {
      const response = await proxy(
        request(path, {
          "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy",
          "x-middleware-next": "1",
        }),
      );
      expect(response.status, path).toBe(401);
      expect(passedOn(response)).toBe(false);
    }
  });

  it("answers a page request without the header with a plain 401 page", async () => {
    const response = await proxy(request("/"));
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("www-authenticate")).toBeNull();
    expectCommonHeaders(response);
    const html = await response.text();
    expect(html).toContain("Sign-in required");
    expect(html).not.toContain("<script");
  });

  it("answers 403 for a valid identity that is not allowed", async () => {
    useEnv({
      AUTH_MODE: "access",
      ACCESS_TEAM_DOMAIN: issuer.origin,
      ACCESS_AUD: AUD,
      ACCESS_ALLOWED_EMAILS: "*@example.com",
    });
    const token = await issuer.sign({ email: "mallory@other.org" });
    const api = await proxy(request("/api/logs", { "cf-access-jwt-assertion": token }));
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ type: "/problems/forbidden" });
    const page = await proxy(request("/", { "cf-access-jwt-assertion": token }));
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("passes a signed-in API request on with the API headers", async () => {
    const token = await issuer.sign();
    const response = await proxy(request("/api/logs", { "cf-access-jwt-assertion": token }));
    expect(passedOn(response)).toBe(true);
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expectCommonHeaders(response);
  });

  it("leaves /api/health open", async () => {
    const response = await proxy(request("/api/health"));
    expect(passedOn(response)).toBe(true);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("proxy with basic sign-in", () => {
  beforeEach(() => useEnv({ AUTH_MODE: "basic", BASIC_AUTH_USER: USER, BASIC_AUTH_PASSWORD: PASSWORD }));

  it("answers a page without credentials with 401 and a Basic challenge, so browsers prompt", async () => {
    const response = await proxy(request("/"));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'Basic realm="Audit Log Explorer", charset="UTF-8"',
    );
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expectCommonHeaders(response);
  });

  it("answers the API with 401 problem+json and the same challenge", async () => {
    const response = await proxy(
      request("/api/logs/export?range=1h", { authorization: basic(USER, "wrong password!") }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'Basic realm="Audit Log Explorer", charset="UTF-8"',
    );
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("passes the right credentials on", async () => {
    const response = await proxy(request("/", { authorization: basic(USER, PASSWORD) }));
    expect(passedOn(response)).toBe(true);
  });
});

describe("proxy when sign-in is not configured", () => {
  it("answers pages and API with 503 when a real token has no AUTH_MODE", async () => {
    useEnv({ CLOUDFLARE_API_TOKEN: "cf-test-token-value", CLOUDFLARE_ACCOUNT_ID: VALID_ACCOUNT_ID });
    const page = await proxy(request("/"));
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain("AUTH_MODE");
    expect(html).not.toContain("cf-test-token-value");
    expectCommonHeaders(page);

    const api = await proxy(request("/api/logs"));
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ type: "/problems/not-configured" });
  });

  it("answers 503 for an invalid configuration, naming the problem", async () => {
    useEnv({ AUTH_MODE: "basic", BASIC_AUTH_USER: USER, BASIC_AUTH_PASSWORD: "too-short" });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const page = await proxy(request("/"));
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("BASIC_AUTH_PASSWORD");
  });
});

describe("proxy page headers and nonce", () => {
  beforeEach(() => useEnv({}));

  it("gives every page a fresh nonce, in the response CSP and in the request's x-nonce and CSP", async () => {
    const first = await proxy(request("/"));
    const second = await proxy(request("/?range=1h"));
    const nonces = [first, second].map((response) => {
      expect(passedOn(response)).toBe(true);
      const nonce = forwarded(response, "x-nonce");
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      const csp = response.headers.get("content-security-policy");
      expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
      expect(forwarded(response, "content-security-policy")).toBe(csp);
      expect(response.headers.get("x-middleware-override-headers")).toContain("x-nonce");
      expectCommonHeaders(response);
      return nonce;
    });
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("overrides a nonce the client tries to choose", async () => {
    const response = await proxy(
      request("/", { "x-nonce": "attacker", "content-security-policy": "script-src *" }),
    );
    expect(forwarded(response, "x-nonce")).not.toBe("attacker");
    expect(forwarded(response, "content-security-policy")).not.toContain("script-src *");
  });

  it("sends the page policy without unsafe-eval or unsafe-inline scripts", async () => {
    const csp = (await proxy(request("/"))).headers.get("content-security-policy")!;
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toMatch(/script-src [^;]*/);
    expect(/script-src [^;]*/.exec(csp)![0]).not.toContain("unsafe-inline");
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
  });

  it("adds HSTS and upgrade-insecure-requests only over HTTPS", async () => {
    const plain = await proxy(request("/"));
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    expect(plain.headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");

    const behindTls = await proxy(request("/", { "x-forwarded-proto": "https" }));
    expect(behindTls.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(behindTls.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");

    const direct = await proxy(new NextRequest("https://logs.example.com/api/logs"));
    expect(direct.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  });
});
