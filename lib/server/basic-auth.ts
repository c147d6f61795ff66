import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";

/** HTTP Basic sign-in (RFC 7617) against the one user name and password of the configuration. */

export const BASIC_REALM = "Audit Log Explorer";
/** Sent with every 401 in basic mode so browsers prompt for the password. */
export const BASIC_CHALLENGE = `Basic realm="${BASIC_REALM}", charset="UTF-8"`;

export type BasicCheck =
  | { ok: true; user: string }
  | { ok: false; reason: "missing credentials" | "malformed credentials" }
  /** `user`: the name that was tried, for the sign-in trail and the throttle (never the password). */
  | { ok: false; reason: "wrong credentials"; user: string };

const BASIC_RE = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/** The user and password of an `Authorization: Basic …` header; null when absent, "malformed" when unreadable. */
export function parseBasicAuthorization(
  authorization: string | null,
): { user: string; password: string } | null | "malformed" {
  if (!authorization) return null;
  const match = BASIC_RE.exec(authorization.trim());
  if (!match) return "malformed";
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  // RFC 7617 §2.1: with charset="UTF-8", both parts are compared in Unicode Normalization Form C.
  return {
    user: decoded.slice(0, colon).normalize("NFC"),
    password: decoded.slice(colon + 1).normalize("NFC"),
  };
}

const digest = (value: string) => createHash("sha256").update(value.normalize("NFC"), "utf8").digest();

/**
 * Compare in constant time: both sides are hashed to 32 bytes first, so neither the content nor the
 * length of the expected values leaks through timing, and both comparisons always run.
 */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Check an `Authorization` header against the configured credentials. */
export function checkBasicAuth(
  authorization: string | null,
  expected: { user: string; password: string },
): BasicCheck {
  const given = parseBasicAuthorization(authorization);
  if (given === null) return { ok: false, reason: "missing credentials" };
  if (given === "malformed") return { ok: false, reason: "malformed credentials" };
  const userOk = sameSecret(given.user, expected.user);
  const passwordOk = sameSecret(given.password, expected.password);
  return userOk && passwordOk
    ? { ok: true, user: expected.user }
    : { ok: false, reason: "wrong credentials", user: given.user };
}
