/**
 * Disk used by the embedded archive: backfill N sandbox entries into a fresh directory and report its
 * size, per entry and per million entries.
 *
 *   ENTRIES=100000 npx tsx --conditions=react-server bench/archive-disk.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEmbedded } from "@/lib/server/archive/db";
import { migrate } from "@/lib/server/archive/schema";
import { parseArchiveSettings } from "@/lib/server/archive/settings";
import { countEntries } from "@/lib/server/archive/store";
import { ArchiveSync } from "@/lib/server/archive/sync";
import { parseConfig } from "@/lib/server/config";

const entries = Number(process.env.ENTRIES ?? 100_000);
const now = new Date("2026-11-18T12:00:00Z");
const config = parseConfig({ SANDBOX_NOW: now.toISOString(), SANDBOX_SIZE: String(entries) });
const settings = parseArchiveSettings({ ARCHIVE: "on" });
if (!config.ok || !settings.ok) throw new Error("configuration");
const sandbox = config.config;
const archive = settings.settings;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "archive-disk-"));
  const started = performance.now();
  const db = await openEmbedded(dir);
  await migrate(db);
  await new ArchiveSync({ db, config: sandbox, settings: archive, now: () => now }).runOnce();
  const stored = await countEntries(db);
  await db.query("checkpoint");
  const [{ table }] = await db.query<{ table: number }>(
    "select pg_total_relation_size('archive_entries')::float8 as table",
  );
  await db.close();
  const du = (path: string) => Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);
  const bytes = du(dir);
  const wal = du(join(dir, "pg_wal"));
  rmSync(dir, { recursive: true, force: true });
  const perEntry = bytes / stored;
  console.log(
    JSON.stringify({
      entries: stored,
      bytes,
      tableAndIndexBytes: table,
      walBytes: wal,
      bytesPerEntry: Math.round(perEntry),
      perMillionGB: Number(((perEntry * 1e6) / 1e9).toFixed(2)),
      tablePerMillionGB: Number((((table / stored) * 1e6) / 1e9).toFixed(2)),
      seconds: Math.round((performance.now() - started) / 1000),
    }),
  );
}

void main();
