/**
 * Following new entries live: when it is possible, what to ask for, and how the answer joins the
 * loaded rows. Pure functions; the polling itself is components/log-explorer/use-live-follow.ts.
 */
import type { InfiniteData } from "@tanstack/react-query";
import type { AuditLog } from "./audit-log";
import type { LogPage, PageParam } from "./queries";
import { serializeApi, type LogQuery } from "./search-params";

/** How often live mode asks for new entries: a few calls a minute out of a shared upstream budget. */
export const LIVE_POLL_MS = 20_000;
/** How long a new entry stays marked as new. */
export const LIVE_NEW_MS = 8_000;
/** Scrolled further than this from the top, the user is reading older rows: live mode waits. */
export const LIVE_TOP_SLACK_PX = 48;
/** Entries one check asks for; more than this since the last check and the list is reloaded instead. */
export const LIVE_LIMIT = 100;
/**
 * Header telling the server a request is a live check, not something a person is waiting on: the
 * route spends its upstream call at the activity overview's priority, below a person's requests.
 */
export const LIVE_PRIORITY_HEADER = "x-request-priority";
export const LIVE_PRIORITY = "live";

export type LiveAvailability = { available: true } | { available: false; reason: string };

/** Live mode follows the newest entries of a relative range; a pinned window or oldest-first cannot. */
export function liveAvailability(query: Pick<LogQuery, "since" | "direction">): LiveAvailability {
  if (query.since)
    return {
      available: false,
      reason: "Live needs a relative time range: this view is pinned to a fixed window.",
    };
  if (query.direction === "asc")
    return { available: false, reason: "Live shows the newest entries first: sort newest first to use it." };
  return { available: true };
}

/**
 * The `/api/logs` URL of one live check: entries at or after the newest loaded one (the upstream's
 * `since` is inclusive, so that one comes back too and is dropped by {@link mergeLive}).
 */
export function liveCheckUrl(query: LogQuery, newest: string): string {
  return `/api/logs${serializeApi({ ...query, range: null, since: newest, before: null, limit: LIVE_LIMIT })}`;
}

/** Where a live check starts: the newest loaded entry, or the start of the loaded window when empty. */
export function liveSince(data: InfiniteData<LogPage, PageParam> | undefined): string | null {
  const first = data?.pages[0];
  if (!first) return null;
  return first.data[0]?.time ?? first.meta.since;
}

/**
 * The loaded pages with a check's entries on top, each id once, newest first. The first page keeps its
 * cursor and window, so scrolling on to older pages is unchanged.
 */
export function mergeLive(
  data: InfiniteData<LogPage, PageParam>,
  fresh: AuditLog[],
): { data: InfiniteData<LogPage, PageParam>; added: AuditLog[] } {
  const known = new Set(data.pages.flatMap((page) => page.data.map((row) => row.id)));
  const added = fresh
    .filter((row) => !known.has(row.id))
    .sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  if (added.length === 0) return { data, added };
  const [first, ...rest] = data.pages;
  return { data: { ...data, pages: [{ ...first, data: [...added, ...first.data] }, ...rest] }, added };
}
