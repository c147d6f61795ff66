import "server-only";
import { chainHead } from "./chain";
import type { Sql } from "./db";
import { coveredSpan } from "./reads";
import { countEntries, getState } from "./store";
import type { SyncPosition, SyncStatus } from "./sync";

export interface ArchiveStatus {
  state: "off" | "backfilling" | "following" | "paused" | "error";
  oldest: string | null;
  newest: string | null;
  entries: number;
  /** How far the archive's complete span ends behind now. */
  lagSeconds: number | null;
  lastError: string | null;
  chain: { days: number; head: { day: string; sha256: string } | null };
  /** Share of the backfill done, from 0 to 1 (1 once it is done); null before it starts. */
  progress: number | null;
  /** The span the archive answers for without the API. */
  covered: { since: string; before: string } | null;
}

export const OFF_STATUS = { state: "off" } as const;

export async function archiveStatus(sql: Sql, now: Date): Promise<ArchiveStatus> {
  const [position, status, entries, chain, bounds] = await Promise.all([
    getState<SyncPosition>(sql, "sync"),
    getState<SyncStatus>(sql, "status"),
    countEntries(sql),
    chainHead(sql),
    sql.query<{ lo: number | null; hi: number | null }>(
      "select min(time_ms)::float8 as lo, max(time_ms)::float8 as hi from archive_entries",
    ),
  ]);
  const iso = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? null : new Date(ms).toISOString();
  const span = coveredSpan(position);
  const state: ArchiveStatus["state"] = status?.lastError
    ? status.paused
      ? "paused"
      : "error"
    : position?.backfillDone
      ? "following"
      : "backfilling";
  return {
    state,
    oldest: iso(bounds[0]?.lo),
    newest: iso(bounds[0]?.hi),
    entries,
    lagSeconds: position ? Math.max(0, Math.round((now.getTime() - position.coveredTo) / 1000)) : null,
    lastError: status?.lastError ?? null,
    chain,
    progress: backfillProgress(position),
    covered: span ? { since: iso(span.from)!, before: iso(span.to)! } : null,
  };
}

/** How much of the span from the backfill's start back to its oldest instant is stored. */
function backfillProgress(position: SyncPosition | null): number | null {
  if (!position) return null;
  if (position.backfillDone) return 1;
  const whole = position.coveredTo - position.since;
  if (whole <= 0) return 0;
  return Math.min(1, Math.max(0, (position.coveredTo - position.backfillBefore) / whole));
}
