/**
 * v2 `GET /accounts/{id}/logs/audit/{id}/history`: the change history of the resource an entry
 * touched, within `since`…`before`, in chronological order (`direction` respected).
 *
 * `history_status` in the sandbox: `unavailable` (empty result) for entries made by Cloudflare's own
 * systems; `approximate` for settings resources, whose URIs carry no id, matched by type and zone;
 * `exact` for everything else, matched by resource id. The source entry must lie within a day of
 * `action_time`, else it is "not found".
 */
import { lowerBound, type Dataset } from "./dataset";
import { json, v2Failure } from "./envelope";
import { cursorFor, listPage, resume, scanPage, type Page } from "./paging";
import { decodeEntryId } from "./prng";
import { parseTime, parseWindow } from "./query";
import { typeOf, v2Record } from "./record";
import { fingerprint, type RouteContext } from "./v2";

const LOOKUP_TOLERANCE_MS = 86_400_000;

/** Entries of each resource, as one list grouped by resource (built on first use). */
const byResource = new WeakMap<Dataset, { start: Uint32Array; list: Uint32Array }>();

function resourceEntries(ds: Dataset, n: number): Uint32Array {
  let index = byResource.get(ds);
  if (!index) {
    const start = new Uint32Array(ds.resCount + 1);
    for (let i = 0; i < ds.size; i++) start[ds.res[i] + 1]++;
    for (let r = 0; r < ds.resCount; r++) start[r + 1] += start[r];
    const fill = start.slice(0, -1);
    const list = new Uint32Array(ds.size);
    for (let i = 0; i < ds.size; i++) list[fill[ds.res[i]]++] = i;
    index = { start, list };
    byResource.set(ds, index);
  }
  return index.list.subarray(index.start[n], index.start[n + 1]);
}

function notFound(url: URL): Response {
  return json(
    404,
    {
      success: false,
      errors: [{ message: "Audit log entry not found" }],
      result: null,
      result_info: { count: 0, history_status: "unavailable" },
    },
    url.href,
  );
}

export function history(ctx: RouteContext, id: string): Response {
  const { ds, accountId, url } = ctx;
  const errors: string[] = [];
  const actionTimeText = url.searchParams.get("action_time");
  const actionTime = actionTimeText ? parseTime(actionTimeText, false) : null;
  if (!actionTimeText) errors.push("action_time is required");
  else if (actionTime === null)
    errors.push(`action_time must be an RFC 3339 timestamp, got "${actionTimeText}"`);
  const window = parseWindow(url.searchParams, errors);
  if (errors.length) return v2Failure(400, errors, url.href);

  const source = decodeEntryId(ds.seed, id, ds.size);
  if (source < 0 || Math.abs(ds.time[source] - (actionTime ?? 0)) > LOOKUP_TOLERANCE_MS) return notFound(url);

  const desc = window.direction === "desc";
  const lo = lowerBound(ds, window.since);
  const hi = lowerBound(ds, window.before);
  const print = fingerprint(
    ds,
    accountId,
    `history|${source}|${window.since}|${window.before}|${window.direction}`,
  );
  const start = resume(ds, window.cursor, print, desc, lo, hi);
  if (typeof start === "string") return v2Failure(400, [start], url.href);

  const def = typeOf(ds, source);
  let status: "exact" | "approximate" | "unavailable";
  let page: Page;
  if (ds.identities[ds.ident[source]].type === "system") {
    status = "unavailable";
    page = { items: [], next: -1 };
  } else if (def.idKind === "singleton") {
    status = "approximate";
    const type = (ds.op[source] / 3) | 0;
    const zone = ds.zone[source];
    page = scanPage(
      lo,
      hi,
      desc,
      start,
      window.limit,
      (i) => ((ds.op[i] / 3) | 0) === type && ds.zone[i] === zone,
    );
  } else {
    status = "exact";
    const all = resourceEntries(ds, ds.res[source]);
    const from = firstAtLeast(all, lo);
    page = listPage(
      all.subarray(from, from + firstAtLeast(all.subarray(from), hi)),
      desc,
      start,
      window.limit,
    );
  }
  return json(
    200,
    {
      success: true,
      errors: [],
      result: page.items.map((i) => v2Record(ds, i, accountId)),
      result_info: {
        count: page.items.length,
        ...(page.next >= 0 ? { cursor: cursorFor(ds, print, desc, page.next) } : {}),
        history_status: status,
      },
    },
    url.href,
  );
}

function firstAtLeast(list: Uint32Array, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
