import "server-only";
import { resolve } from "node:path";
import type { Config } from "@/lib/server/config";
import { requestNow } from "@/lib/server/upstream";
import { openEmbedded, openServer, type Db } from "./db";
import { migrate } from "./schema";
import { archiveSettingsFromEnv, type ArchiveSettings } from "./settings";
import { ArchiveSync } from "./sync";

/** The archive of this process: its database and, once started, its sync. */
export interface ArchiveRuntime {
  settings: ArchiveSettings;
  db: Promise<Db>;
  /** The database once open: reads skip the archive until then rather than wait for it. */
  opened?: Db | null;
  sync: ArchiveSync | null;
}

function track(runtime: ArchiveRuntime): ArchiveRuntime {
  runtime.db.then(
    (db) => (runtime.opened = db),
    // A failed open is reported by whoever awaits it (the sync at start, /api/archive).
    () => {},
  );
  return runtime;
}

// One per process: each route is a separate server bundle with its own copy of this module, and an
// embedded database directory may be opened only once.
const holder = globalThis as typeof globalThis & { __auditLogArchive?: ArchiveRuntime | null };

async function open(settings: ArchiveSettings): Promise<Db> {
  const db = settings.databaseUrl
    ? await openServer(settings.databaseUrl)
    : await openEmbedded(resolve(settings.dir));
  await migrate(db);
  return db;
}

/** The archive, opened on first use; null when `ARCHIVE` is off. Throws on invalid settings. */
export function getArchive(): ArchiveRuntime | null {
  if (holder.__auditLogArchive !== undefined) return holder.__auditLogArchive;
  const parsed = archiveSettingsFromEnv();
  if (!parsed.ok) throw new Error(`archive settings: ${parsed.problems.join("; ")}`);
  if (!parsed.settings.enabled) return (holder.__auditLogArchive = null);
  const runtime = track({ settings: parsed.settings, db: open(parsed.settings), sync: null });
  return (holder.__auditLogArchive = runtime);
}

/** Start syncing (at server start). Several instances on one server: only one syncs at a time. */
export async function startArchiveSync(config: Config): Promise<ArchiveSync | null> {
  const runtime = getArchive();
  if (!runtime) return null;
  const db = await runtime.db;
  runtime.sync ??= new ArchiveSync({ db, config, settings: runtime.settings, now: () => requestNow(config) });
  runtime.sync.start();
  return runtime.sync;
}

/** Use this archive (or none) in this process: tests. */
export function setArchive(runtime: ArchiveRuntime | null | undefined): void {
  if (runtime === undefined) delete holder.__auditLogArchive;
  else holder.__auditLogArchive = runtime && track(runtime);
}
