import { beforeEach, describe, expect, it, vi } from "vitest";
import { authorizePage } from "@/lib/server/auth";
import { API_HEADERS, createNonce, isHttps, pageCsp, withApiHeaders } from "@/lib/server/security-headers";
import { AUD, useEnv, VALID_ACCOUNT_ID, accessSuite } from "./fixtures";

// The page reads its request headers through next/headers; here they come from the test.
const incoming = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => incoming.headers }));

const issuer = accessSuite();
beforeEach(() => {
  incoming.headers = new Headers();
});

describe("authorizePage", () => {
  it("returns the signed-in viewer with the Access email", async () => {
    useEnv({
      AUTH_MODE: "access",
      ACCESS_TEAM_DOMAIN: issuer.origin,
      ACCESS_AUD: AUD,
      ACCESS_ALLOW_ANY_EMAIL: "true",
    });
    incoming.headers = new Headers({
      "cf-access-jwt-assertion": await issuer.sign({ email: "Alice@Example.com" }),
    });
    expect(await authorizePage()).toEqual({
      viewer: { id: "alice@example.com", email: "alice@example.com", method: "access" },
    });
  });

  it("denies without the header (401) and with an identity outside the allow-list (403)", async () => {
    useEnv({
      AUTH_MODE: "access",
      ACCESS_TEAM_DOMAIN: issuer.origin,
      ACCESS_AUD: AUD,
      ACCESS_ALLOWED_EMAILS: "*@example.com",
    });
    expect(await authorizePage()).toEqual({
      denied: expect.objectContaining({ status: 401, title: "Sign-in required" }),
    });
    incoming.headers = new Headers({
      "cf-access-jwt-assertion": await issuer.sign({ email: "eve@other.org" }),
    });
    expect(await authorizePage()).toEqual({ denied: expect.objectContaining({ status: 403 }) });
  });

  it("is anonymous in the sandbox's default mode", async () => {
    useEnv({});
    expect(await authorizePage()).toEqual({ viewer: { id: "anonymous", email: null, method: "none" } });
  });

  it("denies with 503 and what to set when a real token has no AUTH_MODE", async () => {
    useEnv({ CLOUDFLARE_API_TOKEN: "cf-test-token-value", CLOUDFLARE_ACCOUNT_ID: VALID_ACCOUNT_ID });
    const result = await authorizePage();
    expect(result).toEqual({ denied: expect.objectContaining({ status: 503 }) });
    expect("denied" in result && result.denied.detail).toContain("AUTH_MODE");
  });
});

describe("security headers", () => {
  it("gives API responses the API set without overriding what the handler chose", () => {
    const response = withApiHeaders(
      new Response("a,b\r\n", {
        headers: { "content-type": "text/csv; charset=utf-8", "cache-control": "no-store, no-transform" },
      }),
    );
    for (const [name, value] of Object.entries(API_HEADERS))
      if (name !== "cache-control") expect(response.headers.get(name), name).toBe(value);
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("adds HSTS to API responses of HTTPS requests", () => {
    const request = new Request("http://127.0.0.1/api/logs", {
      headers: { "x-forwarded-proto": "https, http" },
    });
    expect(withApiHeaders(new Response(null), request).headers.get("strict-transport-security")).toBe(
      "max-age=63072000; includeSubDomains",
    );
  });

  it("detects HTTPS from the URL or the first x-forwarded-proto", () => {
    expect(isHttps(new Request("https://logs.example.com/"))).toBe(true);
    expect(isHttps(new Request("http://127.0.0.1/"))).toBe(false);
    expect(isHttps(new Request("http://127.0.0.1/", { headers: { "x-forwarded-proto": "HTTPS" } }))).toBe(
      true,
    );
    expect(isHttps(new Request("https://127.0.0.1/", { headers: { "x-forwarded-proto": "http" } }))).toBe(
      false,
    );
  });

  it("allows eval only in development", () => {
    expect(pageCsp("n", { https: false })).not.toContain("unsafe-eval");
    expect(pageCsp("n", { https: false, development: true })).toContain(
      "'nonce-n' 'strict-dynamic' 'unsafe-eval'",
    );
  });

  it("makes unpredictable nonces", () => {
    const nonces = new Set(Array.from({ length: 256 }, createNonce));
    expect(nonces.size).toBe(256);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
