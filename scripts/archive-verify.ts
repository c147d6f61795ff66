/**
 * `npm run archive:verify`: recompute the archive's hash chain from the stored entries and compare it
 * with the hashes recorded when each day was sealed. Exits 1 naming the first day that differs.
 *
 * Reads the same settings as the server (`DATABASE_URL`, or `ARCHIVE_DIR` for the embedded database:
 * stop the server first, or verify a copy of the directory, since it is opened by one process only).
 */
import { resolve } from "node:path";
import { verifyChain } from "@/lib/server/archive/chain";
import { openEmbedded, openServer } from "@/lib/server/archive/db";
import { migrate } from "@/lib/server/archive/schema";
import { archiveSettingsFromEnv } from "@/lib/server/archive/settings";

async function main(): Promise<number> {
  const parsed = archiveSettingsFromEnv();
  if (!parsed.ok) {
    console.error(`The archive is not configured: ${parsed.problems.join("; ")}`);
    return 2;
  }
  const { databaseUrl, dir } = parsed.settings;
  const db = databaseUrl ? await openServer(databaseUrl) : await openEmbedded(resolve(dir));
  try {
    await migrate(db);
    const result = await verifyChain(db);
    if (result.ok) {
      console.log(`Archive verified: ${result.days} sealed days, every hash matches its entries.`);
      return 0;
    }
    console.error(`Archive verification FAILED at ${result.day}: ${result.reason}.`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("Archive verification could not run:", error);
    process.exit(2);
  },
);
