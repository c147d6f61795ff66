/**
 * Cursor paging over a time window: collect up to `limit` matching entries in the requested direction,
 * then look ahead for one more match so the last page carries no cursor (and no page is empty unless
 * nothing matches). The next cursor points at that look-ahead entry, so pages never overlap or skip.
 */
import { decodeCursor, encodeCursor, RESTART } from "./cursor";
import type { Dataset } from "./dataset";
import type { Predicate } from "./filters";

export interface Page {
  items: number[];
  /** Index of the first entry of the next page, or -1 on the last page. */
  next: number;
}

/** Pages through entries `lo`…`hi - 1` (time order), starting at `start` (inclusive) when given. */
export function scanPage(
  lo: number,
  hi: number,
  desc: boolean,
  start: number | null,
  limit: number,
  test: Predicate | null,
): Page {
  const items: number[] = [];
  if (desc) {
    for (let i = start ?? hi - 1; i >= lo; i--) {
      if (test !== null && !test(i)) continue;
      if (items.length === limit) return { items, next: i };
      items.push(i);
    }
  } else {
    for (let i = start ?? lo; i < hi; i++) {
      if (test !== null && !test(i)) continue;
      if (items.length === limit) return { items, next: i };
      items.push(i);
    }
  }
  return { items, next: -1 };
}

/** Pages through a list of entry indexes (ascending), starting at entry `start` when given. */
export function listPage(list: ArrayLike<number>, desc: boolean, start: number | null, limit: number): Page {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < (start ?? 0)) lo = mid + 1;
    else hi = mid;
  }
  const positions: Page = { items: [], next: -1 };
  const first = start === null ? (desc ? list.length - 1 : 0) : lo;
  if (start !== null && list[first] !== start) return positions;
  for (let p = first; desc ? p >= 0 : p < list.length; p += desc ? -1 : 1) {
    if (positions.items.length === limit) return { ...positions, next: list[p] };
    positions.items.push(list[p]);
  }
  return positions;
}

/**
 * Where a request resumes: `null` (no cursor: from the start), an entry index, or an error message
 * when the cursor is malformed, from another query, or outside the window.
 */
export function resume(
  ds: Dataset,
  cursor: string | null,
  fingerprint: number,
  desc: boolean,
  lo: number,
  hi: number,
): number | null | string {
  if (cursor === null) return null;
  const position = decodeCursor(cursor, fingerprint, desc);
  if (typeof position === "string") return position;
  if (position.index === RESTART) return null;
  if (position.index < lo || position.index >= hi || ds.time[position.index] !== position.seconds * 1000) {
    return "cursor does not belong to this query";
  }
  return position.index;
}

export function cursorFor(ds: Dataset, fingerprint: number, desc: boolean, next: number): string {
  return encodeCursor(
    fingerprint,
    desc,
    next === RESTART ? { index: RESTART, seconds: 0 } : { index: next, seconds: ds.time[next] / 1000 },
  );
}
