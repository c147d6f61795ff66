import "server-only";
import { activeFilters, resolveTimeWindow, type LogQuery } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import type { LogPage } from "@/lib/server/upstream";
import type { Sql } from "./db";
import { entryFromRaw, getState } from "./store";
import { sourceOf, type SyncPosition } from "./sync";

type Match = "exact" | "caseless" | "number" | "ip";

/**
 * Each filter of the URL model as a column of the archive, matched as the API matches it (emails,
 * zone names and methods ignore case; addresses match ranges). `product_category` is not here: its
 * products are the upstream's to say, so such a query goes upstream.
 */
const COLUMN_OF: Record<string, [string, Match]> = {
  action_type: ["action_type", "exact"],
  action_result: ["action_result", "exact"],
  actor_email: ["actor_email", "caseless"],
  actor_ip_address: ["actor_inet", "ip"],
  actor_type: ["actor_type", "exact"],
  actor_context: ["actor_context", "exact"],
  actor_id: ["actor_id", "exact"],
  actor_token_id: ["actor_token_id", "exact"],
  actor_token_name: ["actor_token_name", "exact"],
  resource_type: ["resource_type", "exact"],
  resource_product: ["resource_product", "exact"],
  resource_id: ["resource_id", "exact"],
  resource_scope: ["resource_scope", "exact"],
  zone_id: ["zone_id", "exact"],
  zone_name: ["zone_name", "caseless"],
  account_name: ["account_name", "exact"],
  raw_cf_ray_id: ["ray_id", "exact"],
  raw_method: ["method", "caseless"],
  raw_status_code: ["status_code", "number"],
  raw_uri: ["uri", "exact"],
  id: ["id", "exact"],
};

export type ArchiveAnswer = { covered: true; page: LogPage } | { covered: false; reason: string };

export interface ArchiveReadOptions {
  cursor: string | null;
  limit: number;
  now: Date;
  /** Text search over every value of an entry. */
  q?: string | null;
}

interface ArchiveCursor {
  /** Sort key and id of the last entry of the previous page. */
  o: string;
  i: string;
  s: string;
  b: string;
}

const encode = (c: ArchiveCursor) => "a" + Buffer.from(JSON.stringify(c)).toString("base64url");

function decode(cursor: string): ArchiveCursor | null {
  if (!cursor.startsWith("a")) return null;
  try {
    const c = JSON.parse(
      Buffer.from(cursor.slice(1), "base64url").toString("utf8"),
    ) as Partial<ArchiveCursor>;
    const ok =
      typeof c.o === "string" &&
      /^-?\d{1,19}$/.test(c.o) &&
      typeof c.i === "string" &&
      typeof c.s === "string" &&
      typeof c.b === "string" &&
      !Number.isNaN(Date.parse(c.s)) &&
      !Number.isNaN(Date.parse(c.b));
    return ok ? (c as ArchiveCursor) : null;
  } catch {
    return null;
  }
}

/** Whether a cursor was issued by the archive (its pages continue there). */
export const isArchiveCursor = (cursor: string | null | undefined) => !!cursor && decode(cursor) !== null;

/** The span the archive holds completely, or null when it holds none yet. */
export function coveredSpan(position: SyncPosition | null): { from: number; to: number } | null {
  if (!position) return null;
  const from = position.backfillDone ? position.since : position.backfillBefore;
  return from < position.coveredTo ? { from, to: position.coveredTo } : null;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of `/api/logs` from the archive, when it holds the query's whole window: the same rows, in
 * the same order and with the same page ends as the API. Otherwise says why not.
 */
export async function readArchivePage(
  sql: Sql,
  config: Config,
  query: LogQuery,
  options: ArchiveReadOptions,
): Promise<ArchiveAnswer> {
  const resume = options.cursor ? decode(options.cursor) : null;
  if (options.cursor && !resume) return { covered: false, reason: "the cursor is the API's" };
  const window = resume
    ? { since: new Date(resume.s), before: new Date(resume.b) }
    : resolveTimeWindow(query, options.now);
  const position = await getState<SyncPosition>(sql, "sync");
  const span = coveredSpan(position);
  if (!position || position.source !== sourceOf(config) || !span)
    return { covered: false, reason: "the archive holds no entries of this account yet" };
  if (window.since.getTime() < span.from || window.before.getTime() > span.to)
    return {
      covered: false,
      reason: `the archive holds ${new Date(span.from).toISOString()} to ${new Date(span.to).toISOString()}`,
    };

  const params: unknown[] = [window.since.getTime(), window.before.getTime()];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // The same window on the sort key too (ord lies in (time·10⁶ − 10⁶, time·10⁶]), so its index serves it.
  const where = [
    "time_ms >= $1::bigint",
    "time_ms < $2::bigint",
    "ord > ($1::bigint - 1) * 1000000",
    "ord <= ($2::bigint - 1) * 1000000",
  ];
  for (const filter of activeFilters(query)) {
    const spec = COLUMN_OF[filter.param];
    if (!spec) return { covered: false, reason: `the archive cannot apply ${filter.param}` };
    const [column, match] = spec;
    const tests = filter.values.map((value) => {
      switch (match) {
        case "exact":
          return `${column} = ${p(value)}`;
        case "caseless":
          return `lower(${column}) = lower(${p(value)})`;
        case "number":
          return `${column} = ${p(Number(value))}::int`;
        case "ip":
          return `${column} <<= ${p(value)}::inet`;
      }
    });
    const any = `(${tests.join(" or ")})`;
    where.push(filter.negated ? `not coalesce(${any}, false)` : any);
  }
  if (options.q) where.push(`search like ${p(`%${escapeLike(options.q.toLowerCase())}%`)}`);
  const desc = query.direction === "desc";
  if (resume) where.push(`(ord, id) ${desc ? "<" : ">"} (${p(resume.o)}::bigint, ${p(resume.i)})`);
  const order = desc ? "ord desc, id desc" : "ord asc, id asc";
  const rows = await sql.query<{ raw: string; ord: string; id: string }>(
    `select raw, ord::text as ord, id from archive_entries where ${where.join(" and ")}
      order by ${order} limit ${p(options.limit + 1)}`,
    params,
  );
  const more = rows.length > options.limit;
  const shown = more ? rows.slice(0, options.limit) : rows;
  const last = shown.at(-1);
  const since = window.since.toISOString();
  const before = window.before.toISOString();
  return {
    covered: true,
    page: {
      data: shown.map((row) => entryFromRaw(row.raw, config.api)),
      nextCursor: more && last ? encode({ o: last.ord, i: last.id, s: since, b: before }) : null,
      meta: { api: config.api, mode: config.mode, since, before },
    },
  };
}
