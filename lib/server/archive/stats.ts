import "server-only";
import { DEFAULT_RANGE, type LogQuery } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import { walkStats } from "@/lib/server/stats";
import { isoAt, planStatsWindow, statsFromTally, type StatsPlan, type StatsResponse } from "@/lib/stats";
import { tallyArchive } from "./aggregate";
import type { Sql } from "./db";
import { coveredSpan, freshForMs, readArchivePage } from "./reads";
import { getArchive } from "./runtime";
import { getState } from "./store";
import { sourceOf, type SyncPosition } from "./sync";

/**
 * The activity overview from the archive, when it holds the overview's whole window: every entry is
 * counted (no entry cap, coverage complete) and nothing is asked upstream. Null when the archive is off,
 * still opening, or does not hold the window: the caller then walks the API as before.
 */
export async function archiveStats(
  config: Config,
  query: LogQuery,
  buckets: number,
  now: Date,
): Promise<StatsResponse | null> {
  const archive = getArchive();
  const db = archive?.opened;
  if (!archive || !db) return null;
  const withinMs = freshForMs(archive.settings.intervalMs);
  const plan = planStatsWindow(query, now, buckets);
  const since = plan.since.getTime();
  // As the API walk does: an open end is asked only up to now.
  const before = Math.min(plan.before.getTime(), Math.ceil(now.getTime() / 1000) * 1000);
  const position = await getState<SyncPosition>(db, "sync");
  const span = coveredSpan(position, { now: now.getTime(), withinMs });
  if (!span || position?.source !== sourceOf(config) || before <= since) return null;
  if (since < span.from || before > span.to) return null;
  const meta: StatsResponse["meta"] = {
    api: config.api,
    mode: config.mode,
    // Counted as of the sync's last pass when the window ends after it.
    ...(span.asOf !== null && before > span.asOf ? { asOf: new Date(span.asOf).toISOString() } : {}),
  };
  const counted = await tallyArchive(db, query, query.q, plan, since, before);
  if (counted.tally) return statsFromTally(plan, counted.tally, true, meta);
  if (!counted.recount) return null;
  // Rare: a stored value differs from the entry's (U+0000), so the entries themselves are counted.
  return countEntries(db, config, query, plan, { since, before, now, withinMs }, meta);
}

/**
 * The overview counted entry by entry, as the API walk counts them, over the archive's pages of the
 * window `[since, before)`.
 */
export function countEntries(
  db: Sql,
  config: Config,
  query: LogQuery,
  plan: StatsPlan,
  { since, before, now, withinMs }: { since: number; before: number; now: Date; withinMs: number },
  meta: StatsResponse["meta"],
): Promise<StatsResponse> {
  const walkQuery: LogQuery = {
    ...query,
    range: DEFAULT_RANGE,
    since: isoAt(since),
    before: isoAt(before),
    direction: "desc",
  };
  return walkStats(
    plan,
    Number.MAX_SAFE_INTEGER,
    async (cursor, limit) => {
      const answer = await readArchivePage(db, config, walkQuery, {
        cursor,
        limit,
        now,
        q: query.q,
        freshForMs: withinMs,
      });
      if (!answer.covered) throw new Error(`the archive stopped covering the window: ${answer.reason}`);
      return answer.page;
    },
    meta,
  );
}
