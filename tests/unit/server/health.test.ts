import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { resetSignInTrail } from "@/lib/server/audit-trail";
import { AUD, createSigningKey, startAccessIssuer, type AccessIssuer } from "../auth/fixtures";
import { callJson, useCloudflareMode, useSandboxMode } from "./routes-support";

const USER = "admin";
const PASSWORD = "a-long-password";
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
});
const BASIC = {
  SANDBOX_SIZE: "1000",
  AUTH_MODE: "basic",
  BASIC_AUTH_USER: USER,
  BASIC_AUTH_PASSWORD: PASSWORD,
};

let sandbox: SandboxServer;
let issuer: AccessIssuer;
beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: 500, seed: 4, now: new Date() });
  issuer = await startAccessIssuer([await createSigningKey("k1")]);
});
afterAll(async () => {
  await sandbox.close();
  await issuer.close();
});
beforeEach(() => {
  resetSignInTrail();
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("GET /api/health without sign-in", () => {
  it("answers { status } only: no mode, API, upstream or version", async () => {
    useSandboxMode(BASIC);
    for (const headers of [{}, basic(USER, "wrong-password!"), basic("someone", PASSWORD)]) {
      const { response, body } = await callJson("/api/health", { headers });
      expect(response.status).toBe(200);
      expect(body).toEqual({ status: "ok" });
    }
  });

  it("keeps the upstream's error kind for signed-in viewers", async () => {
    useCloudflareMode(sandbox.url, {
      CLOUDFLARE_API_TOKEN: "wrong-token-for-health",
      AUTH_MODE: "basic",
      BASIC_AUTH_USER: USER,
      BASIC_AUTH_PASSWORD: PASSWORD,
    });
    const stranger = await callJson("/api/health");
    expect(stranger.body).toEqual({ status: "degraded" });
    const viewer = await callJson("/api/health", { headers: basic(USER, PASSWORD) });
    expect(viewer.body).toMatchObject({ status: "degraded", upstream: { error: "upstream-auth" } });
  });

  it("does not name a configuration problem (it can hold a file path)", async () => {
    useCloudflareMode(sandbox.url, { CLOUDFLARE_API_TOKEN: "", AUTH_MODE: "none" });
    vi.stubEnv("CLOUDFLARE_API_TOKEN_FILE", "/run/secrets/missing-cloudflare-token");
    const { response, text } = await callJson("/api/health");
    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toEqual({ status: "degraded" });
    expect(text).not.toContain("/run/secrets");
  });
});

describe("GET /api/health signed in", () => {
  it("adds mode, API, upstream and version for the basic user", async () => {
    useSandboxMode(BASIC);
    const { body } = await callJson("/api/health", { headers: basic(USER, PASSWORD) });
    expect(body).toMatchObject({
      status: "ok",
      configured: true,
      mode: "sandbox",
      api: "v2",
      upstream: { reachable: true },
      version: expect.any(String),
    });
  });

  it("adds them for a verified Access viewer, not for a request without the token", async () => {
    useSandboxMode({
      SANDBOX_SIZE: "1000",
      AUTH_MODE: "access",
      ACCESS_TEAM_DOMAIN: issuer.origin,
      ACCESS_AUD: AUD,
      ACCESS_ALLOW_ANY_EMAIL: "true",
    });
    const token = await issuer.sign({ email: "alice@example.com" });
    const viewer = await callJson("/api/health", { headers: { "cf-access-jwt-assertion": token } });
    expect(viewer.body).toMatchObject({ mode: "sandbox", api: "v2", version: expect.any(String) });
    const stranger = await callJson("/api/health", { headers: { "cf-access-jwt-assertion": "not.a.jwt" } });
    expect(stranger.body).toEqual({ status: "ok" });
  });
});
