/**
 * v1 `GET /accounts/{id}/audit_logs`: page-numbered, dotted filter names, boolean results.
 *
 * Sandbox decisions where Cloudflare is silent: `result_info` is `{page, per_page, count,
 * total_count}`; a page past the end is a 200 with an empty `result` (the SDK stops only there);
 * `since`/`before` are optional, inclusive/exclusive; `actor.email` and `zone.name` ignore case;
 * `export` is accepted and ignored; `action.type` matches the v1 verb exactly; bad parameters are a 400 in the v4 shape with code 1003.
 */
import { lowerBound, type Dataset } from "./dataset";
import { json, v4Failure } from "./envelope";
import { compileFilters } from "./filters";
import { parseRange } from "./ip";
import { parseDirection, parseInteger, parseTime, type FilterName, type Filters } from "./query";
import { v1HasIp, v1Record, v1Verb } from "./v1-record";
import type { RouteContext } from "./v2";

// `action.type` is matched against the v1 verb (v1-record.ts), not the v2 action.
const V1_FILTERS: [string, FilterName][] = [
  ["actor.ip", "actor_ip_address"],
  ["actor.email", "actor_email"],
  ["zone.name", "zone_name"],
  ["id", "id"],
];

/** Matching entries of recent filtered queries, so paging through them costs one scan. */
const matchCache = new Map<string, Uint32Array>();
const MATCH_CACHE_LIMIT = 8;

function matches(
  ds: Dataset,
  key: string,
  lo: number,
  hi: number,
  test: (i: number) => boolean,
): Uint32Array {
  const cached = matchCache.get(key);
  if (cached) return cached;
  const found: number[] = [];
  for (let i = lo; i < hi; i++) if (test(i)) found.push(i);
  const list = Uint32Array.from(found);
  if (matchCache.size >= MATCH_CACHE_LIMIT) matchCache.delete(matchCache.keys().next().value as string);
  matchCache.set(key, list);
  return list;
}

export function listV1(ctx: RouteContext): Response {
  const { ds, accountId, url } = ctx;
  const params = url.searchParams;
  const errors: string[] = [];
  const time = (name: string, fallback: number) => {
    const text = params.get(name);
    if (text === null || text === "") return fallback;
    const ms = parseTime(text);
    if (ms === null)
      errors.push(`${name} must be a date (YYYY-MM-DD) or an RFC 3339 timestamp, got "${text}"`);
    return ms ?? fallback;
  };
  const since = time("since", -Infinity);
  const before = time("before", Infinity);
  const direction = parseDirection(params, errors);
  const page = parseInteger(params, "page", 1, Number.MAX_SAFE_INTEGER, 1, errors);
  const perPage = parseInteger(params, "per_page", 1, 1000, 100, errors);
  const filters: Filters = { byName: new Map(), categories: [] };
  for (const [wire, name] of V1_FILTERS) {
    const value = params.get(wire);
    if (value === null || value === "") continue;
    if (name === "actor_ip_address" && !parseRange(value))
      errors.push(`actor.ip must be an IP address or a CIDR range, got "${value}"`);
    filters.byName.set(name, { in: [value], not: [] });
  }
  const hide = params.get("hide_user_logs");
  if (hide !== null && hide !== "true" && hide !== "false")
    errors.push(`hide_user_logs must be true or false, got "${hide}"`);
  if (hide === "true") filters.byName.set("resource_scope", { in: [], not: ["user"] });
  if (errors.length)
    return v4Failure(
      400,
      errors.map((message) => ({ code: 1003, message })),
      url.href,
    );

  const lo = lowerBound(ds, since);
  const hi = lowerBound(ds, before);
  const verb = params.get("action.type") || null;
  const byIp = filters.byName.has("actor_ip_address");
  const shared = compileFilters(ds, accountId, filters);
  const test =
    shared || verb || byIp
      ? (i: number) =>
          (!shared || shared(i)) && (!verb || v1Verb(ds, i) === verb) && (!byIp || v1HasIp(ds, i))
      : null;
  const list = test
    ? matches(
        ds,
        `${ds.seed}|${ds.size}|${ds.now}|${accountId}|${lo}|${hi}|${verb}|${JSON.stringify([...filters.byName])}`,
        lo,
        hi,
        test,
      )
    : null;
  const total = list ? list.length : hi - lo;
  const at = (k: number) => (list ? list[k] : lo + k);

  let offset = (page - 1) * perPage;
  // Fault injection ("endless"): a page past the end repeats earlier pages, so paging never stops.
  if (ctx.endless && offset >= total)
    offset = total > 0 ? offset % (Math.ceil(total / perPage) * perPage) : 0;
  const count =
    ctx.endless && total === 0 ? Math.min(perPage, ds.size) : Math.max(0, Math.min(perPage, total - offset));
  const result = [];
  for (let k = 0; k < count; k++) {
    const position = direction === "desc" ? total - 1 - offset - k : offset + k;
    result.push(v1Record(ds, total === 0 ? k : at(position), accountId));
  }
  return json(
    200,
    {
      success: true,
      errors: [],
      messages: [],
      result,
      result_info: { page, per_page: perPage, count, total_count: total },
    },
    url.href,
  );
}
