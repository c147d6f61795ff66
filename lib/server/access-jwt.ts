import "server-only";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { AccessSettings } from "./config";

/**
 * Cloudflare Access application tokens: the `Cf-Access-Jwt-Assertion`
 * header, verified against the team's published keys. The `CF_Authorization` cookie is never read:
 * Cloudflare does not guarantee it reaches the origin, while it always adds the header.
 */

export const ACCESS_JWT_HEADER = "cf-access-jwt-assertion";

/** Seconds of clock skew tolerated between Cloudflare and this server. */
export const ACCESS_CLOCK_TOLERANCE_S = 30;
/** A slow certs endpoint must not hold requests for long: sign-in fails closed after this. */
export const ACCESS_JWKS_TIMEOUT_MS = 3_000;
/** Minimum gap between refetches caused by unknown key ids (jose's default, stated for readers). */
export const ACCESS_JWKS_COOLDOWN_MS = 30_000;

export type AccessIdentity =
  | { kind: "user"; email: string }
  /** A service token: no email, its client id in `common_name`. */
  | { kind: "service"; commonName: string };

/**
 * Why a token was not accepted. `invalid`: the token is missing, malformed, expired, for another
 * application or not signed by the team's keys (401). `unavailable`: the keys could not be fetched.
 */
export class AccessTokenError extends Error {
  constructor(
    readonly kind: "invalid" | "unavailable",
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = "AccessTokenError";
  }
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;
/**
 * One key set per certs origin for the life of the process: jose caches the keys (10 minutes) and
 * refetches for an unknown key id at most once per cooldown, which keeps a flood of forged tokens
 * from turning into a flood of requests to Cloudflare. Kept on `globalThis` because the proxy and the
 * route handlers are separate bundles, each with its own copy of this module.
 */
const keySets: Map<string, KeySet> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("audit-log-explorer.access-key-sets")
] ??= new Map<string, KeySet>()) as Map<string, KeySet>;

/** The key set of an Access origin (`https://<team>.cloudflareaccess.com`). */
export function accessKeySet(origin: string): KeySet {
  let keySet = keySets.get(origin);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL("/cdn-cgi/access/certs", origin), {
      timeoutDuration: ACCESS_JWKS_TIMEOUT_MS,
      cooldownDuration: ACCESS_JWKS_COOLDOWN_MS,
    });
    keySets.set(origin, keySet);
  }
  return keySet;
}

const REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: "token expired",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "signature does not verify",
  ERR_JWKS_NO_MATCHING_KEY: "signed by an unknown key",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "ambiguous signing key",
  ERR_JOSE_ALG_NOT_ALLOWED: "algorithm not allowed",
  ERR_JOSE_NOT_SUPPORTED: "unsupported token",
  ERR_JWS_INVALID: "malformed token",
  ERR_JWT_INVALID: "malformed token",
};

function classify(error: unknown): AccessTokenError {
  const { code, claim, reason } = (error ?? {}) as { code?: unknown; claim?: unknown; reason?: unknown };
  if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED")
    return new AccessTokenError("invalid", `claim ${String(claim)} ${String(reason)}`, { cause: error });
  if (typeof code === "string" && code in REASONS)
    return new AccessTokenError("invalid", REASONS[code], { cause: error });
  // Timeouts, network errors, a non-200 or unreadable key set: nothing is known about the token.
  return new AccessTokenError("unavailable", "signing keys unavailable", { cause: error });
}

function identityOf(payload: JWTPayload): AccessIdentity | null {
  const { email, common_name: commonName } = payload as { email?: unknown; common_name?: unknown };
  if (typeof email === "string" && email !== "") return { kind: "user", email: asciiLower(email) };
  if (typeof commonName === "string" && commonName !== "") return { kind: "service", commonName };
  return null;
}

/**
 * Verify an Access token: RS256 only (no `none`, no HMAC with the public key as secret), issued by the
 * team origin for this application's audience, within its validity window. Throws AccessTokenError.
 */
export async function verifyAccessToken(token: string, settings: AccessSettings): Promise<AccessIdentity> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, accessKeySet(settings.origin), {
      algorithms: ["RS256"],
      issuer: settings.origin,
      audience: settings.audience,
      clockTolerance: ACCESS_CLOCK_TOLERANCE_S,
      requiredClaims: ["exp", "iat"],
    }));
  } catch (error) {
    throw classify(error);
  }
  const identity = identityOf(payload);
  if (!identity) throw new AccessTokenError("invalid", "no email or service token name in the token");
  return identity;
}

/**
 * Lowercase A–Z only. `String#toLowerCase` folds other scripts too: `\u212A` (KELVIN SIGN) becomes `k`, so
 * `\u212Aevin@example.com` would pass for `kevin@example.com`, a different mailbox.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Printable ASCII: anything else (other scripts, control characters) must be listed exactly. */
const ASCII = /^[\x20-\x7e]*$/;

/**
 * Whether an email matches the allow-list: exact addresses or `*@domain`, case-insensitive in ASCII.
 * An address with any other character matches only an entry naming that whole address: look-alike
 * letters from other scripts never match a domain pattern or an ASCII entry. An empty list allows none.
 */
export function isEmailAllowed(email: string, allowList: readonly string[]): boolean {
  const address = asciiLower(email);
  if (!ASCII.test(address)) return allowList.some((entry) => asciiLower(entry) === address);
  const at = address.lastIndexOf("@");
  const domain = at > 0 ? address.slice(at + 1) : null;
  return allowList.some((entry) => {
    const pattern = asciiLower(entry);
    if (pattern.startsWith("*@")) return domain !== null && domain === pattern.slice(2);
    return pattern === address;
  });
}

/** Service tokens are refused unless their client id is listed: an empty list allows none. */
export function isServiceTokenAllowed(commonName: string, allowList: readonly string[]): boolean {
  return allowList.includes(commonName);
}

/** Whether a verified identity may read the logs; the reason is for the server log only. */
export function accessAllowed(
  identity: AccessIdentity,
  settings: AccessSettings,
): { allowed: true } | { allowed: false; reason: string } {
  if (identity.kind === "service")
    return isServiceTokenAllowed(identity.commonName, settings.allowedServiceTokens)
      ? { allowed: true }
      : { allowed: false, reason: "service token not in ACCESS_ALLOWED_SERVICE_TOKENS" };
  return settings.allowAnyEmail ||
    isEmailAllowed(identity.email, settings.allowedEmails) ||
    isEmailAllowed(identity.email, settings.accountEmails ?? [])
    ? { allowed: true }
    : { allowed: false, reason: "email not in ACCESS_ALLOWED_EMAILS" };
}
