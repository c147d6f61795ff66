/**
 * Fill an archive with the sandbox's entries directly, as a finished backfill would leave it: the same
 * rows, ranks and sync position, written in large batches instead of a million entries paced through
 * the upstream budget. Only the benchmarks use it; the server always fills its archive by syncing.
 */
import { getDataset } from "@/lib/sandbox/dataset";
import { v2Record } from "@/lib/sandbox/record";
import { v1Record } from "@/lib/sandbox/v1-record";
import { countSealedDays } from "@/lib/server/archive/aggregate";
import { sealDays } from "@/lib/server/archive/chain";
import type { Db } from "@/lib/server/archive/db";
import { setState, upsertEntries, type Incoming } from "@/lib/server/archive/store";
import { OVERLAP_MS, sourceOf, type SyncPosition } from "@/lib/server/archive/sync";
import type { Config } from "@/lib/server/config";
import { normalizeV1Entry, normalizeV2Entry } from "@/lib/server/normalize";

/** Rows per statement: one JSON parameter each, large enough that the statement overhead vanishes. */
const BATCH = 5000;

/**
 * Store every entry of the sandbox that `config` describes (newest first, ranked within each instant as
 * the sandbox orders them), seal the finished days, and record a complete backfill from `sinceMs`.
 */
export async function fillArchive(
  db: Db,
  config: Config,
  now: Date,
  sinceMs: number,
  onProgress?: (done: number, total: number) => void,
  /** Entries of other kinds, stored with the sandbox's before the days are sealed. */
  extra: (template: Record<string, unknown>) => Incoming[] = () => [],
): Promise<number> {
  const ds = getDataset(config.sandbox.seed, config.sandbox.size, now.getTime());
  const record = (i: number) =>
    config.api === "v2"
      ? normalizeV2Entry(v2Record(ds, i, config.accountId))
      : normalizeV1Entry(v1Record(ds, i, config.accountId));
  let batch: Incoming[] = [];
  let stored = 0;
  let rank = 0;
  // The sandbox serves an instant's entries newest index first: that is their rank order.
  for (let i = ds.size - 1; i >= 0; i--) {
    const time = ds.time[i];
    if (time < sinceMs || time >= now.getTime()) continue;
    rank = i + 1 < ds.size && ds.time[i + 1] === time ? rank + 1 : 0;
    batch.push({ entry: record(i), rank });
    if (batch.length === BATCH) {
      await upsertEntries(db, batch);
      stored += batch.length;
      batch = [];
      onProgress?.(stored, ds.size);
    }
  }
  await upsertEntries(db, batch);
  stored += batch.length;
  const more = extra(v2Record(ds, ds.size - 1, config.accountId));
  await upsertEntries(db, more);
  stored += more.length;
  await finishFill(db, config, now, sinceMs);
  return stored;
}

/**
 * What the sync does once its backfill is done: record the position, seal and count the finished days,
 * vacuum. Each step only does what is left, so it may run again on an archive filled earlier.
 */
export async function finishFill(db: Db, config: Config, now: Date, sinceMs: number): Promise<void> {
  const position: SyncPosition = {
    source: sourceOf(config),
    since: sinceMs,
    backfillBefore: sinceMs,
    backfillDone: true,
    coveredTo: now.getTime(),
  };
  await setState(db, "sync", position);
  await db.transaction(async (sql) => {
    await sealDays(sql, now.getTime(), OVERLAP_MS);
    await countSealedDays(sql);
  });
  await db.query("vacuum (analyze) archive_entries");
}
