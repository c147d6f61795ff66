import "server-only";
import type { AuditLog } from "@/lib/audit-log";
import { normalizeV1Entry, normalizeV2Entry } from "@/lib/server/normalize";
import type { Sql } from "./db";

/** One entry as the sync stores it: the normalized row and its rank within its instant. */
export interface Incoming {
  entry: AuditLog;
  /** 0 for the newest entry of an instant in the upstream's order, 1 for the next… */
  rank: number;
}

/**
 * U+0000 and unpaired surrogates cannot be stored in a text column; replacing them only affects the
 * filter and search copies (filter values never hold either), never `raw`.
 */
const storable = (v: string) => v.toWellFormed().replace(/\u0000/g, "\uFFFD");
const clean = (v: string | null) => (v === null ? null : storable(v));

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;
/** The address as an `inet` for range filters, or null when it is not a plain address. */
function inetOf(ip: string | null): string | null {
  if (!ip) return null;
  if (IPV4.test(ip)) return ip.split(".").every((o) => Number(o) <= 255) ? ip : null;
  return ip.includes(":") && IPV6.test(ip) ? ip : null;
}

/** Every string, number and boolean of a JSON value, lower-cased, one per line: what `q` searches. */
export function searchText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (v === null || v === undefined) return;
    if (typeof v === "object") {
      for (const child of Array.isArray(v) ? v : Object.values(v as object)) walk(child);
      return;
    }
    out.push(String(v));
  };
  walk(value);
  return storable(out.join("\n").toLowerCase());
}

const COLUMNS = [
  "id",
  "time_ms",
  "rank",
  "day",
  "action_type",
  "action_result",
  "actor_email",
  "actor_ip",
  "actor_inet",
  "actor_type",
  "actor_context",
  "actor_id",
  "actor_token_id",
  "actor_token_name",
  "resource_type",
  "resource_product",
  "resource_id",
  "resource_scope",
  "zone_id",
  "zone_name",
  "account_name",
  "ray_id",
  "method",
  "status_code",
  "uri",
  "raw",
  "search",
] as const;

const TYPES: Record<string, string> = {
  time_ms: "bigint",
  rank: "integer",
  day: "date",
  actor_inet: "inet",
  status_code: "integer",
};
const RECORD_TYPES = COLUMNS.map((c) => `${c} ${TYPES[c] ?? "text"}`).join(", ");

function rowOf({ entry: e, rank }: Incoming, timeMs: number): unknown[] {
  return [
    e.id,
    timeMs,
    rank,
    new Date(timeMs).toISOString().slice(0, 10),
    clean(e.actionType),
    clean(e.actionResult),
    clean(e.actorEmail),
    clean(e.actorIp),
    inetOf(e.actorIp),
    clean(e.actorType),
    clean(e.actorContext),
    clean(e.actorId),
    clean(e.actorTokenId),
    clean(e.actorTokenName),
    clean(e.resourceType),
    clean(e.resourceProduct),
    clean(e.resourceId),
    clean(e.resourceScope),
    clean(e.zoneId),
    clean(e.zoneName),
    clean(e.accountName),
    clean(e.rayId),
    clean(e.method),
    e.statusCode,
    clean(e.uri),
    // JSON text escapes U+0000 and lone surrogates, so the upstream object comes back as it was.
    JSON.stringify(e.raw),
    searchText(e.raw),
  ];
}

/** Milliseconds of an entry's time, or null when the upstream sent no usable time. */
export function timeOf(entry: AuditLog): number | null {
  const ms = Date.parse(entry.time);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Insert or update entries by id, so walking the same span twice changes nothing. An unchanged entry
 * is not rewritten.
 */
export async function upsertEntries(sql: Sql, entries: Incoming[]): Promise<void> {
  const rows = entries.flatMap((incoming) => {
    const ms = timeOf(incoming.entry);
    return ms === null || !incoming.entry.id ? [] : [rowOf(incoming, ms)];
  });
  if (rows.length === 0) return;
  // One parameter for the whole page: a JSON array of rows, unpacked by the database. Every value in it
  // is text without U+0000 (`raw` is itself JSON text, whose escapes stay escapes), so `json` accepts it.
  const payload = JSON.stringify(rows.map((row) => Object.fromEntries(COLUMNS.map((c, k) => [c, row[k]]))));
  const updates = COLUMNS.filter((c) => c !== "id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");
  await sql.query(
    `insert into archive_entries (${COLUMNS.join(",")})
     select ${COLUMNS.join(",")} from json_to_recordset($1::text::json) as r(${RECORD_TYPES})
     on conflict (id) do update set ${updates}
     where archive_entries.raw is distinct from excluded.raw or archive_entries.rank <> excluded.rank`,
    [payload],
  );
}

/** The upstream entry as it was received. */
export function parseRaw(raw: string): unknown {
  return JSON.parse(raw);
}

/** The normalized row of a stored entry, exactly as the API path builds it. */
export function entryFromRaw(raw: string, api: "v1" | "v2"): AuditLog {
  const value = parseRaw(raw);
  return api === "v2" ? normalizeV2Entry(value) : normalizeV1Entry(value);
}

export async function getState<T>(sql: Sql, key: string): Promise<T | null> {
  const rows = await sql.query<{ value: string }>("select value from archive_state where key = $1", [key]);
  return rows[0] ? (JSON.parse(rows[0].value) as T) : null;
}

export async function setState(sql: Sql, key: string, value: unknown): Promise<void> {
  await sql.query(
    "insert into archive_state (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value",
    [key, JSON.stringify(value)],
  );
}

export async function countEntries(sql: Sql): Promise<number> {
  const rows = await sql.query<{ n: number }>("select count(*)::int as n from archive_entries");
  return rows[0]?.n ?? 0;
}
