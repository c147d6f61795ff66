import { describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_ID } from "@/lib/sandbox/constants";
import { accessOrigin, parseConfig } from "@/lib/server/config";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const problemsOf = (env: Record<string, string>) => {
  const r = parseConfig(env);
  return r.ok ? [] : r.problems;
};

describe("server configuration", () => {
  it("runs on the sandbox without a token, signed-in as nobody", () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      mode: "sandbox",
      api: "v2",
      token: null,
      authMode: "none",
      accountId: SANDBOX_ACCOUNT_ID,
    });
    expect(r.config.exportMaxRows).toBe(1_000_000);
    expect(r.config.statsMaxEntries).toBe(20_000);
    expect(r.config.breakerResetMs).toBe(30_000);
    expect(r.config.sandbox.size).toBe(50_000);
  });

  it("treats blank variables as unset", () => {
    const r = parseConfig({ CLOUDFLARE_API_TOKEN: "", AUTH_MODE: " ", AUDIT_LOGS_API: "" });
    expect(r.ok && r.config.mode).toBe("sandbox");
  });

  it("requires a valid account id with a token", () => {
    expect(problemsOf({ CLOUDFLARE_API_TOKEN: "t", AUTH_MODE: "none" })[0]).toMatch(/^CLOUDFLARE_ACCOUNT_ID/);
    expect(
      problemsOf({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_ACCOUNT_ID: "abc", AUTH_MODE: "none" })[0],
    ).toMatch(/^CLOUDFLARE_ACCOUNT_ID/);
  });

  it("has no sign-in default with a real token (fail closed)", () => {
    const r = parseConfig({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_ACCOUNT_ID: ACCOUNT });
    expect(r.ok && r.config.authMode).toBeNull();
    expect(r.ok && r.config.mode).toBe("cloudflare");
  });

  it("reads the token from a file and never reports it", () => {
    const r = parseConfig(
      { CLOUDFLARE_API_TOKEN_FILE: "/run/secrets/cf", CLOUDFLARE_ACCOUNT_ID: ACCOUNT, AUTH_MODE: "none" },
      () => "secret-from-file\n",
    );
    expect(r.ok && r.config.token).toBe("secret-from-file");
    const missing = parseConfig(
      { CLOUDFLARE_API_TOKEN_FILE: "/nope", CLOUDFLARE_ACCOUNT_ID: ACCOUNT, AUTH_MODE: "none" },
      () => {
        throw new Error("ENOENT");
      },
    );
    expect(missing.ok).toBe(false);
    expect(JSON.stringify(missing)).toContain("CLOUDFLARE_API_TOKEN_FILE");
  });

  it("names what Access and basic sign-in need", () => {
    expect(problemsOf({ AUTH_MODE: "access" }).map((p) => p.split(":")[0])).toEqual([
      "ACCESS_TEAM_DOMAIN",
      "ACCESS_AUD",
      "ACCESS_ALLOWED_EMAILS",
    ]);
    expect(problemsOf({ AUTH_MODE: "basic", BASIC_AUTH_USER: "u", BASIC_AUTH_PASSWORD: "short" })[0]).toMatch(
      /^BASIC_AUTH_PASSWORD/,
    );
    const ok = parseConfig({
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: "u",
      BASIC_AUTH_PASSWORD: "long-enough-pw",
    });
    expect(ok.ok && ok.config.basic).toEqual({ user: "u", password: "long-enough-pw" });
  });

  it("derives the Access origin from a team name, host or URL", () => {
    expect(accessOrigin("acme")).toBe("https://acme.cloudflareaccess.com");
    expect(accessOrigin("acme.cloudflareaccess.com")).toBe("https://acme.cloudflareaccess.com");
    expect(accessOrigin("http://127.0.0.1:9000/")).toBe("http://127.0.0.1:9000");
    const r = parseConfig({
      AUTH_MODE: "access",
      ACCESS_TEAM_DOMAIN: "acme",
      ACCESS_AUD: "aud",
      ACCESS_ALLOWED_EMAILS: "A@x.com, *@y.com",
    });
    expect(r.ok && r.config.access).toEqual({
      origin: "https://acme.cloudflareaccess.com",
      audience: "aud",
      allowedEmails: ["A@x.com", "*@y.com"],
      allowedServiceTokens: [],
      allowAnyEmail: false,
      accountEmails: [],
    });
  });

  it("rejects unknown modes and bad numbers", () => {
    expect(problemsOf({ AUDIT_LOGS_API: "v3" })[0]).toMatch(/^AUDIT_LOGS_API/);
    expect(problemsOf({ AUTH_MODE: "open" })[0]).toMatch(/^AUTH_MODE/);
    expect(problemsOf({ EXPORT_MAX_ROWS: "-1" })[0]).toMatch(/^EXPORT_MAX_ROWS/);
    expect(problemsOf({ UPSTREAM_BREAKER_RESET_MS: "500" })[0]).toMatch(/^UPSTREAM_BREAKER_RESET_MS/);
    const off = parseConfig({ UPSTREAM_BREAKER_RESET_MS: "0" });
    expect(off.ok && off.config.breakerResetMs).toBe(0);
  });
});

describe("upstream budget configuration", () => {
  const configOf = (env: Record<string, string>) => {
    const r = parseConfig(env);
    if (!r.ok) throw new Error(r.problems.join("; "));
    return r.config;
  };

  it("spends half of Cloudflare's 1,200 calls per 5 minutes by default", () => {
    expect(configOf({})).toMatchObject({
      budget: { calls: 600, windowSeconds: 300 },
      instances: 2,
      viewerShare: 0.5,
    });
  });

  it("reads N/Ss, the instances and the viewer share", () => {
    const c = configOf({ UPSTREAM_BUDGET: "60/30s", UPSTREAM_INSTANCES: "3", UPSTREAM_VIEWER_SHARE: "0.25" });
    expect(c).toMatchObject({ budget: { calls: 60, windowSeconds: 30 }, instances: 3, viewerShare: 0.25 });
  });

  it.each(["600", "600/300", "abc", "10/300s", "600/5s", "-1/300s"])(
    "rejects UPSTREAM_BUDGET=%s",
    (value) => {
      expect(problemsOf({ UPSTREAM_BUDGET: value }).join()).toMatch(/^UPSTREAM_BUDGET: /);
    },
  );

  it("rejects a viewer share outside (0, 1] and zero instances", () => {
    expect(problemsOf({ UPSTREAM_VIEWER_SHARE: "0" }).join()).toMatch(/UPSTREAM_VIEWER_SHARE/);
    expect(problemsOf({ UPSTREAM_VIEWER_SHARE: "1.5" }).join()).toMatch(/UPSTREAM_VIEWER_SHARE/);
    expect(problemsOf({ UPSTREAM_INSTANCES: "0" }).join()).toMatch(/UPSTREAM_INSTANCES/);
  });
});
