import "server-only";
import type { AuditLog } from "@/lib/audit-log";
import { inRange, parseAddress, parseRange } from "@/lib/sandbox/ip";
import { V2_FILTERS } from "@/lib/sandbox/query";
import { upstreamFilters, type LogQuery } from "@/lib/search-params";

type Match = (value: string, wanted: string) => boolean;
const exact: Match = (value, wanted) => value === wanted;
const caseless: Match = (value, wanted) => value.toLowerCase() === wanted.toLowerCase();
const numeric: Match = (value, wanted) => Number(value) === Number(wanted);
/** A value that is neither an address nor a range matches the logged text exactly, as upstream. */
const address: Match = (value, wanted) => {
  const range = parseRange(wanted);
  if (!range) return value === wanted;
  const parsed = parseAddress(value);
  return parsed !== null && inRange(range, parsed);
};

/**
 * Each v2 filter as a field of a normalized entry, matched as the API matches it: exact and
 * case-sensitive, except emails, zone names and methods (which ignore case), status codes (numbers) and
 * addresses (CIDR ranges). `product_category` is missing on purpose: its products are the upstream's to
 * say, so such a query is never answered locally.
 */
const FIELD_OF: Record<string, [(e: AuditLog) => string | number | null, Match]> = {
  action_type: [(e) => e.actionType, exact],
  action_result: [(e) => e.actionResult, exact],
  actor_email: [(e) => e.actorEmail, caseless],
  actor_ip_address: [(e) => e.actorIp, address],
  actor_type: [(e) => e.actorType, exact],
  actor_context: [(e) => e.actorContext, exact],
  actor_id: [(e) => e.actorId, exact],
  actor_token_id: [(e) => e.actorTokenId, exact],
  actor_token_name: [(e) => e.actorTokenName, exact],
  resource_type: [(e) => e.resourceType, exact],
  resource_product: [(e) => e.resourceProduct, exact],
  resource_id: [(e) => e.resourceId, exact],
  resource_scope: [(e) => e.resourceScope, exact],
  zone_id: [(e) => e.zoneId, exact],
  zone_name: [(e) => e.zoneName, caseless],
  account_name: [(e) => e.accountName, exact],
  raw_cf_ray_id: [(e) => e.rayId, exact],
  raw_method: [(e) => e.method, caseless],
  raw_status_code: [(e) => e.statusCode, numeric],
  raw_uri: [(e) => e.uri, exact],
  id: [(e) => e.id, exact],
};

function acceptedValue(param: string, value: string): boolean {
  const rule = (V2_FILTERS as Record<string, "text" | "integer" | readonly string[]>)[param];
  if (rule === "integer") return /^\d+$/.test(value);
  return !Array.isArray(rule) || rule.includes(value);
}

/**
 * The query's filters as a predicate over entries (OR within a key, AND across keys, `.not` excludes;
 * an absent field matches no value and so passes every `.not`), or null when one of them cannot be
 * applied here (v1, text search, product categories): that query goes upstream.
 */
export function localFilter(api: "v1" | "v2", query: LogQuery): ((entry: AuditLog) => boolean) | null {
  if (api !== "v2" || query.q || query.hide_user_logs) return null;
  const tests: ((entry: AuditLog) => boolean)[] = [];
  // The filters as the upstream gets them: `automation` is folded into `actor_context` there too.
  for (const filter of upstreamFilters(query)) {
    const spec = FIELD_OF[filter.param];
    if (!spec) return null;
    // A value the API might refuse (outside a documented set, a status that is not a number) is the
    // upstream's to refuse: the query goes there rather than being answered with no rows.
    if (!filter.values.every((value) => acceptedValue(filter.param, value))) return null;
    const [field, matches] = spec;
    const any = (entry: AuditLog) => {
      const value = field(entry);
      return value !== null && filter.values.some((wanted) => matches(String(value), wanted));
    };
    tests.push(filter.negated ? (entry) => !any(entry) : any);
  }
  return (entry) => tests.every((test) => test(entry));
}
