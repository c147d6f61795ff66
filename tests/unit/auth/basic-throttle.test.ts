import Redis from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetSignInTrail, startupReport } from "@/lib/server/audit-trail";
import { authorize } from "@/lib/server/auth";
import { ProblemError, type ProblemInit } from "@/lib/server/problem";
import { createSignInThrottle, SIGN_IN_LIMITS } from "@/lib/server/sign-in-throttle";
import { startRedis, type RedisService } from "../../support/services";
import { captureTrail, configFrom } from "./fixtures";

const USER = "auditor";
const PASSWORD = "correct horse battery";
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const PROXY = "10.0.0.1";
const config = configFrom({
  AUTH_MODE: "basic",
  BASIC_AUTH_USER: USER,
  BASIC_AUTH_PASSWORD: PASSWORD,
  TRUSTED_PROXIES: PROXY,
});

/** Sign in from a client address (behind the trusted proxy); the viewer's id or the refusal. */
async function attempt(
  client: string,
  user: string,
  password: string,
  cfg = config,
  extra: Record<string, string> = {},
): Promise<string | ProblemInit> {
  const headers = {
    authorization: basic(user, password),
    "x-forwarded-for": `${client}, ${PROXY}`,
    ...extra,
  };
  try {
    return (await authorize(new Request("http://127.0.0.1/api/logs", { headers }), cfg)).id;
  } catch (error) {
    if (error instanceof ProblemError) return error.init;
    throw error;
  }
}

let trail: ReturnType<typeof captureTrail>;
beforeEach(() => {
  resetSignInTrail();
  trail = captureTrail();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("basic sign-in throttle", () => {
  it("answers 429 with Retry-After once one address has failed too often, even with the right password", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.address.points; i++)
      expect(await attempt("203.0.113.5", USER, `guess-${i}-wrong`)).toMatchObject({ status: 401 });
    const throttled = await attempt("203.0.113.5", USER, "another-guess");
    expect(throttled).toMatchObject({ status: 429, slug: "too-many-sign-ins" });
    const retryAfter = (throttled as ProblemInit).retryAfter!;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_LIMITS.address.seconds);
    expect((throttled as ProblemInit).headers?.["www-authenticate"]).toBeUndefined();
    expect(await attempt("203.0.113.5", USER, PASSWORD)).toMatchObject({ status: 429 });
    // Another address is not blocked: the user name is still under its own limit.
    expect(await attempt("198.51.100.8", USER, PASSWORD)).toBe(USER);
  });

  it("throttles one user name across addresses", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.user.points; i++)
      expect(await attempt(`203.0.113.${i + 1}`, USER, `guess-${i}-wrong`)).toMatchObject({ status: 401 });
    expect(await attempt("198.51.100.7", USER, "one-guess-too-many")).toMatchObject({ status: 429 });
    expect(await attempt("198.51.100.8", USER, PASSWORD)).toMatchObject({ status: 429 });
    // Other user names and the lack of credentials are not affected.
    expect(await attempt("198.51.100.8", "someone-else", "x")).toMatchObject({ status: 401 });
  });

  it("lets the address try again when the block has passed", async () => {
    vi.useFakeTimers({
      now: Date.parse("2026-11-15T12:00:00Z"),
      toFake: ["Date", "setTimeout", "clearTimeout"],
    });
    for (let i = 0; i <= SIGN_IN_LIMITS.address.points; i++)
      await attempt("203.0.113.5", USER, "wrong-guess");
    expect(await attempt("203.0.113.5", USER, PASSWORD)).toMatchObject({ status: 429 });
    vi.advanceTimersByTime(SIGN_IN_LIMITS.address.seconds * 1000 + 1000);
    expect(await attempt("203.0.113.5", USER, PASSWORD)).toBe(USER);
  });

  it("logs the user name tried on each refusal, never the password", async () => {
    await attempt("203.0.113.5", "Auditor", "not-the-password");
    expect(trail.entries()).toEqual([
      expect.objectContaining({
        outcome: "deny",
        method: "basic",
        status: 401,
        attemptedUser: "Auditor",
        client: "203.0.113.5",
      }),
    ]);
    expect(trail.lines().join("\n")).not.toContain("not-the-password");
  });
});

describe("basic sign-in in production", () => {
  const production = (extra: Record<string, string> = {}) =>
    configFrom({
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: USER,
      BASIC_AUTH_PASSWORD: PASSWORD,
      NODE_ENV: "production",
      ...extra,
    });

  it("refuses plain HTTP with 403, without a challenge, and without checking the password", async () => {
    const refused = await attempt("203.0.113.5", USER, PASSWORD, production());
    expect(refused).toMatchObject({ status: 403, title: "HTTPS required" });
    expect((refused as ProblemInit).detail).toContain("BASIC_AUTH_ALLOW_HTTP=true");
    expect((refused as ProblemInit).headers?.["www-authenticate"]).toBeUndefined();
  });

  it("believes X-Forwarded-Proto only behind TRUSTED_PROXIES", async () => {
    const https = { "x-forwarded-proto": "https" };
    expect(await attempt("203.0.113.5", USER, PASSWORD, production(), https)).toMatchObject({ status: 403 });
    const proxied = production({ TRUSTED_PROXIES: PROXY });
    expect(await attempt("203.0.113.5", USER, PASSWORD, proxied, https)).toBe(USER);
    expect(
      await attempt("203.0.113.5", USER, PASSWORD, proxied, { "x-forwarded-proto": "https, http" }),
    ).toMatchObject({ status: 403 });
  });

  it("warns at startup when no proxy is trusted, since every sign-in would then be refused", () => {
    const warning = expect.objectContaining({
      level: "warn",
      message: expect.stringContaining("TRUSTED_PROXIES"),
    });
    expect(startupReport({ ok: true, config: production() })).toContainEqual(warning);
    expect(startupReport({ ok: true, config: production({ TRUSTED_PROXIES: PROXY }) })).not.toContainEqual(
      warning,
    );
  });

  it("accepts plain HTTP with BASIC_AUTH_ALLOW_HTTP=true, and outside production", async () => {
    expect(await attempt("203.0.113.5", USER, PASSWORD, production({ BASIC_AUTH_ALLOW_HTTP: "true" }))).toBe(
      USER,
    );
    expect(await attempt("203.0.113.5", USER, PASSWORD)).toBe(USER);
  });
});

describe("basic sign-in throttle shared through Redis", () => {
  let redis: RedisService;
  const clients: Redis[] = [];
  const limits = { address: { points: 3, seconds: 60 }, user: { points: 100, seconds: 60 } };

  /** A throttle as one server instance would build it: its own connection to the shared Redis. */
  async function instance(prefix: string) {
    const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    clients.push(client);
    await new Promise<void>((resolve) => client.once("ready", () => resolve()));
    return createSignInThrottle({ redis: client, limits, prefix });
  }

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis.stop();
  });

  it("counts the failures two instances see as one", async () => {
    const one = await instance("shared");
    const two = await instance("shared");
    const keys = { address: "203.0.113.5", user: USER };
    expect(await one.fail(keys)).toBeNull();
    expect(await two.fail(keys)).toBeNull();
    expect(await one.fail(keys)).toBeNull();
    expect(await two.blocked(keys)).toBeNull();
    expect(await two.fail(keys)).toBeGreaterThan(0);
    expect(await one.blocked(keys)).toBeGreaterThan(0);
    expect(await one.blocked({ address: "198.51.100.8", user: USER })).toBeNull();
  });

  it("keeps throttling in memory while Redis is down", async () => {
    const throttle = await instance("outage");
    vi.spyOn(console, "error").mockImplementation(() => {});
    await redis.stop();
    try {
      const keys = { address: "203.0.113.6", user: USER };
      for (let i = 0; i < limits.address.points; i++) expect(await throttle.fail(keys)).toBeNull();
      expect(await throttle.fail(keys)).toBeGreaterThan(0);
      expect(await throttle.blocked(keys)).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
  });
});
