/**
 * The activity overview's arithmetic, shared by the stats route and the chart: the bucket plan for a
 * time window, the accumulator that turns entries into counts, top values and the response shape.
 * Pure and client-safe: no env, no I/O.
 */
import { getFilter, type AuditLog } from "./audit-log";
import { resolveTimeWindow, type LogQuery } from "./search-params";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Bucket sizes, smallest first. All are whole UTC minutes, hours or days, so boundaries are plain
 * multiples of the size since the epoch and never move with daylight saving. The multi-day sizes exist
 * so that long windows (90 days and more) still fit the requested number of buckets.
 */
export const BUCKET_SIZES_MS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
] as const;

export const TOP_N = 5;
/** Resource types are listed further, as the spellings a mistyped filter is checked against. */
export const RESOURCE_TYPES_N = 50;
export const DEFAULT_BUCKETS = 48;

/** One time bucket: `[start, end)` in ISO UTC, with counts by action result. */
export interface StatsBucket {
  start: string;
  end: string;
  success: number;
  failure: number;
  other: number;
}

export interface TopValue {
  value: string;
  count: number;
}

/** Filter parameters an actor can be identified by, in order of preference. */
export type ActorParam = "actor_email" | "actor_id" | "actor_token_name";

/** A value counted together with the filter parameter it belongs to. */
export interface TopFieldValue extends TopValue {
  param: string;
}

/** A top actor also says which field identified it, so a click can filter on that field. */
export interface TopActor extends TopValue {
  param: ActorParam;
}

export interface StatsCoverage {
  /** Entries the server walked (newest first). */
  entries: number;
  /** True when the walk reached the end of the matching entries within the budget. */
  complete: boolean;
  /** Time of the oldest entry walked; the counts say nothing about anything older when incomplete. */
  oldestCovered: string | null;
  /** What cut an incomplete walk short: the entry cap (`STATS_MAX_ENTRIES`) or the upstream call budget. */
  stoppedBy?: "entries" | "budget";
}

/** The JSON body of `GET /api/logs/stats`. */
export interface StatsResponse {
  window: { since: string; before: string };
  bucketMs: number;
  buckets: StatsBucket[];
  totals: {
    entries: number;
    success: number;
    failure: number;
    other: number;
    uniqueActors: number;
    /** failure / entries, 0 when there are no entries. */
    failureRate: number;
  };
  top: {
    actors: TopActor[];
    actionTypes: TopValue[];
    products: TopValue[];
    ips: TopValue[];
    /** Resource types, so an empty filter on one can offer the spelling the data uses. */
    resourceTypes?: TopValue[];
    /** Result, actor type and actor context values outside the known lists, with their filter. */
    unrecognised: TopFieldValue[];
  };
  coverage: StatsCoverage;
  meta: {
    api: "v2" | "v1";
    mode: "sandbox" | "cloudflare";
    /** The archive counted as of its last sync pass: entries after this instant are not counted yet. */
    asOf?: string;
  };
}

/** The absolute window of a stats query and how it is cut into buckets. */
export interface StatsPlan {
  since: Date;
  before: Date;
  bucketMs: number;
  /** Start of the first bucket: `since` rounded down to a multiple of `bucketMs`. */
  firstStart: number;
  count: number;
}

/** Number of aligned buckets needed to cover `[sinceMs, beforeMs)`. */
export function bucketCount(sinceMs: number, beforeMs: number, bucketMs: number): number {
  return Math.max(1, Math.ceil(beforeMs / bucketMs) - Math.floor(sinceMs / bucketMs));
}

function* candidateSizes(): Generator<number> {
  yield* BUCKET_SIZES_MS;
  // Beyond the listed sizes (windows of years): keep doubling; the loop below ends long before overflow.
  for (let size = 60 * DAY; ; size *= 2) yield size;
}

/**
 * Resolve a query's window and choose the smallest bucket size whose aligned buckets number at most
 * `maxBuckets`. The window is the table's: an open end ("the last 24 hours", or `since` without
 * `before`) ends at `now`, never later, since counts over a future would claim entries that cannot
 * exist yet; an explicit `since`/`before` is kept exactly (and also clipped at `now`). The bars stay
 * aligned, so an unaligned window may take one bar more and a coarser size is chosen then.
 */
export function planStatsWindow(
  query: Pick<LogQuery, "range" | "since" | "before">,
  now: Date,
  maxBuckets: number = DEFAULT_BUCKETS,
): StatsPlan {
  const max = Math.max(1, Math.floor(maxBuckets));
  const { since, before } = resolveTimeWindow(query, now);
  const sinceMs = since.getTime();
  const beforeMs = before.getTime();

  for (const bucketMs of candidateSizes()) {
    const count = bucketCount(sinceMs, beforeMs, bucketMs);
    if (count <= max) {
      return {
        since: new Date(sinceMs),
        before: new Date(beforeMs),
        bucketMs,
        firstStart: Math.floor(sinceMs / bucketMs) * bucketMs,
        count,
      };
    }
  }
  throw new Error("unreachable: bucket sizes grow without bound");
}

/** An instant as RFC 3339 UTC, without the milliseconds when they are zero (`2026-11-21T09:30:00Z`). */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** The fields of an entry the overview counts. */
export type StatsEntry = Pick<
  AuditLog,
  | "time"
  | "actionResult"
  | "actionType"
  | "actorEmail"
  | "actorId"
  | "actorTokenId"
  | "actorTokenName"
  | "actorIp"
  | "resourceProduct"
  | "resourceType"
  | "actorType"
  | "actorContext"
>;

/**
 * The values each enum field is known to take: v2's lists, plus v1's actor types. Anything else is
 * new from Cloudflare and is counted apart, so it is seen rather than folded away.
 */
export const KNOWN_VALUES: Record<"action_result" | "actor_type" | "actor_context", ReadonlySet<string>> = {
  action_result: new Set(getFilter("action_result")?.options),
  actor_type: new Set([...(getFilter("actor_type")?.options ?? []), "admin", "Cloudflare"]),
  actor_context: new Set(getFilter("actor_context")?.options),
};

/**
 * Who did it: an API token by its name (the actor ID of a token is the account's, which would lump
 * every token together), else the email, else the actor ID; null when the entry names no one.
 */
export function actorOf(entry: StatsEntry): { param: ActorParam; value: string } | null {
  if (entry.actorTokenId && entry.actorTokenName)
    return { param: "actor_token_name", value: entry.actorTokenName };
  if (entry.actorEmail) return { param: "actor_email", value: entry.actorEmail };
  if (entry.actorId) return { param: "actor_id", value: entry.actorId };
  if (entry.actorTokenName) return { param: "actor_token_name", value: entry.actorTokenName };
  return null;
}

/**
 * The `n` most frequent values: count descending, then value ascending by code unit, so equal counts
 * come out in the same order on every run and in every locale.
 */
export function topN(counts: Map<string, number>, n: number = TOP_N): TopValue[] {
  return [...counts]
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, n)
    .map(([value, count]) => ({ value, count }));
}

function bump(counts: Map<string, number>, value: string | null) {
  if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** Separates a filter parameter from its value in the keys of {@link StatsTally}'s maps. */
export const ACTOR_SEP = "\u0000";

/**
 * The counts an overview is made of. The accumulator fills one entry by entry; a database may fill it
 * with counts of its own, keeping in each map at least every value that can make its top list.
 */
export interface StatsTally {
  buckets: StatsBucket[];
  /** Keyed `param + ACTOR_SEP + value`. */
  actors: Map<string, number>;
  actionTypes: Map<string, number>;
  products: Map<string, number>;
  ips: Map<string, number>;
  resourceTypes: Map<string, number>;
  /** Keyed `param + ACTOR_SEP + value`. */
  unrecognised: Map<string, number>;
  entries: number;
  /** Time of the oldest entry counted (ms), Infinity when none. */
  oldest: number;
  /** Distinct actors, when `actors` holds only the leading ones; null: `actors.size`. */
  uniqueActors: number | null;
}

/** A tally of no entries, with the plan's empty buckets. */
export function emptyTally(plan: StatsPlan): StatsTally {
  return {
    buckets: Array.from({ length: plan.count }, (_, i) => ({
      start: isoAt(plan.firstStart + i * plan.bucketMs),
      end: isoAt(plan.firstStart + (i + 1) * plan.bucketMs),
      success: 0,
      failure: 0,
      other: 0,
    })),
    actors: new Map(),
    actionTypes: new Map(),
    products: new Map(),
    ips: new Map(),
    resourceTypes: new Map(),
    unrecognised: new Map(),
    entries: 0,
    oldest: Infinity,
    uniqueActors: null,
  };
}

/** Counts entries into a plan's buckets and tallies; `finish` produces the response body. */
export function createStatsAccumulator(plan: StatsPlan) {
  const tally = emptyTally(plan);
  const { buckets, actors, actionTypes, products, ips, resourceTypes, unrecognised } = tally;

  return {
    add(entry: StatsEntry) {
      const t = Date.parse(entry.time);
      // Buckets are half-open [start, end); an entry on a boundary belongs to the later bucket. Anything
      // the upstream returns just outside the window (an inclusive `before`) is kept in the edge bucket, so
      // the totals always equal the entries walked.
      const raw = Number.isNaN(t) ? plan.count - 1 : Math.floor((t - plan.firstStart) / plan.bucketMs);
      const bucket = buckets[Math.min(plan.count - 1, Math.max(0, raw))];
      const result =
        entry.actionResult === "success" || entry.actionResult === "failure" ? entry.actionResult : "other";
      bucket[result] += 1;
      tally.entries += 1;
      if (!Number.isNaN(t)) tally.oldest = Math.min(tally.oldest, t);
      const actor = actorOf(entry);
      if (actor) bump(actors, `${actor.param}${ACTOR_SEP}${actor.value}`);
      bump(actionTypes, entry.actionType);
      bump(products, entry.resourceProduct);
      bump(ips, entry.actorIp);
      bump(resourceTypes, entry.resourceType);
      const fields = [
        ["action_result", entry.actionResult],
        ["actor_type", entry.actorType],
        ["actor_context", entry.actorContext],
      ] as const;
      for (const [param, value] of fields)
        if (value && !KNOWN_VALUES[param].has(value)) bump(unrecognised, `${param}${ACTOR_SEP}${value}`);
    },
    finish: (complete: boolean, meta: StatsResponse["meta"], stoppedBy?: StatsCoverage["stoppedBy"]) =>
      statsFromTally(plan, tally, complete, meta, stoppedBy),
  };
}

/** A map key's parameter and value: at the first separator, as a value may hold U+0000 itself. */
function splitKey(key: string): [string, string] {
  const at = key.indexOf(ACTOR_SEP);
  return [key.slice(0, at), key.slice(at + 1)];
}

/** The response body of a tally. */
export function statsFromTally(
  plan: StatsPlan,
  tally: StatsTally,
  complete: boolean,
  meta: StatsResponse["meta"],
  stoppedBy?: StatsCoverage["stoppedBy"],
): StatsResponse {
  const { buckets, entries, oldest } = tally;
  const sum = (k: "success" | "failure" | "other") => buckets.reduce((n, b) => n + b[k], 0);
  const failure = sum("failure");
  return {
    window: { since: isoAt(plan.since.getTime()), before: isoAt(plan.before.getTime()) },
    bucketMs: plan.bucketMs,
    buckets,
    totals: {
      entries,
      success: sum("success"),
      failure,
      other: sum("other"),
      uniqueActors: tally.uniqueActors ?? tally.actors.size,
      failureRate: entries === 0 ? 0 : failure / entries,
    },
    top: {
      actors: topN(tally.actors).map(({ value, count }) => {
        const [param, actor] = splitKey(value);
        return { value: actor, count, param: param as ActorParam };
      }),
      actionTypes: topN(tally.actionTypes),
      products: topN(tally.products),
      ips: topN(tally.ips),
      resourceTypes: topN(tally.resourceTypes, RESOURCE_TYPES_N),
      unrecognised: topN(tally.unrecognised).map(({ value, count }) => {
        const [param, field] = splitKey(value);
        return { value: field, count, param };
      }),
    },
    coverage: {
      entries,
      complete,
      oldestCovered: oldest === Infinity ? null : new Date(oldest).toISOString(),
      ...(complete ? {} : { stoppedBy: stoppedBy ?? "entries" }),
    },
    meta,
  };
}
