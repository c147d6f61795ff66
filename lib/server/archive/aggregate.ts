import "server-only";
import type { LogQuery } from "@/lib/search-params";
import {
  ACTOR_SEP,
  emptyTally,
  KNOWN_VALUES,
  RESOURCE_TYPES_N,
  TOP_N,
  type StatsPlan,
  type StatsTally,
} from "@/lib/stats";
import type { Sql } from "./db";
import { archiveFilter, windowConditions } from "./reads";
import { getState, setState } from "./store";

/**
 * The activity overview's counts, computed by the database in one pass over the window's rows: counts
 * per bucket and result, and per value of each counted field, as the overview's accumulator counts
 * entries (same buckets, same actor rule, same unrecognised values). Only the values that can make a top
 * list come back (ties at the cut included), so the top lists are the accumulator's.
 *
 * Sealed days never change, so each is counted once when sealed (archive_day_counts, every value of each
 * field). An unfiltered overview whose bars are whole days adds up those days and counts only the
 * entries of the partial days at its ends.
 */

const DAY_MS = 86_400_000;

/** Which maps of the tally each kind of group fills. */
const MAPS = {
  actor: "actors",
  action_type: "actionTypes",
  product: "products",
  ip: "ips",
  resource_type: "resourceTypes",
  u_result: "unrecognised",
  u_type: "unrecognised",
  u_context: "unrecognised",
} as const satisfies Record<string, keyof StatsTally>;

const UNRECOGNISED_PARAM = { u_result: "action_result", u_type: "actor_type", u_context: "actor_context" };

type Kind = keyof typeof MAPS | "bucket" | "total";

/** An actor as `actorOf` names it: a token by name, else the email, else the actor ID, else a token name. */
const set = (column: string) => `coalesce(${column}, '') <> ''`;
const ACTOR_CASE = (pick: "param" | "value") => `case
      when ${set("actor_token_id")} and ${set("actor_token_name")} then ${pick === "param" ? "'actor_token_name'" : "actor_token_name"}
      when ${set("actor_email")} then ${pick === "param" ? "'actor_email'" : "actor_email"}
      when ${set("actor_id")} then ${pick === "param" ? "'actor_id'" : "actor_id"}
      when ${set("actor_token_name")} then ${pick === "param" ? "'actor_token_name'" : "actor_token_name"}
    end`;

/**
 * The counted columns whose stored copy may differ from the entry's value: U+0000 and unpaired
 * surrogates are stored as U+FFFD. A window holding such a value is counted from the entries instead.
 */
const COUNTED = [
  "action_result",
  "action_type",
  "actor_email",
  "actor_id",
  "actor_token_id",
  "actor_token_name",
  "actor_ip",
  "resource_product",
  "resource_type",
  "actor_type",
  "actor_context",
];

/** `recount`: the entries themselves can still be counted (the SQL copy of a value differs). */
/** `recount`: the entries themselves can still be counted (the SQL copy of a value differs). */
export type ArchiveTally = { tally: StatsTally } | { tally: null; reason: string; recount: boolean };

/**
 * The values the overview counts of each row, with `bucket` its bucket number and `p` adding a
 * parameter.
 */
function countedColumns(bucket: string, p: (value: unknown) => string): string {
  const unknown = (column: keyof typeof KNOWN_VALUES) =>
    `case when ${set(column)} and ${column} not in (select json_array_elements_text(${p(
      JSON.stringify([...KNOWN_VALUES[column]]),
    )}::text::json)) then ${column} end`;
  return `time_ms, day,
         ${bucket} as b,
         case when action_result in ('success', 'failure') then action_result else 'other' end as result,
         ${ACTOR_CASE("param")} as actor_param,
         ${ACTOR_CASE("value")} as actor,
         nullif(action_type, '') as action_type,
         nullif(resource_product, '') as product,
         nullif(actor_ip, '') as ip,
         nullif(resource_type, '') as resource_type,
         ${unknown("action_result")} as u_result,
         ${unknown("actor_type")} as u_type,
         ${unknown("actor_context")} as u_context,
         strpos(${COUNTED.map((c) => `coalesce(${c}, '')`).join(" || ")}, U&'\\FFFD') > 0 as lossy`;
}

/** Groups of counted columns: one grouping set per kind, its key as (b, result) or (param, value). */
const GROUPS = `case
           when grouping(b) = 0 then 'bucket'
           when grouping(actor) = 0 then 'actor'
           when grouping(action_type) = 0 then 'action_type'
           when grouping(product) = 0 then 'product'
           when grouping(ip) = 0 then 'ip'
           when grouping(resource_type) = 0 then 'resource_type'
           when grouping(u_result) = 0 then 'u_result'
           when grouping(u_type) = 0 then 'u_type'
           when grouping(u_context) = 0 then 'u_context'
           else 'total'
         end as kind,
         b, result, actor_param as param,
         coalesce(actor, action_type, product, ip, resource_type, u_result, u_type, u_context) as value,
         count(*)::float8 as n,
         min(time_ms)::float8 as oldest,
         count(*) filter (where lossy)::float8 as lossy`;
const SETS = `grouping sets ((b, result), (actor_param, actor), (action_type), (product), (ip),
         (resource_type), (u_result), (u_type), (u_context), ())`;

/**
 * What the day counts were made with: the known values and the version of the counting above (raise it
 * when the counting changes). The days are counted again from their entries when either changes.
 */
const COUNTING_VERSION = 1;
const RULE = JSON.stringify([
  COUNTING_VERSION,
  Object.entries(KNOWN_VALUES).map(([k, v]) => [k, [...v].sort()]),
]);

interface DayCounts {
  /** The last day counted (sealed days are counted in order). */
  through: string | null;
  rule: string;
}

/** Count every sealed day not counted yet, in one pass over their entries. */
export async function countSealedDays(sql: Sql): Promise<number> {
  const state = await getState<DayCounts>(sql, "day-counts");
  const through = state?.rule === RULE ? state.through : null;
  if (state && state.rule !== RULE) await sql.query("delete from archive_day_counts");
  const [{ last }] = await sql.query<{ last: string | null }>(
    "select max(day)::text as last from archive_days where not pruned",
  );
  if (!last || (through !== null && last <= through)) return 0;
  const params: unknown[] = [through, last];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const rows = await sql.query<{ n: number }>(
    `with entries as (
       select ${countedColumns("0", p)} from archive_entries
        where ($1::date is null or day > $1::date) and day <= $2::date
     ), grouped as (
       select day, ${GROUPS} from entries group by day, ${SETS}
     ), inserted as (
       insert into archive_day_counts (day, kind, result, param, value, n, oldest, lossy)
       select day, kind, result, param, value, n, oldest, lossy from grouped
        where kind in ('bucket', 'total') or value is not null
       returning 1
     )
     select count(*)::float8 as n from inserted`,
    params,
  );
  await setState(sql, "day-counts", { through: last, rule: RULE } satisfies DayCounts);
  return Number(rows[0]?.n ?? 0);
}

/** The end (ms) of the last day whose counts are kept, or null. */
async function countedUntil(sql: Sql): Promise<number | null> {
  const state = await getState<DayCounts>(sql, "day-counts");
  if (state?.rule !== RULE || !state.through) return null;
  return Date.parse(`${state.through}T00:00:00Z`) + DAY_MS;
}

/**
 * The tally of `query`'s entries in `[since, before)`, bucketed by `plan`; null tally when the archive
 * cannot count them exactly in SQL (a filter it cannot apply, a stored value it changed).
 */
export async function tallyArchive(
  sql: Sql,
  query: LogQuery,
  q: string | null | undefined,
  plan: StatsPlan,
  since: number,
  before: number,
): Promise<ArchiveTally> {
  const filter = archiveFilter(query, { since: new Date(since), before: new Date(before) }, q);
  if ("reason" in filter) return { tally: null, reason: filter.reason, recount: false };
  const { filters, params, p } = filter;
  // The whole days inside the window whose counts are kept, when the bars are whole days too.
  let days: [number, number] | null = null;
  if (filters.length === 0 && plan.bucketMs % DAY_MS === 0) {
    const until = await countedUntil(sql);
    const from = Math.ceil(since / DAY_MS) * DAY_MS;
    const to = Math.min(Math.floor(before / DAY_MS) * DAY_MS, until ?? 0);
    if (to > from) days = [from, to];
  }
  // The entries outside those days: the window's ends, each read in sort-key order from the index.
  const ends = days
    ? [
        ["$1", p(days[0])],
        [p(days[1]), "$2"],
      ]
    : [["$1", "$2"]];
  const first = p(plan.firstStart);
  const size = p(plan.bucketMs);
  const last = p(plan.count - 1);
  const bucket = (ms: string) =>
    `least(${last}::bigint, greatest(0, (${ms} - ${first}::bigint) / ${size}::bigint))::int`;
  const columns = countedColumns(bucket("time_ms"), p);
  const entries = ends
    .map(([lo, hi]) => {
      const where = [...windowConditions(lo, hi), ...filters];
      return `select ${columns} from archive_entries where ${where.join(" and ")}`;
    })
    .join(" union all ");
  const kept = days
    ? `select kind,
         case when kind = 'bucket' then ${bucket("(day - date '1970-01-01')::bigint * 86400000")} end as b,
         result, param, value, n, oldest, lossy
       from archive_day_counts where day >= ${p(isoDay(days[0]))}::date and day < ${p(isoDay(days[1]))}::date`
    : "select kind, b, result, param, value, n, oldest, lossy from grouped where false";
  const rows = await sql.query<{
    kind: Kind;
    b: number | null;
    result: "success" | "failure" | "other" | null;
    param: string | null;
    value: string | null;
    n: number;
    oldest: number | null;
    lossy: number;
    groups: number;
  }>(
    `with entries as (${entries}),
     grouped as (select ${GROUPS} from entries group by ${SETS}),
     merged as (
       select kind, b, result, param, value, sum(n)::float8 as n, min(oldest)::float8 as oldest,
         sum(lossy)::float8 as lossy
       from (select kind, b, result, param, value, n, oldest, lossy from grouped union all ${kept}) counted
       where kind in ('bucket', 'total') or value is not null
       group by kind, b, result, param, value
     ), ranked as (
       select *,
         rank() over (partition by kind order by n desc) as r,
         count(*) over (partition by kind)::float8 as groups
       from merged
     )
     select kind, b, result, param, value, n, oldest, lossy, groups from ranked
      where kind in ('bucket', 'total')
         or r <= case when kind = 'resource_type' then ${RESOURCE_TYPES_N} else ${TOP_N} end`,
    params,
  );
  const tally = emptyTally(plan);
  tally.uniqueActors = 0;
  for (const row of rows) {
    const n = Number(row.n);
    switch (row.kind) {
      case "total":
        if (Number(row.lossy) > 0)
          return { tally: null, reason: "a counted value is stored changed", recount: true };
        tally.entries = n;
        tally.oldest = row.oldest === null ? Infinity : Number(row.oldest);
        break;
      case "bucket":
        tally.buckets[Number(row.b)][row.result ?? "other"] += n;
        break;
      case "actor":
        tally.actors.set(`${row.param}${ACTOR_SEP}${row.value}`, n);
        tally.uniqueActors = Number(row.groups);
        break;
      case "u_result":
      case "u_type":
      case "u_context":
        tally.unrecognised.set(`${UNRECOGNISED_PARAM[row.kind]}${ACTOR_SEP}${row.value}`, n);
        break;
      default:
        tally[MAPS[row.kind]].set(row.value as string, n);
    }
  }
  return { tally };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
