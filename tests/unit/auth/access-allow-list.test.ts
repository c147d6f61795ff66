import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { AppHeader } from "@/components/log-explorer/app-header";
import { isEmailAllowed } from "@/lib/server/access-jwt";
import { startupReport } from "@/lib/server/audit-trail";
import { authorize } from "@/lib/server/auth";
import { parseConfig } from "@/lib/server/config";
import { ProblemError } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";
import { AUD, configFrom, useEnv, VALID_ACCOUNT_ID, accessSuite } from "./fixtures";

const issuer = accessSuite();

const accessEnv = (extra: Record<string, string> = {}) => ({
  CLOUDFLARE_API_TOKEN: "t".repeat(40),
  CLOUDFLARE_ACCOUNT_ID: VALID_ACCOUNT_ID,
  AUTH_MODE: "access",
  ACCESS_TEAM_DOMAIN: issuer.origin,
  ACCESS_AUD: AUD,
  ...extra,
});

/** The viewer's email, or the refusal's status, for a token carrying this email. */
async function signIn(email: string, env: Record<string, string>): Promise<string | number> {
  const token = await issuer.sign({ email });
  const request = new Request("http://127.0.0.1/api/logs", { headers: { "cf-access-jwt-assertion": token } });
  try {
    return (await authorize(request, configFrom(accessEnv(env)))).email ?? "";
  } catch (error) {
    if (error instanceof ProblemError) return error.init.status;
    throw error;
  }
}

describe("Access without an allow-list", () => {
  it("is a configuration error: data routes answer 503 naming ACCESS_ALLOWED_EMAILS", async () => {
    useEnv(accessEnv());
    const handler = vi.fn(async () => new Response("rows"));
    const response = await dataRoute(handler)(
      new Request("http://127.0.0.1/api/logs", {
        headers: { "cf-access-jwt-assertion": await issuer.sign({ email: "anyone@example.com" }) },
      }),
    );
    expect(response.status).toBe(503);
    const body = (await response.json()) as { type: string; detail: string };
    expect(body.type).toBe("/problems/not-configured");
    expect(body.detail).toContain("ACCESS_ALLOWED_EMAILS");
    expect(body.detail).toContain("ACCESS_ALLOW_ANY_EMAIL=true");
    expect(handler).not.toHaveBeenCalled();
  });

  it("admits everyone Access admits only with ACCESS_ALLOW_ANY_EMAIL=true, and says so at startup", async () => {
    expect(await signIn("anyone@example.com", { ACCESS_ALLOW_ANY_EMAIL: "true" })).toBe("anyone@example.com");
    const report = startupReport(parseConfig(accessEnv({ ACCESS_ALLOW_ANY_EMAIL: "true" })));
    expect(report).toContainEqual({
      level: "warn",
      message: expect.stringContaining("ACCESS_ALLOW_ANY_EMAIL"),
    });
  });

  it("refuses the flag next to a list (one would be ignored) and values other than true or false", () => {
    const both = parseConfig(accessEnv({ ACCESS_ALLOW_ANY_EMAIL: "true", ACCESS_ALLOWED_EMAILS: "a@x.com" }));
    expect(both.ok || both.problems.join()).toContain("ACCESS_ALLOW_ANY_EMAIL");
    const typo = parseConfig(accessEnv({ ACCESS_ALLOW_ANY_EMAIL: "yes" }));
    expect(typo.ok || typo.problems.join()).toContain("ACCESS_ALLOW_ANY_EMAIL");
  });

  it("with service tokens only, admits no email", async () => {
    expect(await signIn("anyone@example.com", { ACCESS_ALLOWED_SERVICE_TOKENS: "b1d4c3a2.access" })).toBe(
      403,
    );
  });

  it("shows a banner saying that anyone Access admits can sign in", () => {
    const header = (anyAccessEmail: boolean) =>
      renderToStaticMarkup(
        // The header's status items read the page's query cache, as they do under the app's providers.
        createElement(
          QueryClientProvider,
          { client: new QueryClient() },
          createElement(AppHeader, {
            mode: "cloudflare",
            api: "v2",
            authMode: "access",
            anyAccessEmail,
            viewerEmail: "anyone@example.com",
            onShowShortcuts: () => {},
          }),
        ),
      );
    expect(header(true)).toContain("Anyone Cloudflare Access admits");
    expect(header(true)).toContain('role="alert"');
    expect(header(false)).not.toContain("Anyone Cloudflare Access admits");
  });
});

describe("Access email comparison", () => {
  it("folds ASCII letters only: the Kelvin sign is not a k", async () => {
    const kelvin = "\u212Aevin@example.com";
    expect(kelvin.toLowerCase()).toBe("kevin@example.com");
    expect(await signIn(kelvin, { ACCESS_ALLOWED_EMAILS: "kevin@example.com" })).toBe(403);
    expect(await signIn(kelvin, { ACCESS_ALLOWED_EMAILS: "*@example.com" })).toBe(403);
    expect(await signIn("KEVIN@Example.COM", { ACCESS_ALLOWED_EMAILS: "kevin@example.com" })).toBe(
      "kevin@example.com",
    );
  });

  it("admits a non-ASCII address only when listed exactly, never through a domain pattern", () => {
    expect(isEmailAllowed("jürgen@example.com", ["*@example.com"])).toBe(false);
    expect(isEmailAllowed("jürgen@example.com", ["jurgen@example.com"])).toBe(false);
    expect(isEmailAllowed("jürgen@example.com", ["jürgen@example.com"])).toBe(true);
    expect(isEmailAllowed("jürgen@Example.com", ["jürgen@example.com"])).toBe(true);
    expect(isEmailAllowed("JÜRGEN@example.com", ["jürgen@example.com"])).toBe(false);
    expect(isEmailAllowed("user@exämple.com", ["*@exämple.com"])).toBe(false);
  });
});
