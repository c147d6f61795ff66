import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { resetSignInTrail } from "@/lib/server/audit-trail";
import { ENV_KEYS, parseConfig, type Config } from "@/lib/server/config";

/** The application audience used by every test token. */
export const AUD = "3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, publicKey };
}

/**
 * An imitation of a Cloudflare Access team on loopback: `/cdn-cgi/access/certs` publishes the chosen
 * keys and counts its hits; `sign` mints application tokens for it.
 */
export interface AccessIssuer {
  origin: string;
  /** Requests served by the certs endpoint so far. */
  hits(): number;
  publish(keys: SigningKey[]): void;
  /** Answer the certs endpoint with this status instead of the key set (outage drills). */
  failWith(status: number | null): void;
  sign(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export interface SignOptions {
  key?: SigningKey;
  kid?: string;
  issuer?: string;
  audience?: string | string[];
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
  iat?: number;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export async function startAccessIssuer(initialKeys: SigningKey[]): Promise<AccessIssuer> {
  let published = initialKeys;
  let failure: number | null = null;
  let hits = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== "/cdn-cgi/access/certs") {
      res.writeHead(404).end();
      return;
    }
    hits++;
    if (failure !== null) {
      res.writeHead(failure).end();
      return;
    }
    void Promise.all(
      published.map(async (k) => ({
        ...(await exportJWK(k.publicKey)),
        kid: k.kid,
        alg: "RS256",
        use: "sig",
      })),
    ).then((keys) => {
      res.writeHead(200, { "content-type": "application/json" });
      // Cloudflare also sends PEM copies (`public_cert`, `public_certs`); verifiers use `keys`.
      res.end(JSON.stringify({ keys, public_cert: { kid: keys[0]?.kid, cert: "" }, public_certs: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    hits: () => hits,
    publish: (keys) => {
      published = keys;
    },
    failWith: (status) => {
      failure = status;
    },
    sign: async (claims = { email: "alice@example.com" }, options = {}) => {
      const key = options.key ?? published[0];
      const now = nowSeconds();
      return new SignJWT({ type: "app", sub: "7335d417-61da-459d-899c-0a01c76a2f94", ...claims })
        .setProtectedHeader({ alg: "RS256", kid: options.kid ?? key.kid })
        .setIssuer(options.issuer ?? origin)
        .setAudience(options.audience ?? [AUD])
        .setIssuedAt(options.iat ?? now)
        .setNotBefore(options.nbf ?? now)
        .setExpirationTime(options.exp ?? now + 300)
        .sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A token that claims `alg: none` (no signature at all). */
export function unsignedToken(payload: JWTPayload): string {
  return `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.`;
}

/** The classic key-confusion forgery: HS256 with the RSA public key (PEM) as the HMAC secret. */
export async function hmacWithPublicKey(key: SigningKey, payload: JWTPayload): Promise<string> {
  const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256", kid: key.kid }).sign(secret);
}

/** A configuration parsed exactly as the server would parse this environment. */
export function configFrom(env: Record<string, string>): Config {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(`test configuration refused: ${result.problems.join("; ")}`);
  return result.config;
}

/** Every setting the configuration reads, blanked, so the developer's own environment never leaks in. */
const SETTINGS = ENV_KEYS;

/** Run the server's `getConfig()` against this environment (undo with `vi.unstubAllEnvs()`). */
export function useEnv(env: Record<string, string>): void {
  for (const name of SETTINGS) vi.stubEnv(name, env[name] ?? "");
}

/** Silence and capture the sign-in trail (`console.info` JSON lines). */
export function captureTrail() {
  const info = vi.spyOn(console, "info").mockImplementation(() => {});
  return {
    lines: () => info.mock.calls.map((args) => String(args[0])),
    entries: () =>
      info.mock.calls
        .map((args) => String(args[0]))
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export const VALID_ACCOUNT_ID = "0123456789abcdef0123456789abcdef";

/**
 * One Access team for the test file, started before its tests and closed after them, with a fresh
 * sign-in trail before each test and mocks and environment restored after it.
 */
export function accessSuite(): Pick<AccessIssuer, "origin" | "sign"> {
  let issuer: AccessIssuer | undefined;
  beforeAll(async () => {
    issuer = await startAccessIssuer([await createSigningKey("k1")]);
  });
  afterAll(() => issuer?.close());
  beforeEach(() => {
    resetSignInTrail();
    captureTrail();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
  const current = () => {
    if (!issuer) throw new Error("The Access team starts before the file's tests.");
    return issuer;
  };
  return {
    get origin() {
      return current().origin;
    },
    sign: (claims, options) => current().sign(claims, options),
  };
}
