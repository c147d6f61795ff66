import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { isEmailAllowed } from "@/lib/server/access-jwt";
import { resetSignInTrail } from "@/lib/server/audit-trail";
import { authorize, type Viewer } from "@/lib/server/auth";
import type { Config } from "@/lib/server/config";
import { ProblemError } from "@/lib/server/problem";
import {
  AUD,
  captureTrail,
  configFrom,
  createSigningKey,
  hmacWithPublicKey,
  nowSeconds,
  startAccessIssuer,
  unsignedToken,
  type AccessIssuer,
  type SigningKey,
} from "./fixtures";

const URL_ = "http://127.0.0.1:3000/api/logs";

/** Access settings; without an allow-list in `extra`, everyone Access admits (ACCESS_ALLOW_ANY_EMAIL). */
function accessConfig(issuer: AccessIssuer, extra: Record<string, string> = {}): Config {
  const listed = "ACCESS_ALLOWED_EMAILS" in extra || "ACCESS_ALLOWED_SERVICE_TOKENS" in extra;
  return configFrom({
    AUTH_MODE: "access",
    ACCESS_TEAM_DOMAIN: issuer.origin,
    ACCESS_AUD: AUD,
    ...(listed ? {} : { ACCESS_ALLOW_ANY_EMAIL: "true" }),
    ...extra,
  });
}

async function statusOf(config: Config, headers: Record<string, string>): Promise<number | Viewer> {
  try {
    return await authorize(new Request(URL_, { headers }), config);
  } catch (error) {
    if (error instanceof ProblemError) return error.init.status;
    throw error;
  }
}

let current: SigningKey;
let previous: SigningKey;
let stranger: SigningKey;
let issuer: AccessIssuer;
let config: Config;
let trail: ReturnType<typeof captureTrail>;
/** The reason the sign-in trail gives for the latest decision. */
const lastReason = () => trail.entries().at(-1)?.reason;

beforeAll(async () => {
  [current, previous, stranger] = await Promise.all([
    createSigningKey("current"),
    createSigningKey("previous"),
    createSigningKey("stranger"),
  ]);
  issuer = await startAccessIssuer([current, previous]);
  config = accessConfig(issuer);
});
afterAll(() => issuer.close());
beforeEach(() => {
  resetSignInTrail();
  trail = captureTrail();
});
afterEach(() => vi.restoreAllMocks());

describe("Cloudflare Access: refused tokens", () => {
  it("refuses a request without the Cf-Access-Jwt-Assertion header, even with a valid CF_Authorization cookie", async () => {
    const token = await issuer.sign();
    expect(await statusOf(config, { cookie: `CF_Authorization=${token}` })).toBe(401);
    expect(lastReason()).toBe("no Cf-Access-Jwt-Assertion header");
    expect(await statusOf(config, {})).toBe(401);
  });

  it("refuses a token that expired beyond the clock tolerance", async () => {
    const token = await issuer.sign(undefined, {
      iat: nowSeconds() - 3600,
      nbf: nowSeconds() - 3600,
      exp: nowSeconds() - 120,
    });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("token expired");
  });

  it("refuses a token that is not valid yet", async () => {
    const token = await issuer.sign(undefined, { nbf: nowSeconds() + 120 });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("claim nbf check_failed");
  });

  it("refuses a token for another application (wrong aud)", async () => {
    const token = await issuer.sign(undefined, { audience: "another-application-aud" });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("claim aud check_failed");
  });

  it("refuses a token from another issuer", async () => {
    const token = await issuer.sign(undefined, { issuer: "https://evil.cloudflareaccess.com" });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("claim iss check_failed");
  });

  it("refuses a token signed by a key the team does not publish", async () => {
    const token = await issuer.sign(undefined, { key: stranger });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("signed by an unknown key");
  });

  it("refuses a token signed by an unpublished key that claims a published kid", async () => {
    const token = await issuer.sign(undefined, { key: stranger, kid: current.kid });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("signature does not verify");
  });

  it("refuses alg: none", async () => {
    const now = nowSeconds();
    const token = unsignedToken({
      email: "alice@example.com",
      iss: issuer.origin,
      aud: [AUD],
      iat: now,
      exp: now + 300,
    });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("algorithm not allowed");
  });

  it("refuses HS256 signed with the public key as the secret", async () => {
    const now = nowSeconds();
    const token = await hmacWithPublicKey(current, {
      email: "alice@example.com",
      iss: issuer.origin,
      aud: [AUD],
      iat: now,
      exp: now + 300,
    });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("algorithm not allowed");
  });

  it("refuses garbage and a token without an identity", async () => {
    expect(await statusOf(config, { "cf-access-jwt-assertion": "not-a-jwt" })).toBe(401);
    expect(lastReason()).toBe("malformed token");
    const token = await issuer.sign({ sub: "" });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toBe(401);
    expect(lastReason()).toBe("no email or service token name in the token");
  });

  it("says 401 unauthenticated as problem+json without telling which check failed", async () => {
    const token = await issuer.sign(undefined, { audience: "wrong" });
    const error = await authorize(
      new Request(URL_, { headers: { "cf-access-jwt-assertion": token } }),
      config,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    const init = (error as ProblemError).init;
    expect(init).toMatchObject({ status: 401, slug: "unauthenticated" });
    expect(init.detail).not.toMatch(/aud/i);
    expect(init.headers?.["www-authenticate"]).toBeUndefined();
  });
});

describe("Cloudflare Access: accepted tokens and allow-lists", () => {
  it("accepts a valid token and returns the viewer's email", async () => {
    const token = await issuer.sign({ email: "Alice@Example.com" });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toEqual({
      id: "alice@example.com",
      email: "alice@example.com",
      method: "access",
    });
  });

  it("accepts a token within the clock tolerance", async () => {
    const token = await issuer.sign(undefined, { nbf: nowSeconds() + 10, exp: nowSeconds() - 10 });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toMatchObject({
      email: "alice@example.com",
    });
  });

  it("accepts a token signed with the previous key while both keys are published (rotation)", async () => {
    const token = await issuer.sign({ email: "bob@example.com" }, { key: previous });
    expect(await statusOf(config, { "cf-access-jwt-assertion": token })).toMatchObject({
      email: "bob@example.com",
    });
  });

  it("enforces ACCESS_ALLOWED_EMAILS: exact addresses and *@domain, case-insensitive", async () => {
    const limited = accessConfig(issuer, { ACCESS_ALLOWED_EMAILS: "*@example.com, Carol@Partner.org" });
    const check = async (email: string) =>
      statusOf(limited, { "cf-access-jwt-assertion": await issuer.sign({ email }) });
    expect(await check("ALICE@example.COM")).toMatchObject({ email: "alice@example.com" });
    expect(await check("carol@partner.org")).toMatchObject({ email: "carol@partner.org" });
    expect(await check("dave@partner.org")).toBe(403);
    expect(await check("eve@other.com")).toBe(403);
    expect(await check("eve@sub.example.com")).toBe(403);
    expect(await check("eve@example.com.evil.org")).toBe(403);
    expect(await check("eve@notexample.com")).toBe(403);
  });

  it("matches allow-list patterns exactly (unit)", () => {
    expect(isEmailAllowed("a@example.com", [])).toBe(false);
    expect(isEmailAllowed("a@example.com", ["*@example.com"])).toBe(true);
    expect(isEmailAllowed("a@EXAMPLE.com", ["*@example.com"])).toBe(true);
    expect(isEmailAllowed("a@xexample.com", ["*@example.com"])).toBe(false);
    expect(isEmailAllowed("a@example.com", ["b@example.com"])).toBe(false);
    expect(isEmailAllowed("example.com", ["*@example.com"])).toBe(false);
  });

  it("refuses service tokens unless their client id is allow-listed", async () => {
    const service = await issuer.sign({ sub: "", common_name: "b1d4c3a2.access" });
    expect(await statusOf(config, { "cf-access-jwt-assertion": service })).toBe(403);

    const withEmails = accessConfig(issuer, { ACCESS_ALLOWED_EMAILS: "*@example.com" });
    expect(await statusOf(withEmails, { "cf-access-jwt-assertion": service })).toBe(403);

    const allowed = accessConfig(issuer, { ACCESS_ALLOWED_SERVICE_TOKENS: "b1d4c3a2.access" });
    expect(await statusOf(allowed, { "cf-access-jwt-assertion": service })).toEqual({
      id: "b1d4c3a2.access",
      email: null,
      method: "access",
    });
    const other = await issuer.sign({ sub: "", common_name: "ffff0000.access" });
    expect(await statusOf(allowed, { "cf-access-jwt-assertion": other })).toBe(403);
  });

  it("says 403 forbidden for a valid identity that is not allowed", async () => {
    const limited = accessConfig(issuer, { ACCESS_ALLOWED_EMAILS: "*@example.com" });
    const token = await issuer.sign({ email: "mallory@other.org" });
    const error = await authorize(
      new Request(URL_, { headers: { "cf-access-jwt-assertion": token } }),
      limited,
    ).catch((e: unknown) => e);
    expect((error as ProblemError).init).toMatchObject({ status: 403, slug: "forbidden" });
  });
});

describe("Cloudflare Access: the sign-in trail", () => {
  it("logs denials with the verified identity and never the token", async () => {
    const limited = accessConfig(issuer, { ACCESS_ALLOWED_EMAILS: "*@example.com" });
    const token = await issuer.sign({ email: "mallory@other.org" });
    await statusOf(limited, { "cf-access-jwt-assertion": token });
    const expired = await issuer.sign(undefined, {
      exp: nowSeconds() - 600,
      iat: nowSeconds() - 900,
      nbf: nowSeconds() - 900,
    });
    await statusOf(limited, { "cf-access-jwt-assertion": expired });

    expect(trail.entries()).toEqual([
      expect.objectContaining({
        outcome: "deny",
        who: "mallory@other.org",
        method: "access",
        route: "/api/logs",
        status: 403,
      }),
      expect.objectContaining({ outcome: "deny", who: "unknown", reason: "token expired", status: 401 }),
    ]);
    for (const line of trail.lines()) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(expired);
      expect(line).not.toContain(token.split(".")[2]);
    }
  });
});

describe("Cloudflare Access: the key set", () => {
  it("fetches the keys once, then serves from its cache", async () => {
    const own = await startAccessIssuer([current]);
    try {
      const ownConfig = accessConfig(own);
      for (let i = 0; i < 5; i++) {
        const token = await own.sign({ email: `user${i}@example.com` });
        expect(await statusOf(ownConfig, { "cf-access-jwt-assertion": token })).toMatchObject({
          method: "access",
        });
      }
      expect(own.hits()).toBe(1);
    } finally {
      await own.close();
    }
  });

  it("refetches for unknown key ids at most once per 30 s cooldown (100 forged kids)", async () => {
    const own = await startAccessIssuer([current]);
    try {
      const ownConfig = accessConfig(own);
      expect(await statusOf(ownConfig, { "cf-access-jwt-assertion": await own.sign() })).toMatchObject({
        method: "access",
      });
      expect(own.hits()).toBe(1);

      const forged = () =>
        Promise.all(
          Array.from({ length: 100 }, () => own.sign(undefined, { key: stranger, kid: crypto.randomUUID() })),
        );
      const flood = async () => {
        const tokens = await forged();
        const statuses = await Promise.all(
          tokens.map((t) => statusOf(ownConfig, { "cf-access-jwt-assertion": t })),
        );
        expect(new Set(statuses)).toEqual(new Set([401]));
      };

      await flood();
      expect(own.hits()).toBe(1);

      const realNow = Date.now.bind(Date);
      const later = vi.spyOn(Date, "now").mockImplementation(() => realNow() + 31_000);
      await flood();
      expect(own.hits()).toBe(2);
      await flood();
      expect(own.hits()).toBe(2);
      later.mockRestore();
    } finally {
      await own.close();
    }
  });

  it("picks up a newly published key after the cooldown (rotation)", async () => {
    const own = await startAccessIssuer([previous]);
    try {
      const ownConfig = accessConfig(own);
      expect(await statusOf(ownConfig, { "cf-access-jwt-assertion": await own.sign() })).toMatchObject({
        method: "access",
      });
      own.publish([current, previous]);
      const rotated = await own.sign(undefined, { key: current });
      expect(await statusOf(ownConfig, { "cf-access-jwt-assertion": rotated })).toBe(401);

      const realNow = Date.now.bind(Date);
      vi.spyOn(Date, "now").mockImplementation(() => realNow() + 31_000);
      expect(await statusOf(ownConfig, { "cf-access-jwt-assertion": rotated })).toMatchObject({
        method: "access",
      });
      expect(own.hits()).toBe(2);
    } finally {
      await own.close();
    }
  });

  it("fails closed (502, not a pass) when the keys cannot be fetched", async () => {
    const own = await startAccessIssuer([current]);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      own.failWith(500);
      const token = await own.sign();
      expect(await statusOf(accessConfig(own), { "cf-access-jwt-assertion": token })).toBe(502);
      expect(errors).toHaveBeenCalled();
    } finally {
      await own.close();
    }
  });
});
