import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { openEmbedded, type Db } from "@/lib/server/archive/db";
import { migrate } from "@/lib/server/archive/schema";

// Initializing an embedded database takes seconds; tests start from a fresh copy made once per machine.
const PGLITE_VERSION = (
  JSON.parse(readFileSync(join("node_modules", "@electric-sql", "pglite", "package.json"), "utf8")) as {
    version: string;
  }
).version;
const TEMPLATE = join(tmpdir(), `archive-template-pglite-${PGLITE_VERSION}.tar`);

let cached: Promise<Blob> | null = null;

/** A migrated in-memory archive database (or one in `dir`), started from the shared template. */
export async function testDb(dir: string | null = null): Promise<Db> {
  cached ??= (async () => {
    if (existsSync(TEMPLATE)) return new Blob([readFileSync(TEMPLATE)]);
    const pg = await PGlite.create();
    const blob = await pg.dumpDataDir("none");
    await pg.close();
    const partial = `${TEMPLATE}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, TEMPLATE);
    return blob;
  })();
  const db = await openEmbedded(dir, await cached);
  await migrate(db);
  return db;
}
