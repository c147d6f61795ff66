import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { canonicalFilters, MAX_AGE_DAYS, type LogQuery } from "@/lib/search-params";
import { upstreamIdentity, type Config } from "./config";
import { invalidQuery, ProblemError } from "./problem";

/**
 * The `cursor` of `/api/logs` pages: the upstream position together with the window of the walk's first
 * page (so a relative range such as `24h` does not slide between pages), signed so that a client cannot
 * edit the window (past the 18-month retention, or backwards) or carry a cursor over to another query.
 *
 * Layout: base64url of a 32-byte HMAC-SHA-256 tag followed by the JSON payload. The tag covers the
 * payload and the canonical query (upstream, direction, filters), which is not repeated in the cursor.
 */

export interface Resume {
  /** The upstream's cursor (v2) or the next page number (v1). */
  next: string;
  window: { since: Date; before: Date };
}

const TAG_BYTES = 32;
const DAY_MS = 86_400_000;
/**
 * A walk that began at the edge of the retention (`range=548d`) keeps its window while it pages: its
 * cursors stay good for a day past the limit, so a long export does not fail halfway.
 */
const RETENTION_GRACE_MS = DAY_MS;

const keys = new WeakMap<Config, Buffer>();

/**
 * The signing key, derived from what every instance of one deployment shares without extra settings: the
 * API token, or in sandbox mode (no secret to protect) the account id and the sandbox seed. Cursors of one
 * instance are then good on every other instance behind the same load balancer.
 */
function cursorKey(config: Config): Buffer {
  let key = keys.get(config);
  if (!key) {
    const secret = config.token ?? `sandbox:${config.accountId}:${config.sandbox.seed}`;
    key = Buffer.from(hkdfSync("sha256", secret, "audit-log-explorer", "page cursor v1", TAG_BYTES));
    keys.set(config, key);
  }
  return key;
}

function tag(config: Config, query: LogQuery, payload: Buffer): Buffer {
  const bound = JSON.stringify({
    upstream: upstreamIdentity(config),
    direction: query.direction,
    filters: canonicalFilters(query),
  });
  return createHmac("sha256", cursorKey(config)).update(bound).update("\n").update(payload).digest();
}

/** The cursor a client sends back for the page after this one. */
export function encodeCursor(
  config: Config,
  query: LogQuery,
  next: string,
  window: Resume["window"],
): string {
  const payload = Buffer.from(
    JSON.stringify({ n: next, s: window.since.toISOString(), b: window.before.toISOString() }),
  );
  return Buffer.concat([tag(config, query, payload), payload]).toString("base64url");
}

/** The 400 of a cursor that is not one of ours for this query. */
export function badCursor(
  message = "Expected a cursor from a previous response of this query.",
): ProblemError {
  return new ProblemError(invalidQuery([{ parameter: "cursor", message }]));
}

/**
 * Check a cursor's signature against this query, then its window as the URL model would check it:
 * `since` before `before`, and not older than the retention (unless `beyondRetention`: the local
 * archive keeps older entries). Throws a 400 naming `cursor` otherwise.
 */
export function decodeCursor(
  config: Config,
  query: LogQuery,
  cursor: string,
  now: Date,
  { beyondRetention = false }: { beyondRetention?: boolean } = {},
): Resume {
  const bytes = Buffer.from(cursor, "base64url");
  if (bytes.length <= TAG_BYTES) throw badCursor();
  const given = bytes.subarray(0, TAG_BYTES);
  const payload = bytes.subarray(TAG_BYTES);
  if (!timingSafeEqual(given, tag(config, query, payload)))
    throw badCursor("Not a cursor of this query: start again from the first page.");

  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    throw badCursor();
  }
  const { n, s, b } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof n !== "string" || !n || typeof s !== "string" || typeof b !== "string") throw badCursor();
  const since = new Date(s);
  const before = new Date(b);
  if (Number.isNaN(since.getTime()) || Number.isNaN(before.getTime())) throw badCursor();
  if (since.getTime() >= before.getTime()) throw badCursor("The cursor's window ends before it starts.");
  if (!beyondRetention && now.getTime() - since.getTime() > MAX_AGE_DAYS * DAY_MS + RETENTION_GRACE_MS)
    throw badCursor("The cursor's window starts before Cloudflare's 18-month retention.");
  return { next: n, window: { since, before } };
}
