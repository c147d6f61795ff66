import "server-only";
import { loadQuery, MAX_AGE_DAYS } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import { ProblemError } from "@/lib/server/problem";
import { countSealedDays } from "./aggregate";
import { sealDays } from "./chain";
import type { Db, Sql } from "./db";
import type { ArchiveSettings } from "./settings";
import { fetchArchivePage, type FetchArchivePage } from "./source";
import { getState, setState, timeOf, upsertEntries, type Incoming } from "./store";

/**
 * Where the sync stands, kept in the database so a restart (or another instance on the same server)
 * resumes where it stopped. Entries with `backfillBefore ≤ time < coveredTo` are complete.
 */
export interface SyncPosition {
  /** Which upstream the archive holds: api, account and base URL. */
  source: string;
  /** The oldest instant the backfill goes back to (ms). */
  since: number;
  /** The backfill has stored every entry from here up to `coveredTo` (ms). */
  backfillBefore: number;
  backfillDone: boolean;
  /** The end of the last complete walk (ms). */
  coveredTo: number;
}

export interface SyncStatus {
  lastError: string | null;
  /** The last failure was the upstream asking us to wait (rate limit, budget, paused calls). */
  paused: boolean;
  at: number;
}

/** Entries fetched per upstream call: the most the API gives, so the backfill spends the fewest calls. */
export const SYNC_PAGE_SIZE = 1000;
/**
 * Entries can appear upstream a little after their time: each follow run walks again from this long
 * before the end of the previous one, and a day is sealed only once this long has passed after it.
 */
export const OVERLAP_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
/** The oldest a walk starts: within Cloudflare's 18 months, with a margin for a walk's duration. */
const RETENTION_WALK_MS = (MAX_AGE_DAYS - 1) * DAY_MS;
/** One lock for every instance syncing into the same database. */
export const SYNC_LOCK_KEY = 8815002;

export function sourceOf(config: Config): string {
  return `${config.api}|${config.accountId}|${config.mode === "sandbox" ? "sandbox" : config.baseUrl}`;
}

const WAIT_SLUGS = new Set(["upstream-rate-limited", "upstream-paused", "upstream-budget"]);

export interface SyncOptions {
  db: Db;
  config: Config;
  settings: ArchiveSettings;
  fetchPage?: FetchArchivePage;
  /** The upstream's clock (the sandbox's when pinned). */
  now: () => Date;
  overlapMs?: number;
  pageSize?: number;
}

/**
 * Copies the account's audit log into the archive: first a backfill, newest first, from now back to
 * `ARCHIVE_SINCE`; then, every `ARCHIVE_INTERVAL`, a walk over what arrived since, from a little before
 * the previous end. Entries are upserted by id, so walking a span twice changes nothing.
 *
 * The upstream orders entries of the same instant in its own way; the sync keeps that order as each
 * entry's rank within its instant. Walks always start and end on instants, so every walk sees every
 * entry of the instants it covers, and ranks are always counted over whole instants.
 */
export class ArchiveSync {
  private readonly db: Db;
  private readonly config: Config;
  private readonly settings: ArchiveSettings;
  private readonly fetchPage: FetchArchivePage;
  private readonly now: () => Date;
  readonly overlapMs: number;
  private readonly pageSize: number;
  private stopped = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  /** Whether this instance holds the sync lock. */
  holdsLock = false;

  constructor(options: SyncOptions) {
    this.db = options.db;
    this.config = options.config;
    this.settings = options.settings;
    this.fetchPage = options.fetchPage ?? fetchArchivePage;
    this.now = options.now;
    this.overlapMs = options.overlapMs ?? OVERLAP_MS;
    this.pageSize = options.pageSize ?? SYNC_PAGE_SIZE;
  }

  /** The stored position, created on first use; refuses an archive of another upstream. */
  async position(sql: Sql = this.db): Promise<SyncPosition> {
    const stored = await getState<SyncPosition>(sql, "sync");
    const source = sourceOf(this.config);
    if (stored) {
      if (stored.source !== source)
        throw new Error(
          `the archive holds entries of another upstream (${stored.source}); use another ARCHIVE_DIR or database`,
        );
      return stored;
    }
    const now = this.now().getTime();
    const fresh: SyncPosition = {
      source,
      since: now - this.settings.sinceMs,
      backfillBefore: now,
      backfillDone: false,
      coveredTo: now,
    };
    await setState(sql, "sync", fresh);
    return fresh;
  }

  /**
   * Walk `[since, before)` newest first, handing each page (with ranks) to `store`. Returns when the
   * upstream has no further page.
   */
  private async walk(
    since: number,
    before: number,
    store: (entries: Incoming[], oldest: number | null, more: boolean) => Promise<void>,
  ): Promise<void> {
    const query = loadQuery(
      new URLSearchParams({
        since: new Date(since).toISOString(),
        before: new Date(before).toISOString(),
        direction: "desc",
      }),
    );
    let cursor: string | null = null;
    let instant = NaN;
    let rank = 0;
    do {
      if (this.stopped) return;
      const page = await this.fetchPage(this.config, query, {
        cursor,
        limit: this.pageSize,
        now: this.now(),
      });
      const entries: Incoming[] = [];
      let oldest: number | null = null;
      for (const entry of page.data) {
        const ms = timeOf(entry);
        if (ms === null) continue;
        rank = ms === instant ? rank + 1 : 0;
        instant = ms;
        oldest = oldest === null ? ms : Math.min(oldest, ms);
        entries.push({ entry, rank });
      }
      cursor = page.nextCursor;
      await store(entries, oldest, cursor !== null);
    } while (cursor !== null);
  }

  /** Backfill down to `since`, recording the position after every page. */
  async backfill(): Promise<void> {
    const start = await this.position();
    if (start.backfillDone) return;
    let done = false;
    // Cloudflare keeps no older entries, and refuses windows reaching past its retention: a backfill
    // that outlasts a day starts its walks a little later each time.
    const oldest = Math.max(start.since, this.now().getTime() - RETENTION_WALK_MS);
    await this.walk(oldest, Math.max(oldest + 1, start.backfillBefore), async (entries, oldest, more) => {
      await this.db.transaction(async (sql) => {
        await upsertEntries(sql, entries);
        const position = await this.position(sql);
        // Entries after the oldest instant of this page are complete; that instant may continue on the
        // next page, so a restart walks it again (whole, so its ranks stay right).
        if (more && oldest !== null) position.backfillBefore = Math.min(position.backfillBefore, oldest + 1);
        if (!more) {
          position.backfillBefore = position.since;
          position.backfillDone = true;
          done = true;
        }
        await setState(sql, "sync", position);
      });
    });
    if (done) await this.afterWalk();
  }

  /** Walk what arrived since the last walk, from a little before its end. */
  async follow(): Promise<void> {
    const position = await this.position();
    const now = this.now().getTime();
    const from = Math.max(position.since, position.coveredTo - this.overlapMs);
    if (now <= from) return;
    let complete = false;
    await this.walk(from, now, async (entries, _oldest, more) => {
      await upsertEntries(this.db, entries);
      complete = !more;
    });
    if (!complete) return;
    await this.db.transaction(async (sql) => {
      const latest = await this.position(sql);
      latest.coveredTo = Math.max(latest.coveredTo, now);
      await setState(sql, "sync", latest);
    });
    await this.afterWalk();
  }

  /** Seal the days late arrivals can no longer change, and apply the retention setting. */
  private async afterWalk(): Promise<void> {
    const position = await this.position();
    if (!position.backfillDone) return;
    let sealed = 0;
    if (this.settings.retentionDays !== null) {
      const cutoff = this.now().getTime() - this.settings.retentionDays * DAY_MS;
      const day = new Date(Math.floor(cutoff / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
      await this.db.transaction(async (sql) => {
        // Whole days only, so a day is either complete or pruned; its place in the chain stays.
        sealed = await sealDays(sql, position.coveredTo, this.overlapMs);
        await sql.query("delete from archive_entries where day < $1::date", [day]);
        await sql.query("update archive_days set pruned = true where day < $1::date", [day]);
        await sql.query("delete from archive_day_counts where day < $1::date", [day]);
        await countSealedDays(sql);
        const latest = await this.position(sql);
        latest.since = Math.max(latest.since, Date.parse(`${day}T00:00:00Z`));
        latest.backfillBefore = Math.max(latest.backfillBefore, latest.since);
        await setState(sql, "sync", latest);
      });
    } else {
      sealed = await this.db.transaction(async (sql) => {
        const days = await sealDays(sql, position.coveredTo, this.overlapMs);
        await countSealedDays(sql);
        return days;
      });
    }
    // Once a day (and at the end of the backfill): marks the settled rows visible to all, so pages and the
    // overview read them from the covering index alone. The embedded database has no autovacuum.
    if (sealed > 0) await this.db.query("vacuum (analyze) archive_entries");
  }

  /** One step: the rest of the backfill, or one follow run. */
  async runOnce(): Promise<void> {
    const position = await this.position();
    if (!position.backfillDone) await this.backfill();
    else await this.follow();
  }

  private async record(error: unknown): Promise<void> {
    const paused = error instanceof ProblemError && WAIT_SLUGS.has(error.init.slug);
    const message = error instanceof Error ? error.message : String(error);
    const status: SyncStatus = { lastError: message, paused, at: this.now().getTime() };
    await setState(this.db, "status", status).catch(() => {});
  }

  /**
   * Run until {@link stop}: take the sync lock (only one instance syncs), then backfill and follow. An
   * instance without the lock tries again every interval, so another takes over when the holder stops.
   */
  start(): void {
    this.running ??= this.loop();
  }

  private async loop(): Promise<void> {
    let lock: { release(): Promise<void> } | null = null;
    try {
      while (!this.stopped) {
        lock ??= await this.db.tryLock(SYNC_LOCK_KEY).catch(() => null);
        this.holdsLock = lock !== null;
        if (lock) {
          try {
            await this.runOnce();
            await setState(this.db, "status", { lastError: null, paused: false, at: this.now().getTime() });
          } catch (error) {
            console.warn(`archive sync: ${error instanceof Error ? error.message : String(error)}`);
            await this.record(error);
          }
        }
        await this.sleep(this.settings.intervalMs);
      }
    } finally {
      this.holdsLock = false;
      await lock?.release();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      timer.unref?.();
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Stop after the page under way, and release the lock. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }
}
