import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/server/archive/db";
import { migrate } from "@/lib/server/archive/schema";
import { entryFromRaw, upsertEntries } from "@/lib/server/archive/store";
import { normalizeV2Entry } from "@/lib/server/normalize";
import { testDb } from "./support";

const NUL_ENTRY = {
  id: "nul-1",
  action: { time: "2026-11-20T10:00:00Z", type: "update", result: "success", description: "a\u0000b" },
  actor: { email: "x\u0000@example.com", type: "user", ip_address: "198.51.100.7" },
  resource: { type: "Policy", request: { name: "\u0000", nested: ["\u0000\u0001", "\ud800"] } },
  raw: { method: "PUT", status_code: 200, uri: "/x\u0000" },
};

async function roundTrip(db: Db) {
  await migrate(db);
  await migrate(db); // a second start finds the schema up to date
  const entry = normalizeV2Entry(structuredClone(NUL_ENTRY));
  await upsertEntries(db, [{ entry, rank: 0 }]);
  await upsertEntries(db, [{ entry, rank: 0 }]);
  const rows = await db.query<{ raw: string; n: number }>(
    "select raw, (select count(*)::int from archive_entries) as n from archive_entries where id = $1",
    ["nul-1"],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0].n).toBe(1);
  expect(entryFromRaw(rows[0].raw, "v2").raw).toStrictEqual(NUL_ENTRY);
  expect(entryFromRaw(rows[0].raw, "v2")).toStrictEqual(normalizeV2Entry(NUL_ENTRY));
}

describe("archive storage", () => {
  it("keeps an entry holding U+0000 identical (embedded)", async () => {
    const db = await testDb();
    try {
      await roundTrip(db);
    } finally {
      await db.close();
    }
  });
});
