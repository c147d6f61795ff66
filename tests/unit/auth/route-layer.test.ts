import { beforeEach, describe, expect, it, vi } from "vitest";
import { resetGateways as clearLogPages } from "@/lib/server/gateway";
import { dataRoute } from "@/lib/server/route";
import { AUD, useEnv, VALID_ACCOUNT_ID, accessSuite } from "./fixtures";

// The upstream is replaced by a counter: a refused request must never reach it.
const upstream = vi.hoisted(() => ({
  fetchLogPage: vi.fn(async () => ({
    data: [],
    nextCursor: null,
    meta: { api: "v2", mode: "sandbox", since: "2026-01-01T00:00:00Z", before: "2026-01-02T00:00:00Z" },
  })),
}));
vi.mock("@/lib/server/upstream", () => ({
  fetchLogPage: upstream.fetchLogPage,
  requestNow: () => new Date(),
  untilAborted: <T>(promise: Promise<T>) => promise,
}));

const { GET: listLogs } = await import("@/app/api/logs/route");

const issuer = accessSuite();
beforeEach(() => {
  clearLogPages();
  upstream.fetchLogPage.mockClear();
});

const useAccess = () =>
  useEnv({
    AUTH_MODE: "access",
    ACCESS_TEAM_DOMAIN: issuer.origin,
    ACCESS_AUD: AUD,
    ACCESS_ALLOW_ANY_EMAIL: "true",
  });

async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(((await response.json()) as { type: string }).type).toBe(type);
}

describe("GET /api/logs called directly, without the proxy", () => {
  it("refuses a request without the Access header and never calls the upstream", async () => {
    useAccess();
    await expectProblem(
      await listLogs(new Request("http://127.0.0.1/api/logs")),
      401,
      "/problems/unauthenticated",
    );
    expect(upstream.fetchLogPage).not.toHaveBeenCalled();
  });

  it("refuses a forged x-middleware-subrequest header without a token", async () => {
    useAccess();
    const request = new Request("http://127.0.0.1/api/logs", {
      headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy", cookie: "CF_Authorization=x" },
    });
    await expectProblem(await listLogs(request), 401, "/problems/unauthenticated");
    expect(upstream.fetchLogPage).not.toHaveBeenCalled();
  });

  it("checks sign-in before the query: bad parameters without a token get 401, not 400", async () => {
    useAccess();
    await expectProblem(
      await listLogs(new Request("http://127.0.0.1/api/logs?since=garbage")),
      401,
      "/problems/unauthenticated",
    );
  });

  it("the export and its check refuse a request without the Access header too", async () => {
    useAccess();
    const { GET: exportFile } = await import("@/app/api/logs/export/route");
    const { GET: exportCheck } = await import("@/app/api/logs/export/check/route");
    const routes = [
      [exportFile, "/api/logs/export"],
      [exportCheck, "/api/logs/export/check"],
    ] as const;
    for (const [handler, path] of routes)
      await expectProblem(
        await handler(new Request(`http://127.0.0.1${path}?range=1h`)),
        401,
        "/problems/unauthenticated",
      );
    expect(upstream.fetchLogPage).not.toHaveBeenCalled();
  });

  it("serves a signed-in viewer (so the refusals above are not vacuous)", async () => {
    useAccess();
    const token = await issuer.sign({ email: "alice@example.com" });
    const response = await listLogs(
      new Request("http://127.0.0.1/api/logs", { headers: { "cf-access-jwt-assertion": token } }),
    );
    expect(response.status).toBe(200);
    expect(upstream.fetchLogPage).toHaveBeenCalledTimes(1);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("checks sign-in before the page cache: a cached page is still refused to a stranger", async () => {
    useAccess();
    const url = "http://127.0.0.1/api/logs?range=24h&actor_email=cached@example.com";
    const token = await issuer.sign({ email: "alice@example.com" });
    const served = await listLogs(new Request(url, { headers: { "cf-access-jwt-assertion": token } }));
    expect(served.status).toBe(200);
    const again = await listLogs(new Request(url, { headers: { "cf-access-jwt-assertion": token } }));
    expect(await again.text()).toBe(await served.text());
    expect(upstream.fetchLogPage).toHaveBeenCalledTimes(1);
    await expectProblem(await listLogs(new Request(url)), 401, "/problems/unauthenticated");
  });

  it("fails closed with a real token and no AUTH_MODE: 503 naming AUTH_MODE", async () => {
    useEnv({ CLOUDFLARE_API_TOKEN: "cf-test-token-value", CLOUDFLARE_ACCOUNT_ID: VALID_ACCOUNT_ID });
    const response = await listLogs(new Request("http://127.0.0.1/api/logs"));
    expect(response.status).toBe(503);
    const text = await response.clone().text();
    expect(text).toContain("AUTH_MODE");
    expect(text).not.toContain("cf-test-token-value");
    await expectProblem(response, 503, "/problems/not-configured");
    expect(upstream.fetchLogPage).not.toHaveBeenCalled();
  });
});

describe("dataRoute: the second layer for every data route", () => {
  const handler = vi.fn(async () => Response.json({ ok: true }));
  const route = dataRoute(handler);
  beforeEach(() => handler.mockClear());

  it("refuses without the Access header and runs no handler", async () => {
    useAccess();
    await expectProblem(
      await route(new Request("http://127.0.0.1/api/anything")),
      401,
      "/problems/unauthenticated",
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it("fails closed with a real token and no AUTH_MODE", async () => {
    useEnv({ CLOUDFLARE_API_TOKEN: "cf-test-token-value", CLOUDFLARE_ACCOUNT_ID: VALID_ACCOUNT_ID });
    await expectProblem(
      await route(new Request("http://127.0.0.1/api/anything")),
      503,
      "/problems/not-configured",
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it("lets the sandbox's default (AUTH_MODE none) through as anonymous", async () => {
    useEnv({});
    const response = await route(new Request("http://127.0.0.1/api/anything"));
    expect(response.status).toBe(200);
    expect(handler).toHaveBeenCalledWith(
      expect.objectContaining({ viewer: { id: "anonymous", email: null, method: "none" } }),
    );
  });
});
