import "server-only";
import { resolveTimeWindow, type LogQuery } from "@/lib/search-params";
import type { Config } from "./config";
import { badCursor, decodeCursor, encodeCursor } from "./cursor";
import { logPage, type CallContext } from "./gateway";
import { localFilter } from "./local-filter";
import type { FetchLogPage } from "./stats";
import type { LogPage } from "./upstream";
import { selectEntries, walkCovering, walkWindow } from "./window-walk";

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

/**
 * One page of `/api/logs` from a kept complete walk of its window, with no upstream call: the rows the
 * upstream would send, in its order, with the same page ends (a page is short only at the end, and the
 * last page has no cursor). Null when no walk holds the window or a filter cannot be applied here; the
 * caller then asks the upstream. A cursor of a walk no longer kept walks the window again.
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
    const position = WALK_POSITION.exec(resume.next);
    if (!position) return null;
    startId = position[1];
    window = resume.window;
  }
  const since = window.since.getTime();
  // Nothing is logged after now, so a window ending later holds what its walk up to now holds.
  const before = Math.min(window.before.getTime(), Math.ceil(options.now.getTime() / 1000) * 1000);
  if (before <= since) return null;
  let walk = await walkCovering(config, since, before, ctx, fetchPage, options.now);
  if (!walk && startId !== null) {
    const outcome = await walkWindow(config, since, before, ctx, fetchPage, options.now);
    if (!outcome.complete) throw badCursor("This page's view has expired: start again from the first page.");
    walk = { since, before, entries: outcome.entries };
  }
  if (!walk) return null;
  const rows = selectEntries(walk, since, before, test, query.direction);
  const start = startId === null ? 0 : rows.findIndex((entry) => entry.id === startId);
  if (start < 0) throw badCursor("This page's view has changed: start again from the first page.");
  const data = rows.slice(start, start + options.limit);
  const next = rows[start + options.limit];
  return {
    data,
    nextCursor: next ? encodeCursor(config, query, `walk:${next.id}`, window) : null,
    meta: {
      api: config.api,
      mode: config.mode,
      since: window.since.toISOString(),
      before: window.before.toISOString(),
    },
  };
}
