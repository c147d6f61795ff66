import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";
import type { Sql } from "./db";
import { parseRaw } from "./store";

/**
 * The archive's evidence: each UTC day with entries gets `sha256(previousDayHex + "\n" + lines)`, where
 * `lines` holds the day's upstream entries in id order (plain string order of the ids), each as
 * canonical JSON followed by "\n". The first day's previous hash is 64 zeros. Anyone can recompute the
 * chain from the entries, so a changed, added or removed entry shows.
 */
export const GENESIS = "0".repeat(64);
const DAY_MS = 86_400_000;

export function dayHash(prev: string, raws: { id: string; raw: string }[]): string {
  const sorted = [...raws].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hash = createHash("sha256").update(`${prev}\n`);
  for (const { raw } of sorted) hash.update(`${canonicalJson(parseRaw(raw))}\n`);
  return hash.digest("hex");
}

const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function dayEntries(sql: Sql, day: string) {
  return sql.query<{ id: string; raw: string }>("select id, raw from archive_entries where day = $1::date", [
    day,
  ]);
}

export interface DayRecord {
  day: string;
  entries: number;
  prev: string;
  sha256: string;
  pruned: boolean;
}

export async function listDays(sql: Sql): Promise<DayRecord[]> {
  return sql.query<DayRecord>(
    "select day::text as day, entries, prev, sha256, pruned from archive_days order by day",
  );
}

export async function getDay(sql: Sql, day: string): Promise<DayRecord | null> {
  const rows = await sql.query<DayRecord>(
    "select day::text as day, entries, prev, sha256, pruned from archive_days where day = $1::date",
    [day],
  );
  return rows[0] ?? null;
}

export async function chainHead(
  sql: Sql,
): Promise<{ days: number; head: { day: string; sha256: string } | null }> {
  const rows = await sql.query<{ n: number; day: string | null; sha256: string | null }>(
    `select (select count(*)::int from archive_days) as n, d.day::text as day, d.sha256
       from (select 1) one left join (select day, sha256 from archive_days order by day desc limit 1) d on true`,
  );
  const row = rows[0];
  return { days: row?.n ?? 0, head: row?.day && row.sha256 ? { day: row.day, sha256: row.sha256 } : null };
}

/**
 * Seal every day that ended at least `overlapMs` before `coveredTo` (late arrivals for it are over) and
 * is not sealed yet, in order. Only once the backfill is complete: the chain starts at the oldest day.
 */
export async function sealDays(sql: Sql, coveredTo: number, overlapMs: number): Promise<number> {
  const last = (
    await sql.query<{ day: string; sha256: string }>(
      "select day::text as day, sha256 from archive_days order by day desc limit 1",
    )
  )[0];
  const until = dayText(coveredTo - overlapMs - DAY_MS);
  const days = await sql.query<{ day: string }>(
    `select distinct day::text as day from archive_entries
      where day <= $1::date and ($2::date is null or day > $2::date) order by day`,
    [until, last?.day ?? null],
  );
  let prev = last?.sha256 ?? GENESIS;
  for (const { day } of days) {
    const raws = await dayEntries(sql, day);
    const sha256 = dayHash(prev, raws);
    await sql.query("insert into archive_days (day, entries, prev, sha256) values ($1::date, $2, $3, $4)", [
      day,
      raws.length,
      prev,
      sha256,
    ]);
    prev = sha256;
  }
  return days.length;
}

export type Verification = { ok: true; days: number } | { ok: false; day: string; reason: string };

/** Recompute the chain from the stored entries; the first day that does not match is named. */
export async function verifyChain(sql: Sql): Promise<Verification> {
  const days = await listDays(sql);
  let prev = days[0]?.prev ?? GENESIS;
  for (const d of days) {
    if (d.prev !== prev)
      return { ok: false, day: d.day, reason: "its previous hash does not match the day before" };
    if (!d.pruned) {
      const raws = await dayEntries(sql, d.day);
      if (raws.length !== d.entries)
        return { ok: false, day: d.day, reason: `${raws.length} entries stored, ${d.entries} when sealed` };
      if (dayHash(prev, raws) !== d.sha256)
        return { ok: false, day: d.day, reason: "its entries were changed" };
    }
    prev = d.sha256;
  }
  const head = days.at(-1)?.day;
  if (head) {
    const sealed = new Set(days.map((d) => d.day));
    const stored = await sql.query<{ day: string }>(
      "select distinct day::text as day from archive_entries where day <= $1::date order by day",
      [head],
    );
    const unsealed = stored.find(({ day }) => !sealed.has(day) && day >= days[0].day);
    if (unsealed) return { ok: false, day: unsealed.day, reason: "it holds entries but was never sealed" };
  }
  return { ok: true, days: days.length };
}
