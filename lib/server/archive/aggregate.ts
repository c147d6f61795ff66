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
import { archiveFilter } from "./reads";

/**
 * The activity overview's counts, computed by the database in one pass over the window's rows: counts
 * per bucket and result, and per value of each counted field, as the overview's accumulator counts
 * entries (same buckets, same actor rule, same unrecognised values). Only the values that can make a top
 * list come back (ties at the cut included), so the top lists are the accumulator's.
 */

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
export type ArchiveTally = { tally: StatsTally } | { tally: null; reason: string; recount: boolean };

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
  const { where, params, p } = filter;
  const first = p(plan.firstStart);
  const size = p(plan.bucketMs);
  const last = p(plan.count - 1);
  const unknown = (column: keyof typeof KNOWN_VALUES) =>
    `case when ${set(column)} and ${column} not in (select json_array_elements_text(${p(
      JSON.stringify([...KNOWN_VALUES[column]]),
    )}::text::json)) then ${column} end`;
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
    `with entries as (
       select time_ms,
         least(${last}::bigint, greatest(0, (time_ms - ${first}::bigint) / ${size}::bigint))::int as b,
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
         strpos(${COUNTED.map((c) => `coalesce(${c}, '')`).join(" || ")}, U&'\\FFFD') > 0 as lossy
       from archive_entries where ${where.join(" and ")}
     ), grouped as (
       select
         case
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
         count(*) filter (where lossy)::float8 as lossy
       from entries
       group by grouping sets ((b, result), (actor_param, actor), (action_type), (product), (ip),
         (resource_type), (u_result), (u_type), (u_context), ())
     ), ranked as (
       select *,
         rank() over (partition by kind order by n desc) as r,
         count(*) over (partition by kind)::float8 as groups
       from grouped where kind in ('bucket', 'total') or value is not null
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
