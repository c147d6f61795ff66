/**
 * Filters as one line of text, e.g.
 * `actor_email:alice@acme.com -action_type:delete actor_ip_address:203.0.113.0/24 action_result:failure`.
 *
 * A term is `field:value`; a leading `-` excludes; `field:a,b` or repeating the field means either;
 * values with spaces, commas or quotes are written in double quotes (`\"` and `\\` inside). Field names
 * are the URL model's, or a short alias (`email:`, `ip:`, `type:` …). Values are checked with the URL
 * model's rules, so text that parses is a query the server accepts.
 */
import { VALUE_LABELS, type ApiVersion, type FilterDef } from "./audit-log";
import { capabilities } from "./capabilities";
import { activeFilters, checkFilterValue, filterKey, type FilterKey, type LogQuery } from "./search-params";

/** Short names for the fields people type most. */
export const FIELD_ALIASES: Record<string, string> = {
  email: "actor_email",
  ip: "actor_ip_address",
  type: "action_type",
  result: "action_result",
  product: "resource_product",
  resource: "resource_type",
  ray: "raw_cf_ray_id",
  zone: "zone_name",
  status: "raw_status_code",
  method: "raw_method",
};

export interface QueryTerm {
  /** The term as typed, for messages. */
  text: string;
  negated: boolean;
  field: string;
  values: string[];
}

export interface QueryTextError {
  term: string;
  message: string;
}

export type FilterValues = Partial<Record<FilterKey, string[]>>;

export type QueryTextResult = { ok: true; filters: FilterValues } | { ok: false; errors: QueryTextError[] };

/** Splits text into terms at spaces outside quotes; a term keeps its quotes for {@link splitValues}. */
export function tokenize(text: string): { text: string; start: number }[] {
  const terms: { text: string; start: number }[] = [];
  let current = "";
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === "\\" && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && /\s/.test(c)) {
      if (current) terms.push({ text: current, start });
      current = "";
      continue;
    }
    if (!current) start = i;
    current += c;
  }
  if (current) terms.push({ text: current, start });
  return terms;
}

/** `a,"b, c",d` → `["a", "b, c", "d"]`, or null when a quote is left open. */
function splitValues(text: string): string[] | null {
  const values: string[] = [];
  let current = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === "\\" && i + 1 < text.length) current += text[++i];
    else if (c === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (c === "," && !quoted) {
      values.push(current);
      current = "";
      wasQuoted = false;
    } else current += c;
  }
  if (quoted) return null;
  if (current || wasQuoted || text.endsWith(",")) values.push(current);
  return values;
}

/** The filter a typed field name means (`email`, `actor_email`, `Actor email`), for the active API. */
export function resolveField(name: string, api: ApiVersion): FilterDef | undefined {
  const n = name.toLowerCase().replace(/[\s-]+/g, "_");
  const param = FIELD_ALIASES[n] ?? n;
  return capabilities(api).filters.find((f) => f.param === param);
}

/** The canonical spelling of an enum value typed by its label or in another case (`Delete` → `delete`). */
function canonicalValue(filter: FilterDef, value: string): string {
  if (!filter.options) return value;
  const v = value.toLowerCase();
  return filter.options.find((o) => o.toLowerCase() === v || VALUE_LABELS[o]?.toLowerCase() === v) ?? value;
}

/**
 * Parses query text into the value of every filter key: keys the text does not mention are empty, so
 * applying the result replaces the filters. Each wrong term is reported by its own text.
 */
export function parseQueryText(text: string, api: ApiVersion): QueryTextResult {
  const caps = capabilities(api);
  const errors: QueryTextError[] = [];
  const filters: FilterValues = {};
  for (const f of caps.filters) {
    filters[filterKey(f.param, false)] = [];
    if (f.negatable) filters[filterKey(f.param, true)] = [];
  }
  for (const { text: term } of tokenize(text)) {
    const fail = (message: string) => errors.push({ term, message });
    const negated = term.startsWith("-");
    const body = negated ? term.slice(1) : term;
    const colon = body.indexOf(":");
    if (colon <= 0) {
      fail(`“${term}” is not field:value (for example email:alice@example.com).`);
      continue;
    }
    const name = body.slice(0, colon);
    const filter = resolveField(name, api);
    if (!filter) {
      fail(`Unknown field “${name}” in “${term}”.`);
      continue;
    }
    if (negated && !caps.canExclude(filter)) {
      fail(
        `“${term}”: ${filter.label} cannot be excluded${caps.exclusion ? "" : ` with the ${caps.api} API`}.`,
      );
      continue;
    }
    const values = splitValues(body.slice(colon + 1));
    if (!values) {
      fail(`“${term}”: a quote is not closed.`);
      continue;
    }
    const key = filterKey(filter.param, negated);
    for (const raw of values) {
      const value = canonicalValue(filter, raw.trim());
      const problem = checkFilterValue(filter, value, api);
      if (problem) fail(`“${term}”: ${problem}`);
      else if (!filters[key]!.includes(value)) filters[key]!.push(value);
    }
  }
  if (!caps.multipleValues) {
    for (const [key, values] of Object.entries(filters))
      if (values && values.length > 1)
        errors.push({ term: key, message: `${key}: the ${caps.api} API takes one value.` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, filters };
}

/** A value as written in query text: bare when it can be, otherwise in double quotes. */
export function quoteValue(value: string): string {
  return /^[^\s,"\\]+$/.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The active filters of a query as text, in field-list order: what {@link parseQueryText} reads back. */
export function formatQueryText(query: Partial<LogQuery>): string {
  return activeFilters(query)
    .map(({ param, negated, values }) => `${negated ? "-" : ""}${param}:${values.map(quoteValue).join(",")}`)
    .join(" ");
}

/** What is being typed at the caret: a field name, or a value of a known field. */
export interface Completion {
  /** Where the part being completed starts and ends in the text. */
  from: number;
  to: number;
  typed: string;
  kind: "field" | "value";
  filter?: FilterDef;
}

/** The part of `text` a suggestion at `caret` would replace, or null inside a quoted value. */
export function completionAt(text: string, caret: number, api: ApiVersion): Completion | null {
  const term = tokenize(text).find((t) => t.start <= caret && caret <= t.start + t.text.length);
  const start = term?.start ?? caret;
  const before = (term?.text ?? "").slice(0, caret - start);
  const offset = before.startsWith("-") ? 1 : 0;
  const colon = before.indexOf(":");
  if (colon < 0) return { from: start + offset, to: caret, typed: before.slice(offset), kind: "field" };
  const filter = resolveField(before.slice(offset, colon), api);
  if (!filter) return null;
  const valueText = before.slice(colon + 1);
  const comma = valueText.lastIndexOf(",");
  const typed = valueText.slice(comma + 1);
  if (typed.startsWith('"')) return null;
  return { from: caret - typed.length, to: caret, typed, kind: "value", filter };
}

/** Field names to offer for what is typed: the URL model's names and the short aliases. */
export function fieldHints(typed: string, api: ApiVersion, limit = 8): string[] {
  const t = typed.toLowerCase();
  const names = [
    ...Object.keys(FIELD_ALIASES).filter((alias) => resolveField(alias, api)),
    ...capabilities(api).filters.map((f) => f.param),
  ];
  return names.filter((n) => n.startsWith(t)).slice(0, limit);
}
