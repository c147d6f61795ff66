import "server-only";
import { MAX_AGE_DAYS, resolveTimeWindow, upstreamFilters, type LogQuery } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import { decodeCursor, encodeCursor } from "@/lib/server/cursor";
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
  /**
   * How recent the sync's last complete pass may be for the archive to answer a window ending after it
   * (up to now), saying `asOf` that pass. 0 (the default): only windows ending by that pass.
   */
  freshForMs?: number;
}

/**
 * Archive pages continue from the sort key and id of their last entry. The cursor is the same signed
 * cursor as the API path's (bound to the query and its window), with a position the upstream never uses.
 */
const ARCHIVE_POSITION = /^archive:(-?\d{1,19}):([\s\S]+)$/;

function archiveCursor(config: Config, query: LogQuery, ord: string, id: string, window: Window): string {
  return encodeCursor(config, query, `archive:${ord}:${id}`, window);
}

export type Window = { since: Date; before: Date };

const DAY_MS = 86_400_000;

export interface CoveredSpan {
  from: number;
  to: number;
  /** Set when `to` reaches past the last complete pass: entries after this instant are not in yet. */
  asOf: number | null;
}

/**
 * Beyond a follow run's interval, this much more: a pass older than that means the sync is stuck or
 * failing, and a window ending now goes to the API again.
 */
export const FRESH_MARGIN_MS = 60_000;

/** How recent the last pass must be for the archive to answer windows ending now. */
export const freshForMs = (intervalMs: number) => intervalMs + FRESH_MARGIN_MS;

/**
 * The span the archive answers for, or null when it holds none yet. With `fresh`, while the backfill is
 * done and the last complete pass ended at most `withinMs` ago, the span reaches up to now: a view
 * ending now is answered as of that pass instead of calling the API (the sync fetches the rest within
 * one interval). A second past now is allowed, as windows are asked in whole seconds.
 */
export function coveredSpan(
  position: SyncPosition | null,
  fresh?: { now: number; withinMs: number },
): CoveredSpan | null {
  if (!position) return null;
  const from = position.backfillDone ? position.since : position.backfillBefore;
  if (from >= position.coveredTo) return null;
  if (fresh && position.backfillDone && fresh.now - position.coveredTo <= fresh.withinMs)
    return { from, to: Math.max(position.coveredTo, fresh.now + 1000), asOf: position.coveredTo };
  return { from, to: position.coveredTo, asOf: null };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A query's window and filters as SQL conditions on archive_entries, with their parameters. */
export interface ArchiveFilter {
  where: string[];
  params: unknown[];
  /** Adds a parameter and returns its placeholder. */
  p: (value: unknown) => string;
  /** The conditions of `where` other than the window's. */
  filters: string[];
}

/**
 * Rows with `lo ≤ time < hi` (placeholders of milliseconds), stated on the sort key too (ord lies in
 * (time·10⁶ − 10⁶, time·10⁶]) so that its index serves them.
 */
export function windowConditions(lo: string, hi: string): string[] {
  return [
    `time_ms >= ${lo}::bigint`,
    `time_ms < ${hi}::bigint`,
    `ord > (${lo}::bigint - 1) * 1000000`,
    `ord <= (${hi}::bigint - 1) * 1000000`,
  ];
}

/**
 * The rows of `window` that `query` and the text search `q` select, matched as the API matches them;
 * or why the archive cannot tell which rows those are.
 */
export function archiveFilter(
  query: LogQuery,
  window: Window,
  q: string | null | undefined,
): ArchiveFilter | { reason: string } {
  const params: unknown[] = [window.since.getTime(), window.before.getTime()];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = windowConditions("$1", "$2");
  const windowed = where.length;
  // v1 tells user-level entries apart by fields its entries do not carry.
  if (query.hide_user_logs) return { reason: "the archive cannot apply hide_user_logs" };
  // As sent upstream: `automation` is a set of actor contexts there, and so here.
  for (const filter of upstreamFilters(query)) {
    const spec = COLUMN_OF[filter.param];
    if (!spec) return { reason: `the archive cannot apply ${filter.param}` };
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
  if (q) where.push(`search like ${p(`%${escapeLike(q.toLowerCase())}%`)}`);
  return { where, params, p, filters: where.slice(windowed) };
}

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
  let resume: { ord: string; id: string } | null = null;
  let window: Window = resolveTimeWindow(query, options.now);
  if (options.cursor) {
    // A bad or foreign cursor is a 400 here, as on the API path.
    // The archive keeps entries past Cloudflare's retention, so its cursors may reach back further.
    const decoded = decodeCursor(config, query, options.cursor, options.now, { beyondRetention: true });
    const position = ARCHIVE_POSITION.exec(decoded.next);
    if (!position) return { covered: false, reason: "the cursor is the API's" };
    resume = { ord: position[1], id: position[2] };
    window = decoded.window;
  }
  const position = await getState<SyncPosition>(sql, "sync");
  const span = coveredSpan(position, { now: options.now.getTime(), withinMs: options.freshForMs ?? 0 });
  if (!position || position.source !== sourceOf(config) || !span)
    return { covered: false, reason: "the archive holds no entries of this account yet" };
  if (window.since.getTime() < span.from || window.before.getTime() > span.to)
    return {
      covered: false,
      reason: `the archive holds ${new Date(span.from).toISOString()} to ${new Date(span.to).toISOString()}`,
    };

  const filter = archiveFilter(query, window, options.q);
  if ("reason" in filter) return { covered: false, reason: filter.reason };
  const { where, params, p } = filter;
  const desc = query.direction === "desc";
  if (resume) where.push(`(ord, id) ${desc ? "<" : ">"} (${p(resume.ord)}::bigint, ${p(resume.id)})`);
  const order = desc ? "ord desc, id desc" : "ord asc, id asc";
  // The page's rows are picked from the covering index alone; only they are then read whole.
  const rows = await sql.query<{ raw: string; ord: string; id: string }>(
    `with picked as (
       select ord, id from archive_entries where ${where.join(" and ")}
        order by ${order} limit ${p(options.limit + 1)}
     )
     select e.raw, picked.ord::text as ord, picked.id from picked join archive_entries e on e.id = picked.id
      order by ${order.replace(/(ord|id) /g, "picked.$1 ")}`,
    params,
  );
  const more = rows.length > options.limit;
  const shown = more ? rows.slice(0, options.limit) : rows;
  const last = shown.at(-1);
  const since = window.since.toISOString();
  const before = window.before.toISOString();
  // Entries older than this are no longer kept by Cloudflare: the archive is their only copy.
  const retained = options.now.getTime() - MAX_AGE_DAYS * DAY_MS;
  return {
    covered: true,
    page: {
      data: shown.map((row) => entryFromRaw(row.raw, config.api)),
      nextCursor: more && last ? archiveCursor(config, query, last.ord, last.id, window) : null,
      meta: {
        api: config.api,
        mode: config.mode,
        since,
        before,
        source: "archive",
        ...(window.since.getTime() < retained ? { retainedSince: new Date(retained).toISOString() } : {}),
        ...(span.asOf !== null && window.before.getTime() > span.asOf
          ? { asOf: new Date(span.asOf).toISOString() }
          : {}),
      },
    },
  };
}
