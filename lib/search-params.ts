/**
 * The one URL model: the page URL, `/api/logs`, `/api/logs/export` and `/api/logs/stats` share these
 * parameters. Nothing else parses the query string.
 */
import {
  createLoader,
  createParser,
  createSerializer,
  parseAsBoolean,
  parseAsInteger,
  parseAsNativeArrayOf,
  parseAsString,
  parseAsStringLiteral,
  type inferParserType,
} from "nuqs/server";
import { closest } from "./did-you-mean";
import { isEmail, isIpOrCidr, isIsoDate, isIsoDateTime } from "./value-formats";
import {
  DEFAULT_COLUMNS,
  FIELD_IDS,
  FILTERS,
  getFilter,
  isFieldId,
  type ApiVersion,
  type FieldId,
  type FilterDef,
} from "./audit-log";
import { capabilities } from "./capabilities";
import { checkWidths, parseWidths, serializeWidths, type ColumnWidths } from "./column-widths";

export const RANGE_PRESETS = ["15m", "1h", "24h", "7d", "30d", "90d"] as const;
export const DEFAULT_RANGE = "24h";
/** Cloudflare keeps audit logs for 18 months; older windows are refused before any upstream call. */
export const MAX_AGE_DAYS = 548;
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;
/**
 * Longest query accepted, in characters once decoded (keys, values and separators). Every legitimate
 * view fits easily; a longer one is refused before any other work, so no request can make the server
 * (or a colleague's browser, through a shared link) do unbounded work.
 */
export const MAX_QUERY_CHARS = 8192;
/** Values one filter may take (`actor_email=a&actor_email=b…`). */
export const MAX_FILTER_VALUES = 50;

const RANGE_RE = /^([1-9]\d{0,5})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds in a relative range such as `15m`, `24h` or `7d`; null when malformed. */
export function rangeToMs(range: string): number | null {
  const m = RANGE_RE.exec(range);
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** RFC 3339 timestamp or `YYYY-MM-DD` (read as UTC midnight), as Cloudflare accepts; null otherwise. */
export function parseInstant(value: string): Date | null {
  if (isIsoDate(value)) return new Date(`${value}T00:00:00Z`);
  if (isIsoDateTime(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** A value of an enum the upstream may have grown since this list was written (`HEAD`, a new context). */
const ENUM_TOKEN = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/** Why a filter value is not acceptable, or null when it is. */
export function checkFilterValue(filter: FilterDef, value: string, api: ApiVersion = "v2"): string | null {
  const kind = capabilities(api).kind(filter);
  if (value === "") return "Must not be empty.";
  if (value.length > 512) return "Must be at most 512 characters.";
  switch (kind) {
    case "enum":
      // Cloudflare adds enum values without notice: the known ones are suggestions, not a limit.
      return filter.options?.includes(value) || ENUM_TOKEN.test(value)
        ? null
        : `Expected a value such as ${filter.options?.join(", ")}.`;
    case "email":
      return isEmail(value) ? null : "Expected an email address, e.g. alice@example.com.";
    case "ip":
      return isIpOrCidr(value)
        ? null
        : "Expected an IPv4 or IPv6 address or CIDR range, e.g. 198.51.100.7 or 10.0.0.0/8.";
    case "number":
      return /^[1-5]\d\d$/.test(value) ? null : "Expected an HTTP status code between 100 and 599.";
    case "text":
      return CONTROL_CHARS.test(value) ? "Must not contain control characters." : null;
  }
}

/** What a parameter's check may depend on besides its value. */
export interface CheckContext {
  api: ApiVersion;
  /** Windows past Cloudflare's retention are accepted (a local archive may hold them). */
  beyondRetention: boolean;
}

/** Why one value of a parameter is refused, or null when it is acceptable. */
export type ParamCheck = (value: string, context: CheckContext) => string | null;

/**
 * A parser of the URL model together with its check. The parser reads a value leniently (a link keeps
 * working in the browser); the check says why a value is wrong, so `validateSearch` can name it. Each
 * parameter is then one entry: its parser and its rule side by side.
 */
function checked<P extends object>(parser: P, check: ParamCheck): P & { check: ParamCheck } {
  return { ...parser, check };
}

/** A check that accepts exactly the listed values. */
const oneOf =
  (values: readonly string[], message: string): ParamCheck =>
  (value) =>
    values.includes(value) ? null : message;

/** A check for a whole number within bounds. */
const wholeNumber =
  (min: number, max: number): ParamCheck =>
  (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? null
      : `Expected a whole number from ${min} to ${max}.`;

const checkInstant: ParamCheck = (value) =>
  parseInstant(value) === null
    ? "Expected an RFC 3339 timestamp (2026-11-01T00:00:00Z) or a date (2026-11-01)."
    : null;

const checkRange: ParamCheck = (value, { beyondRetention }) => {
  const ms = rangeToMs(value);
  if (ms === null)
    return `Expected a relative range: a whole number of minutes, hours or days such as 15m, 1h, 24h, 7d, 30d or 90d, at most ${MAX_AGE_DAYS}d.`;
  if (ms > MAX_AGE_DAYS * UNIT_MS.d && !beyondRetention)
    return `Cloudflare keeps audit logs for 18 months; use at most ${MAX_AGE_DAYS}d.`;
  return null;
};

type FilterParsers = {
  [K in (typeof FILTERS)[number] as K["param"] | `${K["param"]}.not`]: ReturnType<
    typeof parseAsNativeArrayOf<string>
  >;
};

/** How the URL spells a filter or its exclusion; {@link filterKey} is the checked form. */
const keyName = (param: string, negated: boolean) => (negated ? `${param}.not` : param);

// Loading keeps every value as written; `validateSearch` is where values are checked, so a bad value in
// a shared link is reported rather than silently dropped.
const filterParsers = Object.fromEntries(
  FILTERS.flatMap((f): [string, ReturnType<typeof parseAsNativeArrayOf<string>>][] => {
    const parser = parseAsNativeArrayOf(parseAsString);
    return f.negatable
      ? [
          [f.param, parser],
          [keyName(f.param, true), parser],
        ]
      : [[f.param, parser]];
  }),
) as FilterParsers;

/**
 * Actor contexts of automation (scripts, integrations, apps): `automation=exclude` leaves people only,
 * `automation=only` automation only. Entries with a token ID carry one of these contexts.
 */
export const AUTOMATION_CONTEXTS = ["api_token", "api_key", "oauth", "api"] as const;

const DIRECTIONS = ["desc", "asc"] as const;
const AUTOMATION_MODES = ["exclude", "only"] as const;

/** The single-valued parameters that select log entries. */
const singleQueryParams = {
  range: checked(parseAsString.withDefault(DEFAULT_RANGE), checkRange),
  since: checked(parseAsString, checkInstant),
  before: checked(parseAsString, checkInstant),
  direction: checked(
    parseAsStringLiteral(DIRECTIONS).withDefault("desc"),
    oneOf(DIRECTIONS, "Expected asc or desc."),
  ),
  /** v1 only: leave out user-level entries (logins, API key views) and keep the account's. */
  hide_user_logs: checked(parseAsBoolean.withDefault(false), (value, { api }) =>
    !capabilities(api).hideUserLogs
      ? "Only the v1 audit logs API can hide user logs (AUDIT_LOGS_API=v1)."
      : value === "true" || value === "false"
        ? null
        : "Expected true or false.",
  ),
  /** Text search over every field: answered by the archive only. */
  q: checked(parseAsString, (value) =>
    value.trim() === "" || value.length > 200
      ? "Expected search text of 1 to 200 characters."
      : CONTROL_CHARS.test(value)
        ? "Must not contain control characters."
        : null,
  ),
  automation: checked(
    parseAsStringLiteral(AUTOMATION_MODES),
    oneOf(AUTOMATION_MODES, "Expected exclude (people only) or only (automation only)."),
  ),
  /** The Cloudflare account read (its 32-hex id); absent: the first account the viewer may read. */
  // Whether the server has the account, and whether the viewer may read it, is its decision.
  account: checked(parseAsString, (value) =>
    /^[0-9a-f]{32}$/i.test(value) ? null : "Expected an account ID: 32 hexadecimal characters.",
  ),
};

/** Parameters that select log entries (they form the data query key). */
export const querySearchParams = { ...singleQueryParams, ...filterParsers };

/** Why a `columns` value is refused whole, or null: a repeat, or more columns than there are fields. */
export function checkColumns(value: string): string | null {
  const ids = value.split(",");
  if (ids.length > FIELD_IDS.length) return `At most ${FIELD_IDS.length} columns, each at most once.`;
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0)
    return `Each column at most once; repeated: ${[...new Set(repeated)].map((c) => JSON.stringify(c.slice(0, 40))).join(", ")}.`;
  return null;
}

/**
 * Visible columns, in order. Unknown ids are dropped (a link from a newer version still opens), but a
 * list with a repeat or more entries than there are fields is refused whole and the defaults apply:
 * such a link would otherwise have every browser that opens it render thousands of columns.
 */
const parseAsColumns = createParser<FieldId[]>({
  parse: (value) => {
    if (checkColumns(value) !== null) return null;
    const ids = value.split(",").filter(isFieldId);
    return ids.length > 0 ? ids : null;
  },
  serialize: (ids) => ids.join(","),
  eq: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
});

/**
 * Deprecated spellings Cloudflare still accepts, read as the current parameter: `audit_log_id` is
 * `id`. Folded before anything else reads the query, so caches and the upstream see one spelling.
 */
export const PARAM_ALIASES: ReadonlyMap<string, string> = new Map([
  ["audit_log_id", "id"],
  ["audit_log_id.not", "id.not"],
]);

/** The query string with every alias renamed to its current parameter (values and order kept). */
export function foldAliases(params: URLSearchParams): URLSearchParams {
  if (![...params.keys()].some((k) => PARAM_ALIASES.has(k))) return params;
  const out = new URLSearchParams();
  // A Map, not an object: `__proto__` or `constructor` in a query must not read as an alias.
  for (const [key, value] of params) out.append(PARAM_ALIASES.get(key) ?? key, value);
  return out;
}

const ZONES = ["utc", "local"] as const;
export const DENSITIES = ["compact", "comfortable"] as const;
export type Density = (typeof DENSITIES)[number];

/** Column widths (`widths=actorEmail:240,…`); a malformed value is reported, never half-applied. */
const parseAsWidths = createParser<ColumnWidths>({
  parse: parseWidths,
  serialize: serializeWidths,
  eq: (a, b) => serializeWidths(a) === serializeWidths(b),
});

/** Parameters of the page view only (never sent upstream). */
export const viewSearchParams = {
  columns: checked(parseAsColumns.withDefault(DEFAULT_COLUMNS), (value) => {
    const refused = checkColumns(value);
    if (refused) return refused;
    const unknown = value.split(",").filter((c) => !isFieldId(c));
    return unknown.length > 0
      ? `Unknown column ${unknown.map((c) => JSON.stringify(c.slice(0, 40))).join(", ")}.`
      : null;
  }),
  widths: checked(parseAsWidths, checkWidths),
  density: checked(parseAsStringLiteral(DENSITIES), oneOf(DENSITIES, "Expected compact or comfortable.")),
  tz: checked(parseAsStringLiteral(ZONES).withDefault("utc"), oneOf(ZONES, "Expected utc or local.")),
  log: checked(parseAsString, (value) =>
    value === "" || value.length > 128 || CONTROL_CHARS.test(value) ? "Expected an audit log ID." : null,
  ),
  /** `live=1`: follow new entries as they arrive. */
  live: checked(
    parseAsStringLiteral(["1"] as const),
    oneOf(["1"], "Expected 1 (follow new entries), or leave it out."),
  ),
};

/** The whole page URL model. */
export const searchParams = { ...querySearchParams, ...viewSearchParams };

const FORMATS = ["csv", "ndjson"] as const;

/** Extra parameters of the HTTP API. */
export const apiSearchParams = {
  cursor: checked(parseAsString, (value) =>
    CURSOR_SHAPE.test(value) ? null : "Expected a cursor from a previous response.",
  ),
  limit: checked(parseAsInteger.withDefault(DEFAULT_LIMIT), wholeNumber(1, MAX_LIMIT)),
  format: checked(
    parseAsStringLiteral(FORMATS).withDefault("csv"),
    oneOf(FORMATS, "Expected csv or ndjson."),
  ),
  buckets: checked(parseAsInteger.withDefault(48), wholeNumber(1, 500)),
  /** The id `/api/logs/export/check` handed out for the download that follows it. */
  export_id: checked(parseAsString, (value) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
      ? null
      : "Expected the export id that /api/logs/export/check answered.",
  ),
};

export type LogQuery = inferParserType<typeof querySearchParams>;
export type LogSearch = inferParserType<typeof searchParams>;
export type FilterKey = keyof FilterParsers;

export const loadSearchParams = createLoader(searchParams);
export const loadQuery = createLoader(querySearchParams);
export const serializeSearch = createSerializer(searchParams);
export const serializeQuery = createSerializer(querySearchParams);

/**
 * Links to the entries of one view (`log=<id>` added to its URL): the view is serialized once, not once
 * per row and render, since every visible row's timestamp is such a link.
 */
export function entryHrefs(search: LogSearch): (id: string) => string {
  const view = serializeSearch({ ...search, log: null });
  const join = view ? "&" : "?";
  return (id) => `/${view}${join}log=${encodeURIComponent(id)}`;
}
export const serializeApi = createSerializer({
  ...querySearchParams,
  ...viewSearchParams,
  ...apiSearchParams,
});

/**
 * The URL key of a filter, or of its exclusion (`<param>.not`). Asking for a key the model lacks (the
 * exclusion of an inclusion-only filter) is a mistake in the caller, and throws.
 */
export function filterKey(param: string, negated: boolean): FilterKey {
  const key = keyName(param, negated);
  if (!isFilterKey(key)) throw new Error(`The URL model has no filter ${key}.`);
  return key;
}

/** Whether a string is one of the URL model's filter keys. */
export function isFilterKey(key: string): key is FilterKey {
  return Object.hasOwn(filterParsers, key);
}

/**
 * The URL update that adds `value` to a filter (or to its exclusion) and takes it out of the opposite
 * form, so a value is never both included and excluded. An API with one value per filter (v1) has the
 * new value replace the old one.
 */
export function addFilterValue(
  current: Partial<Record<FilterKey, string[] | null>>,
  param: string,
  negated: boolean,
  value: string,
  api: ApiVersion,
): Partial<Record<FilterKey, string[] | null>> {
  const key = filterKey(param, negated);
  const values = current[key] ?? [];
  const next = !capabilities(api).multipleValues
    ? [value]
    : values.includes(value)
      ? values
      : [...values, value];
  const update: Partial<Record<FilterKey, string[] | null>> = { [key]: next };
  const opposite = keyName(param, !negated);
  if (isFilterKey(opposite)) {
    const rest = (current[opposite] ?? []).filter((v) => v !== value);
    update[opposite] = rest.length > 0 ? rest : null;
  }
  return update;
}

/** Split a filter key into its parameter and whether it is the exclusion form. */
export function parseFilterKey(key: string): { param: string; negated: boolean } {
  return key.endsWith(".not") ? { param: key.slice(0, -4), negated: true } : { param: key, negated: false };
}

/** The active filters of a query, as `{ param, negated, values }`, in field-list order. */
export function activeFilters(query: Partial<LogQuery>) {
  const out: { key: FilterKey; param: string; negated: boolean; values: string[] }[] = [];
  for (const key of Object.keys(filterParsers).filter(isFilterKey)) {
    const values = query[key];
    if (values && values.length > 0) out.push({ key, ...parseFilterKey(key), values });
  }
  return out;
}

/**
 * The filters sent upstream: the active filters with `automation` folded into `actor_context` (the
 * upstream has no such switch). With `only`, explicit contexts are narrowed to the automated ones.
 */
export function upstreamFilters(query: Partial<LogQuery>): ReturnType<typeof activeFilters> {
  const filters = activeFilters(query);
  if (!query.automation) return filters;
  const key: FilterKey = query.automation === "only" ? "actor_context" : "actor_context.not";
  const existing = filters.find((f) => f.key === key);
  const automated: string[] = [...AUTOMATION_CONTEXTS];
  const values =
    query.automation === "exclude"
      ? [...new Set([...(existing?.values ?? []), ...automated])]
      : existing
        ? existing.values.filter((v) => automated.includes(v))
        : automated;
  const rest = filters.filter((f) => f.key !== key);
  return [...rest, { key, ...parseFilterKey(key), values }];
}

/**
 * The filters sent upstream in a canonical order (sorted keys, sorted distinct values), so queries that
 * ask the same thing compare equal.
 */
export function canonicalFilters(query: Partial<LogQuery>): [string, string[]][] {
  const out = upstreamFilters(query).map(({ key, values }): [string, string[]] => [
    key,
    [...new Set(values)].sort(),
  ]);
  // Not a filter of the field list, but it selects entries all the same.
  if (query.hide_user_logs) out.push(["hide_user_logs", ["true"]]);
  if (query.q) out.push(["q", [query.q]]);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface ParamError {
  parameter: string;
  message: string;
  /** For a mistyped parameter name: the known one it is closest to. */
  suggestion?: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: ParamError[] };

export interface ValidateOptions {
  api: ApiVersion;
  now?: Date;
  /** Which API-only parameters the route accepts besides the URL model. */
  accept?: readonly (keyof typeof apiSearchParams)[];
  /**
   * Accept windows older than Cloudflare's 18-month retention: a local archive may hold them. The
   * caller checks again without this when the archive does not answer.
   */
  beyondRetention?: boolean;
}

/** Every single-valued parameter, each with its check. */
const SINGLE_PARAMS: Record<string, { check: ParamCheck }> = {
  ...singleQueryParams,
  ...viewSearchParams,
  ...apiSearchParams,
};
const SINGLE_KEYS = new Set(Object.keys(SINGLE_PARAMS));
const FILTER_KEYS = new Set(Object.keys(filterParsers));

/** Every cursor, ours or the upstream's, is opaque but base64-like (or a page number): anything else is refused unsent. */
export const CURSOR_SHAPE = /^[A-Za-z0-9+/_=-]{1,2048}$/;

/**
 * A query string over {@link MAX_QUERY_CHARS}, as an error naming the parameter that takes the most of
 * it; null when the length is acceptable.
 */
export function checkQueryLength(params: URLSearchParams): ParamError | null {
  let length = 0;
  const size = new Map<string, number>();
  for (const [key, value] of params) {
    const chars = key.length + value.length + 2;
    length += chars;
    size.set(key, (size.get(key) ?? 0) + chars);
  }
  if (length <= MAX_QUERY_CHARS) return null;
  const [largest] = [...size].sort((a, b) => b[1] - a[1])[0];
  return {
    parameter: largest.slice(0, 64),
    message: `The query is ${length} characters long; at most ${MAX_QUERY_CHARS} are accepted, and this parameter takes the most of it.`,
  };
}

/**
 * Strictly check a query string against the URL model (unknown or repeated keys, malformed values,
 * filters the active API lacks, an impossible time window) and load it. The lenient nuqs loader alone
 * would drop bad values silently; an API caller gets a 400 naming each parameter instead.
 */
export function validateSearch(
  input: URLSearchParams,
  { api, now = new Date(), accept = [], beyondRetention = false }: ValidateOptions,
): Validation<LogSearch & inferParserType<typeof apiSearchParams>> {
  const params = foldAliases(input);
  const caps = capabilities(api);
  const errors: ParamError[] = [];
  const fail = (parameter: string, message: string) => errors.push({ parameter, message });
  const allowed = new Set(accept as readonly string[]);
  const tooLong = checkQueryLength(params);
  if (tooLong) return { ok: false, errors: [tooLong] };

  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    if (FILTER_KEYS.has(key)) {
      const { param, negated } = parseFilterKey(key);
      const filter = getFilter(param)!;
      if (!caps.supports(filter) || (negated && !caps.canExclude(filter))) {
        fail(
          key,
          `The ${caps.name} does not support ${negated ? "excluding by" : "filtering by"} ${filter.label.toLowerCase()}.`,
        );
        continue;
      }
      if (!caps.multipleValues && values.length > 1)
        fail(key, `The ${caps.name} accepts one value per filter.`);
      if (values.length > MAX_FILTER_VALUES) {
        fail(key, `At most ${MAX_FILTER_VALUES} values per filter; given ${values.length}.`);
        continue;
      }
      for (const v of values) {
        const problem = checkFilterValue(filter, v, api);
        if (problem) fail(key, `${JSON.stringify(v.slice(0, 80))}: ${problem}`);
      }
      continue;
    }
    if (!SINGLE_KEYS.has(key) || (key in apiSearchParams && !allowed.has(key))) {
      const known = [
        ...FILTER_KEYS,
        ...[...SINGLE_KEYS].filter((k) => !(k in apiSearchParams) || allowed.has(k)),
      ];
      const suggestion = closest(key, known);
      if (suggestion)
        errors.push({
          parameter: key,
          message: `Unknown parameter. Did you mean ${suggestion}?`,
          suggestion,
        });
      else fail(key, "Unknown parameter.");
      continue;
    }
    if (values.length > 1) fail(key, "Given more than once; expected a single value.");
    const problem = SINGLE_PARAMS[key].check(values[0], { api, beyondRetention });
    if (problem) fail(key, problem);
  }

  checkAutomation(params, api, fail);
  checkTimeWindow(params, now, fail, beyondRetention);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { ...loadSearchParams(params), ...createLoader(apiSearchParams)(params) },
  };
}

function checkAutomation(params: URLSearchParams, api: ApiVersion, fail: (p: string, m: string) => void) {
  const mode = params.get("automation");
  if (mode === null) return;
  const caps = capabilities(api);
  if (!caps.automation) {
    fail("automation", `The ${caps.name} cannot tell people from automation (it has no actor context).`);
    return;
  }
  const contexts = params.getAll("actor_context");
  if (
    mode === "only" &&
    contexts.length > 0 &&
    !contexts.some((c) => (AUTOMATION_CONTEXTS as readonly string[]).includes(c))
  )
    fail("automation", "Automation only, but actor_context selects only people: nothing could match.");
}

function checkTimeWindow(
  params: URLSearchParams,
  now: Date,
  fail: (p: string, m: string) => void,
  beyondRetention: boolean,
) {
  const hasRange = params.has("range");
  const sinceRaw = params.get("since");
  const beforeRaw = params.get("before");
  if (hasRange && (sinceRaw !== null || beforeRaw !== null)) {
    fail("range", "Use either range or since/before, not both.");
    return;
  }
  if (beforeRaw !== null && sinceRaw === null) {
    fail("since", "Required when before is given.");
    return;
  }
  const since = sinceRaw === null ? null : parseInstant(sinceRaw);
  const before = beforeRaw === null ? now : parseInstant(beforeRaw);
  if (!since || !before) return;
  if (since.getTime() > now.getTime())
    fail("since", `Is in the future: no entries exist yet. The newest are from ${now.toISOString()}.`);
  else if (before.getTime() <= since.getTime()) fail("before", "Must be later than since.");
  if (now.getTime() - since.getTime() > MAX_AGE_DAYS * UNIT_MS.d && !beyondRetention)
    fail("since", "Cloudflare keeps audit logs for 18 months; choose a later start.");
}

/**
 * The absolute window a query covers, computed at request time from `range` or `since`/`before`. It
 * never ends after `now`: nothing exists there yet, and a count over it would claim a future.
 */
export function resolveTimeWindow(
  query: Pick<LogQuery, "range" | "since" | "before">,
  now: Date = new Date(),
): { since: Date; before: Date } {
  if (query.since) {
    const since = parseInstant(query.since);
    const before = query.before ? parseInstant(query.before) : now;
    if (since && before) return { since, before: before > now && since < now ? now : before };
  }
  const ms = rangeToMs(query.range) ?? rangeToMs(DEFAULT_RANGE)!;
  return { since: new Date(now.getTime() - ms), before: now };
}

/** Only the parameters that select data: the query key and the API request use this. */
export function pickQuery(search: LogQuery): LogQuery {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(querySearchParams)) out[key] = search[key as keyof LogQuery];
  return out as LogQuery;
}
