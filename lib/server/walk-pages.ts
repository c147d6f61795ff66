import "server-only";
import { DEFAULT_RANGE, resolveTimeWindow, type LogQuery } from "@/lib/search-params";
import type { Config } from "./config";
import { badCursor, decodeCursor, encodeCursor } from "./cursor";
import { logPage, type CallContext } from "./gateway";
import { localFilter } from "./local-filter";
import type { FetchLogPage } from "./stats";
import type { LogPage } from "./upstream";
import { holdsFrom, pageOfEntries, walkCovering, walkWindow } from "./window-walk";

/**
 * Pages answered from a kept walk continue from the id of their next entry, inside the same signed
 * cursor as upstream pages (bound to the query and its window), with a prefix the upstream never uses.
 */
const WALK_POSITION = /^walk:([\s\S]+)$/;

export interface WalkPageOptions {
  cursor: string | null;
  limit: number;
  now: Date;
}

/** A walk's pages are read once, into the walk, and not kept as pages. */
const throughGateway: FetchLogPage = (config, query, options, ctx) =>
  logPage(config, query, { ...options, cache: false }, ctx);

/** Where a capped walk's pages end: the page after continues upstream, over the part it does not hold. */
const HELD_END = /^walk-end:(\d+)$/;

/**
 * One page of `/api/logs` from a kept walk of its window, with no upstream call: the rows the upstream
 * would send, in its order, with the same page ends (a page is short only at the end, and the last page
 * has no cursor). A walk the entry cap stopped holds only the window's newest part: newest-first pages
 * are answered from it while it reaches, and the page where it ends continues upstream over the rest
 * of the window. Null when no walk will do or a filter cannot be applied here; the caller then asks the
 * upstream. A cursor of a walk no longer kept walks the window again.
 */
export async function walkLogPage(
  config: Config,
  query: LogQuery,
  options: WalkPageOptions,
  ctx: CallContext,
  fetchPage: FetchLogPage = throughGateway,
): Promise<LogPage | null> {
  const test = localFilter(config.api, query);
  if (!test) return null;
  let window = resolveTimeWindow(query, options.now);
  let startId: string | null = null;
  if (options.cursor) {
    const resume = decodeCursor(config, query, options.cursor, options.now);
    window = resume.window;
    const end = HELD_END.exec(resume.next);
    if (end) return restUpstream(config, query, window, Number(end[1]), [], options, ctx);
    const position = WALK_POSITION.exec(resume.next);
    if (!position) return null;
    startId = position[1];
  }
  const since = window.since.getTime();
  // Nothing is logged after now, so a window ending later holds what its walk up to now holds.
  const before = Math.min(window.before.getTime(), Math.ceil(options.now.getTime() / 1000) * 1000);
  if (before <= since) return null;
  let walk = await walkCovering(config, since, before, ctx, fetchPage, options.now);
  if (!walk && startId !== null) {
    const outcome = await walkWindow(config, since, before, ctx, fetchPage, options.now);
    if (outcome.refusal) throw outcome.refusal;
    walk = { since, before, entries: outcome.entries, heldSince: outcome.heldSince };
  }
  if (!walk) return null;
  const whole = holdsFrom(walk, since);
  // Oldest-first pages start in the part a capped walk does not hold.
  if (!whole && query.direction === "asc") {
    if (startId === null) return null;
    throw badCursor("This page's view has expired: start again from the first page.");
  }
  const heldSince = Math.max(since, walk.heldSince);
  const rows = pageOfEntries(walk, heldSince, before, test, query.direction, startId, options.limit + 1);
  if (!rows) throw badCursor("This page's view has changed: start again from the first page.");
  const data = rows.slice(0, options.limit);
  const next = rows[options.limit];
  const page = (nextCursor: string | null): LogPage => ({ data, nextCursor, meta: metaOf(config, window) });
  if (next) return page(encodeCursor(config, query, `walk:${next.id}`, window));
  if (whole) return page(null);
  // A first page the held part cannot fill goes upstream whole, as it would without a walk.
  if (startId === null) return null;
  if (data.length === options.limit)
    return page(encodeCursor(config, query, `walk-end:${heldSince}`, window));
  return restUpstream(config, query, window, heldSince, data, options, ctx);
}

const metaOf = (config: Config, window: { since: Date; before: Date }): LogPage["meta"] => ({
  api: config.api,
  mode: config.mode,
  since: window.since.toISOString(),
  before: window.before.toISOString(),
});

/**
 * A page made of `head` (the last rows a capped walk holds) and the first rows of the window before
 * `heldSince` from the upstream, with the upstream's cursor for the pages after it.
 */
async function restUpstream(
  config: Config,
  query: LogQuery,
  window: { since: Date; before: Date },
  heldSince: number,
  head: LogPage["data"],
  options: WalkPageOptions,
  ctx: CallContext,
): Promise<LogPage> {
  const meta = metaOf(config, window);
  if (heldSince <= window.since.getTime()) return { data: head, nextCursor: null, meta };
  // The cursors of this narrower query are bound to the same filters and direction, so they page on
  // under the view's own query.
  const rest: LogQuery = {
    ...query,
    range: DEFAULT_RANGE,
    since: window.since.toISOString(),
    before: new Date(heldSince).toISOString(),
  };
  const tail = await logPage(
    config,
    rest,
    { cursor: null, limit: options.limit - head.length, now: options.now },
    ctx,
  );
  return { data: [...head, ...tail.data], nextCursor: tail.nextCursor, meta };
}
