import "server-only";
import type { AuditLog } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import {
  checkQueryLength,
  CURSOR_SHAPE,
  DEFAULT_LIMIT,
  MAX_AGE_DAYS,
  MAX_LIMIT,
  parseInstant,
  type ParamError,
  type Validation,
} from "@/lib/search-params";
import type { Config } from "./config";
import { parseV2Page } from "./normalize";
import { ProblemError } from "./problem";
import type { Send, UpstreamQuery } from "./upstream";

/** How the upstream matched the resource: by URI, by product and type only, or not at all. */
export type HistoryStatus = "exact" | "approximate" | "unavailable";

/** One page of a resource's change history (v2 `logs/audit/{id}/history`). */
export interface HistoryPage {
  data: AuditLog[];
  nextCursor: string | null;
  /** Unknown upstream values are passed on as they come. */
  historyStatus: HistoryStatus | (string & {});
}

export interface HistoryRequest {
  id: string;
  actionTime: Date;
  since: Date;
  before: Date;
  direction: "asc" | "desc" | null;
  limit: number;
  cursor: string | null;
}

const DAY_MS = 86_400_000;
/** Default look-back before the source entry (the dashboard's own window). */
const DEFAULT_LOOKBACK_DAYS = 90;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
// `account` is read (and checked) by the route layer before this.
const KNOWN = new Set(["account", "action_time", "since", "before", "direction", "limit", "cursor"]);
const INSTANT_HINT = "Expected an RFC 3339 timestamp (2026-11-01T00:00:00Z) or a date (2026-11-01).";

/**
 * Check a history request: the entry id (UUID-like, at most 64 characters, no slashes), `action_time`
 * (required), optional `since`/`before` (default: 90 days before the entry, up to now; a start older than
 * the 18-month retention is narrowed to it), `direction`, `limit` and `cursor`. Unknown or repeated parameters are refused.
 */
export function validateHistoryRequest(
  id: string,
  params: URLSearchParams,
  now: Date = new Date(),
): Validation<HistoryRequest> {
  const errors: ParamError[] = [];
  const fail = (parameter: string, message: string) => errors.push({ parameter, message });
  const tooLong = checkQueryLength(params);
  if (tooLong) return { ok: false, errors: [tooLong] };
  if (!ID_RE.test(id))
    fail("id", "Expected an audit log ID (letters, digits and dashes, at most 64 characters).");
  for (const key of new Set(params.keys())) {
    if (!KNOWN.has(key)) fail(key, "Unknown parameter.");
    else if (params.getAll(key).length > 1) fail(key, "Given more than once; expected a single value.");
  }
  const instant = (key: string, required: boolean) => {
    const raw = params.get(key);
    if (raw === null) {
      if (required) fail(key, `Required. ${INSTANT_HINT}`);
      return null;
    }
    const value = parseInstant(raw);
    if (!value) fail(key, INSTANT_HINT);
    return value;
  };
  const actionTime = instant("action_time", true);
  const sinceIn = instant("since", false);
  const beforeIn = instant("before", false);

  const direction = params.get("direction");
  if (direction !== null && direction !== "asc" && direction !== "desc")
    fail("direction", "Expected asc or desc.");
  const limitRaw = params.get("limit");
  const limit = limitRaw === null ? DEFAULT_LIMIT : Number(limitRaw);
  if (limitRaw !== null && (!/^\d+$/.test(limitRaw) || limit < 1 || limit > MAX_LIMIT))
    fail("limit", `Expected a whole number from 1 to ${MAX_LIMIT}.`);
  const cursor = params.get("cursor");
  if (cursor !== null && !CURSOR_SHAPE.test(cursor))
    fail("cursor", "Expected a cursor from a previous response.");

  if (errors.length > 0 || !actionTime) return { ok: false, errors };
  // Nothing older than the retention exists upstream, so an earlier start is narrowed, not refused.
  const oldest = now.getTime() - MAX_AGE_DAYS * DAY_MS;
  const wanted =
    sinceIn?.getTime() ?? Math.min(actionTime.getTime(), now.getTime()) - DEFAULT_LOOKBACK_DAYS * DAY_MS;
  const since = new Date(Math.max(oldest, wanted));
  const before = beforeIn ?? now;
  if (before.getTime() <= since.getTime()) fail("before", "Must be later than since.");
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id,
      actionTime,
      since,
      before,
      direction: direction === "asc" || direction === "desc" ? direction : null,
      limit,
      cursor,
    },
  };
}

/** Resource history is a v2 feature; v1 mode answers this instead of calling upstream. */
export function historyNeedsV2(): ProblemError {
  return new ProblemError({
    status: 400,
    slug: "invalid-query",
    title: "History needs the v2 API",
    detail: "Resource change history is only available with the v2 audit logs API (AUDIT_LOGS_API=v2).",
  });
}

/** Fetch one page of the change history of the resource an entry touched. */
export async function fetchHistory(
  config: Config,
  request: HistoryRequest,
  send: Send,
  options: { signal?: AbortSignal; deadlineMs?: number } = {},
): Promise<HistoryPage> {
  if (!capabilities(config.api).history) throw historyNeedsV2();
  const query: UpstreamQuery = {
    action_time: request.actionTime.toISOString(),
    since: request.since.toISOString(),
    before: request.before.toISOString(),
    limit: request.limit,
  };
  if (request.direction) query.direction = request.direction;
  if (request.cursor) query.cursor = request.cursor;
  const page = await send({
    path: `/accounts/${encodeURIComponent(config.accountId)}/logs/audit/${encodeURIComponent(request.id)}/history`,
    query,
    parse: parseV2Page,
    signal: options.signal,
    deadlineMs: options.deadlineMs ?? config.upstreamTimeoutMs,
    notFoundDetail: "No audit log entry with this ID was found around action_time.",
  });
  return {
    data: page.data,
    nextCursor: page.cursor,
    // The status is required upstream; without it, say no more than the data shows.
    historyStatus: page.historyStatus ?? (page.data.length === 0 ? "unavailable" : "approximate"),
  };
}
