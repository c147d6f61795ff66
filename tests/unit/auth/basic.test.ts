import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetSignInTrail } from "@/lib/server/audit-trail";
import { authorize } from "@/lib/server/auth";
import { BASIC_CHALLENGE, checkBasicAuth, parseBasicAuthorization } from "@/lib/server/basic-auth";
import { parseConfig } from "@/lib/server/config";
import { ProblemError } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";
import { captureTrail, configFrom, useEnv } from "./fixtures";

const USER = "auditor";
const PASSWORD = "correct horse battery";
const config = configFrom({ AUTH_MODE: "basic", BASIC_AUTH_USER: USER, BASIC_AUTH_PASSWORD: PASSWORD });
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let trail: ReturnType<typeof captureTrail>;
beforeEach(() => {
  resetSignInTrail();
  trail = captureTrail();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function refusal(headers: Record<string, string>) {
  const error = await authorize(new Request("http://127.0.0.1/api/logs", { headers }), config).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return (error as ProblemError).init;
}

describe("basic sign-in", () => {
  it("challenges a request without credentials (401 with WWW-Authenticate)", async () => {
    const init = await refusal({});
    expect(init).toMatchObject({ status: 401, slug: "unauthenticated" });
    expect(init.headers?.["www-authenticate"]).toBe('Basic realm="Audit Log Explorer", charset="UTF-8"');
    expect(BASIC_CHALLENGE).toBe('Basic realm="Audit Log Explorer", charset="UTF-8"');
  });

  it("refuses a wrong password, a wrong user and malformed headers", async () => {
    for (const authorization of [
      basic(USER, "correct horse batterY"),
      basic(USER, `${PASSWORD} `),
      basic("Auditor", PASSWORD),
      basic(USER, ""),
      basic("", ""),
      "Basic !!!not-base64!!!",
      `Basic ${Buffer.from("no-colon").toString("base64")}`,
      `Bearer ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`,
    ]) {
      const init = await refusal({ authorization });
      expect(init.status).toBe(401);
      expect(init.headers?.["www-authenticate"]).toBe(BASIC_CHALLENGE);
    }
  });

  it("accepts the right credentials", async () => {
    const viewer = await authorize(
      new Request("http://127.0.0.1/api/logs", { headers: { authorization: basic(USER, PASSWORD) } }),
      config,
    );
    expect(viewer).toEqual({ id: USER, email: null, method: "basic" });
  });

  it("keeps colons in the password and decodes UTF-8", async () => {
    expect(parseBasicAuthorization(basic("ünïcode", "pass:with:colons"))).toEqual({
      user: "ünïcode",
      password: "pass:with:colons",
    });
    expect(
      checkBasicAuth(basic("ünïcode", "pass:with:colons"), { user: "ünïcode", password: "pass:with:colons" }),
    ).toEqual({
      ok: true,
      user: "ünïcode",
    });
    expect(parseBasicAuthorization("basic " + Buffer.from("a:b").toString("base64"))).toEqual({
      user: "a",
      password: "b",
    });
    expect(parseBasicAuthorization(null)).toBeNull();
  });

  it("logs the decision with the attempted user name, never the password", async () => {
    await refusal({ authorization: basic("typed-my-password-here", PASSWORD + "x") });
    await authorize(
      new Request("http://127.0.0.1/api/logs?actor=a%40b.c", {
        headers: { authorization: basic(USER, PASSWORD) },
      }),
      config,
    );
    expect(trail.entries()).toEqual([
      expect.objectContaining({
        outcome: "deny",
        who: "unknown",
        method: "basic",
        reason: "wrong credentials",
        status: 401,
        attemptedUser: "typed-my-password-here",
      }),
      expect.objectContaining({ outcome: "allow", who: USER, method: "basic", route: "/api/logs" }),
    ]);
    const text = trail.lines().join("\n");
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("a%40b.c");
  });
});

describe("basic sign-in configuration", () => {
  it("refuses a password shorter than 12 characters", () => {
    const result = parseConfig({
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: USER,
      BASIC_AUTH_PASSWORD: "short-pass!",
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join(" ")).toContain("BASIC_AUTH_PASSWORD");
  });

  it("answers 503 on data routes, naming BASIC_AUTH_PASSWORD, and runs no handler", async () => {
    useEnv({ AUTH_MODE: "basic", BASIC_AUTH_USER: USER, BASIC_AUTH_PASSWORD: "short-pass!" });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = vi.fn(async () => Response.json({ data: [] }));
    const response = await dataRoute(handler)(
      new Request("http://127.0.0.1/api/logs", { headers: { authorization: basic(USER, "short-pass!") } }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { type: string; detail: string };
    expect(body.type).toBe("/problems/not-configured");
    expect(body.detail).toContain("BASIC_AUTH_PASSWORD");
    expect(body.detail).not.toContain("short-pass!");
    expect(handler).not.toHaveBeenCalled();
  });
});
