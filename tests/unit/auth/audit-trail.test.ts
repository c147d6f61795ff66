import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ALLOW_LOG_INTERVAL_MS,
  ALLOW_LOG_MAX_KEYS,
  recordSignIn,
  resetSignInTrail,
  startupReport,
  type SignInDecision,
} from "@/lib/server/audit-trail";
import { parseConfig } from "@/lib/server/config";
import { register } from "@/instrumentation";
import { captureTrail, useEnv, VALID_ACCOUNT_ID } from "./fixtures";

const allow: SignInDecision = {
  who: "alice@example.com",
  method: "access",
  route: "/api/logs",
  outcome: "allow",
  reason: "Access identity",
  layer: "route",
};
const T0 = Date.parse("2026-03-01T12:00:00Z");

let trail: ReturnType<typeof captureTrail>;
beforeEach(() => {
  resetSignInTrail();
  trail = captureTrail();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("sign-in trail", () => {
  it("writes one JSON line per decision: time, who, method, route, outcome, reason", () => {
    recordSignIn({ ...allow, outcome: "deny", reason: "token expired", who: "unknown", status: 401 }, T0);
    expect(trail.lines()).toHaveLength(1);
    expect(trail.entries()[0]).toEqual({
      time: "2026-03-01T12:00:00.000Z",
      event: "sign-in",
      outcome: "deny",
      who: "unknown",
      method: "access",
      route: "/api/logs",
      reason: "token expired",
      layer: "route",
      status: 401,
    });
  });

  it("logs every denial", () => {
    for (let i = 0; i < 5; i++) recordSignIn({ ...allow, outcome: "deny", reason: "no header" }, T0 + i);
    expect(trail.lines()).toHaveLength(5);
  });

  it("logs an allow at most once per viewer, route and minute, whichever layer decided", () => {
    expect(recordSignIn({ ...allow, layer: "proxy" }, T0)).toBe(true);
    expect(recordSignIn({ ...allow, layer: "route" }, T0 + 10)).toBe(false);
    expect(recordSignIn(allow, T0 + ALLOW_LOG_INTERVAL_MS - 1)).toBe(false);
    expect(recordSignIn({ ...allow, route: "/api/logs/export" }, T0 + 20)).toBe(true);
    expect(recordSignIn({ ...allow, who: "bob@example.com" }, T0 + 30)).toBe(true);
    expect(recordSignIn(allow, T0 + ALLOW_LOG_INTERVAL_MS)).toBe(true);
    expect(trail.lines()).toHaveLength(4);
  });

  it("stays bounded under many distinct routes, forgetting the oldest first", () => {
    for (let i = 0; i <= ALLOW_LOG_MAX_KEYS; i++) recordSignIn({ ...allow, route: `/r/${i}` }, T0 + 1);
    expect(trail.lines()).toHaveLength(ALLOW_LOG_MAX_KEYS + 1);
    // The newest is still remembered; the very first was evicted, so it is logged again.
    expect(recordSignIn({ ...allow, route: `/r/${ALLOW_LOG_MAX_KEYS}` }, T0 + 2)).toBe(false);
    expect(recordSignIn({ ...allow, route: "/r/0" }, T0 + 2)).toBe(true);
  });
});

describe("startup report", () => {
  it("states mode, API and sign-in of a working configuration", () => {
    const lines = startupReport(parseConfig({ AUDIT_LOGS_API: "v1" }));
    expect(lines).toEqual([{ level: "info", message: "Audit Log Explorer: mode=sandbox api=v1 auth=none" }]);
  });

  it("lists every configuration problem as an error, never the token", () => {
    const lines = startupReport(
      parseConfig({
        CLOUDFLARE_API_TOKEN: "cf-secret-token-value",
        AUTH_MODE: "basic",
        BASIC_AUTH_USER: "auditor",
        BASIC_AUTH_PASSWORD: "short",
      }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0].level).toBe("error");
    expect(lines[0].message).toContain("BASIC_AUTH_PASSWORD");
    expect(lines[0].message).toContain("CLOUDFLARE_ACCOUNT_ID");
    expect(lines[0].message).toContain("503");
    expect(lines[0].message).not.toContain("cf-secret-token-value");
  });

  it("errors when a real token has no AUTH_MODE and warns about AUTH_MODE=none", () => {
    const base = { CLOUDFLARE_API_TOKEN: "cf-secret-token-value", CLOUDFLARE_ACCOUNT_ID: VALID_ACCOUNT_ID };
    const unset = startupReport(parseConfig(base));
    expect(unset.map((l) => l.level)).toEqual(["info", "error"]);
    expect(unset[0].message).toBe("Audit Log Explorer: mode=cloudflare api=v2 auth=not set");
    expect(unset[1].message).toContain("AUTH_MODE");

    const none = startupReport(parseConfig({ ...base, AUTH_MODE: "none" }));
    expect(none.map((l) => l.level)).toEqual(["info", "warn"]);
    for (const line of [...unset, ...none]) expect(line.message).not.toContain("cf-secret-token-value");
  });

  it("names the Access issuer and basic user, never the password", () => {
    const access = startupReport(
      parseConfig({
        AUTH_MODE: "access",
        ACCESS_TEAM_DOMAIN: "acme",
        ACCESS_AUD: "aud",
        ACCESS_ALLOWED_EMAILS: "*@acme.com",
      }),
    );
    expect(access[0].message).toContain(
      "auth=access (issuer https://acme.cloudflareaccess.com, 1 allowed email",
    );
    const basic = startupReport(
      parseConfig({
        AUTH_MODE: "basic",
        BASIC_AUTH_USER: "auditor",
        BASIC_AUTH_PASSWORD: "long enough password",
      }),
    );
    expect(basic[0].message).toContain("auth=basic (user auditor)");
    expect(basic[0].message).not.toContain("long enough password");
  });

  it("is printed by the instrumentation hook when the Node.js server starts", async () => {
    useEnv({ AUTH_MODE: "basic", BASIC_AUTH_USER: "auditor", BASIC_AUTH_PASSWORD: "short" });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    await register();
    expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/503.*BASIC_AUTH_PASSWORD/);

    errors.mockClear();
    vi.stubEnv("NEXT_RUNTIME", "edge");
    await register();
    expect(errors).not.toHaveBeenCalled();
  });
});
