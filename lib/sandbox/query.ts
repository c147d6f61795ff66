/**
 * Reading and checking query parameters the way the sandbox's Cloudflare does. Each problem becomes
 * one message naming the parameter; a handler answers 400 with all of them.
 */
import { PRODUCT_CATEGORIES } from "./products";

export type Direction = "asc" | "desc";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+\- ]\d{2}:\d{2})$/;

function validDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * `YYYY-MM-DD` (midnight UTC) or an RFC 3339 timestamp → ms since the epoch, or `null`. A space in
 * place of the offset's `+` is accepted: an unencoded `+` in a query string reads as a space.
 */
export function parseTime(text: string, allowDate = true): number | null {
  const date = allowDate ? DATE.exec(text) : null;
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    return validDay(y, m, d) ? Date.UTC(y, m - 1, d) : null;
  }
  const dt = DATE_TIME.exec(text);
  if (!dt) return null;
  const [y, mo, d, h, mi, s] = dt.slice(1, 7).map(Number);
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const offset = dt[8].toUpperCase() === "Z" ? "Z" : `${dt[8][0] === "-" ? "-" : "+"}${dt[8].slice(1)}`;
  const offsetHours = offset === "Z" ? 0 : Number(offset.slice(1, 3));
  if (offsetHours > 23 || (offset !== "Z" && Number(offset.slice(4)) > 59)) return null;
  const fraction = dt[7] ? Number(`0${dt[7]}`) * 1000 : 0;
  return Date.parse(`${dt.slice(1, 4).join("-")}T${dt.slice(4, 7).join(":")}${offset}`) + fraction;
}

export interface Window {
  since: number;
  before: number;
  direction: Direction;
  limit: number;
  cursor: string | null;
}

const TIME_HINT = "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp";

/** `since`, `before` (both required), `direction`, `limit` and `cursor` of the v2 endpoints. */
export function parseWindow(params: URLSearchParams, errors: string[]): Window {
  const time = (name: string) => {
    const text = params.get(name);
    if (text === null || text === "") {
      errors.push(`${name} is required`);
      return NaN;
    }
    const ms = parseTime(text);
    if (ms === null) errors.push(`${name} ${TIME_HINT}, got "${text}"`);
    return ms ?? NaN;
  };
  const since = time("since");
  const before = time("before");
  if (before <= since) errors.push("before must be later than since");
  return {
    since,
    before,
    direction: parseDirection(params, errors),
    limit: parseInteger(params, "limit", 1, 1000, 100, errors),
    cursor: params.get("cursor") || null,
  };
}

export function parseDirection(params: URLSearchParams, errors: string[]): Direction {
  const text = params.get("direction");
  if (text === null || text === "desc") return "desc";
  if (text === "asc") return "asc";
  errors.push(`direction must be one of asc, desc, got "${text}"`);
  return "desc";
}

export function parseInteger(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
  errors: string[],
): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) {
    errors.push(`${name} must be an integer between ${min} and ${max}, got "${text}"`);
    return fallback;
  }
  return n;
}

/** The v2 filters and how each one's values are checked. */
export const V2_FILTERS = {
  account_name: "text",
  action_result: ["success", "failure"],
  action_type: ["create", "delete", "view", "update"],
  actor_context: ["api", "api_key", "api_token", "dash", "oauth", "origin_ca_key"],
  actor_email: "text",
  actor_id: "text",
  actor_ip_address: "text",
  actor_token_id: "text",
  actor_token_name: "text",
  actor_type: ["account", "cloudflare_admin", "system", "user", "delegated_service"],
  id: "text",
  raw_cf_ray_id: "text",
  raw_method: "text",
  raw_status_code: "integer",
  raw_uri: "text",
  resource_id: "text",
  resource_product: "text",
  resource_scope: ["accounts", "user", "zones", "memberships"],
  resource_type: "text",
  zone_id: "text",
  zone_name: "text",
} as const satisfies Record<string, "text" | "integer" | readonly string[]>;

export type FilterName = keyof typeof V2_FILTERS;

export interface FilterValues {
  in: string[];
  not: string[];
}

export interface Filters {
  /** Only the filters present, each with its inclusion and exclusion values. */
  byName: Map<FilterName, FilterValues>;
  /** `product_category` values, lower-cased. */
  categories: string[];
}

/** The repeated-key filters of v2 (`name=a&name=b`, `name.not=c`); `audit_log_id` is read as `id`. */
export function parseFilters(params: URLSearchParams, errors: string[]): Filters {
  const byName = new Map<FilterName, FilterValues>();
  const categories: string[] = [];
  for (const [key, value] of params) {
    const negated = key.endsWith(".not");
    const base = negated ? key.slice(0, -4) : key;
    if (base === "product_category") {
      if (negated)
        errors.push("product_category.not is not supported: product_category has no exclusion form");
      else if (!PRODUCT_CATEGORIES.some((c) => c.value === value.toLowerCase()))
        errors.push(`product_category has an unknown value "${value}"`);
      else categories.push(value.toLowerCase());
      continue;
    }
    const name = (base === "audit_log_id" ? "id" : base) as FilterName;
    const rule: "text" | "integer" | readonly string[] | undefined = V2_FILTERS[name];
    if (rule === undefined) continue;
    if (rule === "integer" && !/^\d+$/.test(value)) errors.push(`${key} must be an integer, got "${value}"`);
    else if (Array.isArray(rule) && !rule.includes(value))
      errors.push(`${key} has an invalid value "${value}"; expected one of ${rule.join(", ")}`);
    let entry = byName.get(name);
    if (!entry) byName.set(name, (entry = { in: [], not: [] }));
    (negated ? entry.not : entry.in).push(value);
  }
  return { byName, categories };
}

/** A stable text of the filters, for fingerprinting a query (cursor checks, caches). */
export function canonicalFilters(filters: Filters): string {
  const entries = [...filters.byName]
    .map(([name, v]) => [name, [...v.in].sort(), [...v.not].sort()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return JSON.stringify([entries, [...filters.categories].sort()]);
}
