import { filterKind, filtersFor, VALUE_LABELS, type ApiVersion, type FilterDef } from "@/lib/audit-log";
import { checkFilterValue } from "@/lib/search-params";

export interface Suggestion {
  filter: FilterDef;
  negated: boolean;
  value: string;
}

/** Text fields offered for a free value, most useful first. */
const TEXT_ORDER = [
  "resource_type",
  "resource_product",
  "zone_name",
  "actor_token_name",
  "resource_id",
  "raw_cf_ray_id",
  "id",
  "actor_id",
  "account_name",
  "raw_uri",
  "zone_id",
  "actor_token_id",
  "product_category",
];
const SHAPED = ["actor_email", "actor_ip_address", "raw_status_code"];
const MAX = 8;

function findFilter(name: string, available: FilterDef[]): FilterDef | undefined {
  const n = name.toLowerCase().replace(/[\s-]+/g, "_");
  return available.find(
    (f) => f.param === n || f.label.toLowerCase().replace(/\s+/g, "_") === n || f.field?.toLowerCase() === n,
  );
}

/** The canonical enum option a typed value names (`Delete`, `API token` → `delete`, `api_token`). */
function matchOption(filter: FilterDef, value: string): string | undefined {
  const v = value.toLowerCase();
  return filter.options?.find((o) => o.toLowerCase() === v || VALUE_LABELS[o]?.toLowerCase() === v);
}

/**
 * Filters that accept a typed value, for the quick filter box: `field:value` names the filter, a
 * leading `-` excludes, and a bare value is matched against every filter by its kind (an email goes to
 * actor email, an address to actor IP, and so on). Values are checked with the URL model's rules.
 */
export function suggestFilters(
  input: string,
  api: ApiVersion,
): { options: Suggestion[]; error: string | null } {
  let text = input.trim();
  if (!text) return { options: [], error: null };
  const available = filtersFor(api);
  let negated = false;
  if (text.startsWith("-") || text.startsWith("!")) {
    negated = true;
    text = text.slice(1).trim();
  }
  const named = /^([a-z][a-z _.]*?)\s*[:=]\s*(.+)$/i.exec(text);
  const target = named ? findFilter(named[1], available) : undefined;
  const candidates: { filter: FilterDef; value: string }[] = [];

  if (target) {
    const value = named![2].trim();
    const option = filterKind(target, api) === "enum" ? matchOption(target, value) : undefined;
    const problem = checkFilterValue(target, option ?? value, api);
    if (problem) return { options: [], error: `${target.label}: ${problem}` };
    candidates.push({ filter: target, value: option ?? value });
  } else {
    // A value with a recognisable shape (a known enum value, an email, an address, a status code)
    // goes to the fields of that shape; anything else may be any free-text field.
    for (const f of available) {
      if (filterKind(f, api) !== "enum") continue;
      const option = matchOption(f, text);
      if (option) candidates.push({ filter: f, value: option });
    }
    for (const param of SHAPED) {
      const f = available.find((a) => a.param === param);
      if (f && filterKind(f, api) !== "enum" && !checkFilterValue(f, text, api))
        candidates.push({ filter: f, value: text });
    }
    if (candidates.length === 0) {
      for (const param of ["action_type", ...TEXT_ORDER]) {
        const f = available.find((a) => a.param === param);
        if (f && filterKind(f, api) !== "enum" && !checkFilterValue(f, text, api))
          candidates.push({ filter: f, value: text });
      }
    }
  }

  const options: Suggestion[] = [];
  for (const c of candidates) {
    const canExclude = c.filter.negatable && api === "v2";
    if (negated && !canExclude) continue;
    options.push({ ...c, negated });
    // The best match is also offered as an exclusion.
    if (!negated && canExclude && c === candidates[0]) options.push({ ...c, negated: true });
  }
  if (options.length === 0) {
    return {
      options,
      error: negated
        ? `No filter can exclude “${text}”${api === "v1" ? ": the v1 API has no exclusions" : ""}.`
        : `No filter accepts “${text}”. Type field:value, e.g. zone_name:example.com.`,
    };
  }
  return { options: options.slice(0, MAX), error: null };
}
