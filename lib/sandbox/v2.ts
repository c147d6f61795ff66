/**
 * v2 `GET /accounts/{id}/logs/audit` and `…/logs/audit/product_categories`.
 *
 * Sandbox decisions where Cloudflare is silent: `since` is inclusive and `before` exclusive; the last
 * page has no `result_info.cursor` (the key is absent); `result_info.count` is the number of entries
 * on this page, as a string; only `cursor` is sent, not the SDK's `cursors.after` (so the SDK's
 * `for await` stops after one page, as it does against Cloudflare); unknown parameters are ignored.
 */
import type { Dataset } from "./dataset";
import { lowerBound } from "./dataset";
import { json, v2Failure } from "./envelope";
import { compileFilters } from "./filters";
import { cursorFor, resume, scanPage } from "./paging";
import { PRODUCT_CATEGORIES } from "./products";
import { fnv1a } from "./prng";
import { canonicalFilters, parseFilters, parseWindow } from "./query";
import { RESTART } from "./cursor";
import { v2Record } from "./record";

export interface RouteContext {
  ds: Dataset;
  accountId: string;
  url: URL;
  /** Fault injection: pages never end. */
  endless: boolean;
}

/**
 * Fingerprint of everything that defines a query's sequence of pages. Live entries only add to the
 * end, so a cursor stays good while the clock advances.
 */
export function fingerprint(ds: Dataset, accountId: string, text: string): number {
  return fnv1a(`${ds.seed}|${ds.anchoredSize}|${ds.now}|${accountId}|${text}`);
}

export function listV2(ctx: RouteContext): Response {
  const { ds, accountId, url } = ctx;
  const errors: string[] = [];
  const window = parseWindow(url.searchParams, errors);
  const filters = parseFilters(url.searchParams, errors);
  if (errors.length) return v2Failure(400, errors, url.href);

  const desc = window.direction === "desc";
  const lo = lowerBound(ds, window.since);
  const hi = lowerBound(ds, window.before);
  const print = fingerprint(
    ds,
    accountId,
    `v2|${window.since}|${window.before}|${window.direction}|${canonicalFilters(filters)}`,
  );
  const start = resume(ds, window.cursor, print, desc, lo, hi);
  if (typeof start === "string") return v2Failure(400, [start], url.href);

  const page = scanPage(lo, hi, desc, start, window.limit, compileFilters(ds, accountId, filters));
  const next = page.next >= 0 ? page.next : ctx.endless ? RESTART : -1;
  return json(
    200,
    {
      success: true,
      errors: [],
      result: page.items.map((i) => v2Record(ds, i, accountId)),
      result_info: {
        count: String(page.items.length),
        ...(next !== -1 ? { cursor: cursorFor(ds, print, desc, next) } : {}),
      },
    },
    url.href,
  );
}

export function productCategories(ctx: RouteContext): Response {
  return json(200, { success: true, errors: [], result: PRODUCT_CATEGORIES }, ctx.url.href);
}
