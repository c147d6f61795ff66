import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/sandbox/prng";
import { pickQuery, validateSearch } from "@/lib/search-params";
import { countSealedDays, tallyArchive } from "@/lib/server/archive/aggregate";
import { openServer, type Db } from "@/lib/server/archive/db";
import { migrate } from "@/lib/server/archive/schema";
import { setArchive } from "@/lib/server/archive/runtime";
import { parseArchiveSettings } from "@/lib/server/archive/settings";
import { archiveStats, countEntries } from "@/lib/server/archive/stats";
import { getState, setState, upsertEntries, type Incoming } from "@/lib/server/archive/store";
import { ArchiveSync } from "@/lib/server/archive/sync";
import { parseConfig } from "@/lib/server/config";
import { normalizeV2Entry } from "@/lib/server/normalize";
import { planStatsWindow, statsFromTally, type StatsResponse } from "@/lib/stats";
import { fillArchive } from "../../../bench/archive-fill";
import { startPostgres, type PostgresService } from "../../support/services";
import { testDb } from "./support";

const NOW = new Date("2026-11-18T12:00:00Z");
const DAY = 86_400_000;
const config = (() => {
  const r = parseConfig({ SANDBOX_NOW: NOW.toISOString(), SANDBOX_SIZE: "4000" });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.config;
})();
const settings = (() => {
  const r = parseArchiveSettings({ ARCHIVE: "on" });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.settings;
})();
const meta: StatsResponse["meta"] = { api: "v2", mode: "sandbox" };

/** The window of the odd entries below: a day of its own, where ties and unknown values are certain. */
const ODD_DAY = Date.parse("2026-11-10T00:00:00Z");

/**
 * Entries the sandbox does not make: values outside the known lists, actors named only by a token
 * name or an ID, empty strings, and seven action types tied at three entries each, spelled so that
 * code-unit order differs from byte order (astral characters sort below U+FF21 in JavaScript, above it
 * in UTF-8).
 */
function oddEntries(template: Record<string, unknown>): Incoming[] {
  const types = ["Zeta", "alpha", "é", "\u{1D49C}", "\uFF21", "beta", "a b"];
  const out: Incoming[] = [];
  let k = 0;
  for (const type of types)
    for (let copy = 0; copy < 3; copy++, k++) {
      const raw = structuredClone(template) as Record<string, Record<string, unknown>>;
      raw.id = `odd-${k}` as never;
      raw.action = { ...raw.action, type, time: new Date(ODD_DAY + 3_600_000 + k * 1000).toISOString() };
      raw.action.result = ["success", "failure", "partial", ""][k % 4];
      const actor: Record<string, unknown> = { ...raw.actor, type: ["user", "robot", "account"][k % 3] };
      actor.context = ["dash", "mcp", "api_token", ""][k % 4];
      if (k % 5 === 0) delete actor.email;
      if (k % 5 === 1) actor.email = "";
      if (k % 7 === 0) actor.token_name = "";
      if (k % 6 === 0) actor.token_id = "";
      actor.ip_address = ["198.51.100.7", "", "2001:db8::1"][k % 3];
      raw.actor = actor;
      out.push({ entry: normalizeV2Entry(raw), rank: 0 });
    }
  return out;
}

function queryOf(since: number, before: number) {
  const params = new URLSearchParams({
    since: new Date(since).toISOString(),
    before: new Date(before).toISOString(),
  });
  const checked = validateSearch(params, { api: "v2", now: NOW, beyondRetention: true });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return pickQuery(checked.value);
}

const FILTERS: [string, string[]][] = [
  ["action_type", ["create", "update", "delete", "Zeta"]],
  ["action_result", ["success", "failure", "partial"]],
  ["actor_type", ["user", "account", "robot"]],
  ["actor_context", ["dash", "api_token", "mcp"]],
  ["automation", ["exclude", "only"]],
  ["zone_name", ["ACME.com", "acme.shop"]],
];

async function checkRandomQueries(db: Db, count: number) {
  const rand = mulberry32(20261127);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const [{ lo }] = await db.query<{ lo: number }>("select min(time_ms)::float8 as lo from archive_entries");
  let compared = 0;
  for (let n = 0; n < count; n++) {
    // Windows from an hour to the whole archive; a fifth of them on the day of the odd entries.
    const span = pick([3_600_000, DAY, 7 * DAY, 30 * DAY, NOW.getTime() - lo]);
    const before =
      n % 5 === 0
        ? ODD_DAY + DAY + Math.floor(rand() * 3_600_000)
        : NOW.getTime() - Math.floor(rand() * (NOW.getTime() - lo - span + 1));
    const since = Math.max(lo, before - span) - Math.floor(rand() * 1000);
    const params = new URLSearchParams({
      since: new Date(since).toISOString(),
      before: new Date(before).toISOString(),
    });
    for (let f = Math.floor(rand() * 3); f > 0; f--) {
      const [name, values] = pick(FILTERS);
      params.append(name !== "automation" && rand() < 0.3 ? `${name}.not` : name, pick(values));
    }
    if (rand() < 0.15) params.set("q", pick(["cert-manager", "acme", "Zeta"]));
    const checked = validateSearch(params, { api: "v2", now: NOW, beyondRetention: true });
    if (!checked.ok) continue;
    const query = pickQuery(checked.value);
    const plan = planStatsWindow(query, NOW, 1 + Math.floor(rand() * 100));
    const [s, b] = [plan.since.getTime(), plan.before.getTime()];
    const counted = await tallyArchive(db, query, query.q, plan, s, b);
    if (!counted.tally) throw new Error(`${params}: ${counted.reason}`);
    const walked = await countEntries(
      db,
      config,
      query,
      plan,
      { since: s, before: b, now: NOW, withinMs: 0 },
      meta,
    );
    expect(statsFromTally(plan, counted.tally, true, meta), String(params)).toStrictEqual(walked);
    if (walked.totals.entries > 0) compared++;
  }
  expect(compared).toBeGreaterThan(count / 2);
}

describe.each([
  ["embedded", () => testDb()],
  ["PostgreSQL server", null],
] as const)("overview counted in SQL (%s)", (_name, open) => {
  let db: Db;
  let pg: PostgresService | null = null;

  beforeAll(async () => {
    if (open) db = await open();
    else {
      pg = await startPostgres();
      db = await openServer(pg.url);
      await migrate(db);
    }
    await fillArchive(db, config, NOW, NOW.getTime() - 548 * DAY, undefined, oddEntries);
    // Sealed days are counted once: the long windows below add up those counts.
    const [{ days }] = await db.query<{ days: number }>(
      "select count(distinct day)::int as days from archive_day_counts",
    );
    expect(days).toBeGreaterThan(100);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await pg?.stop();
  });

  it("gives the counts, top values and coverage of counting each entry, for 60 random queries", async () => {
    await checkRandomQueries(db, 60);
  }, 120_000);

  it("keeps every value tied at the cut of a top list, ordered as the overview orders them", async () => {
    const query = queryOf(ODD_DAY, ODD_DAY + DAY);
    const plan = planStatsWindow(query, NOW, 24);
    const counted = await tallyArchive(db, query, null, plan, ODD_DAY, ODD_DAY + DAY);
    if (!counted.tally) throw new Error(counted.reason);
    const stats = statsFromTally(plan, counted.tally, true, meta);
    // The sandbox's own create/update/delete of that day come first, then the tie in code-unit order.
    const tied = stats.top.actionTypes.filter((t) => t.count === 3).map((t) => t.value);
    expect(tied).toStrictEqual(
      ["a b", "alpha", "beta", "Zeta", "é", "\u{1D49C}", "\uFF21"].sort().slice(0, tied.length),
    );
    expect(stats.top.unrecognised.map((u) => `${u.param}=${u.value}`)).toEqual(
      expect.arrayContaining(["action_result=partial", "actor_type=robot", "actor_context=mcp"]),
    );
  });

  it("counts entry by entry a window holding a value stored changed (U+0000), with the same answer", async () => {
    const [{ raw }] = await db.query<{ raw: string }>("select raw from archive_entries where id = 'odd-0'");
    const nul = JSON.parse(raw) as Record<string, Record<string, unknown>>;
    nul.id = "odd-nul" as never;
    nul.actor = { ...nul.actor, email: "x\u0000@example.com", token_id: "" };
    await upsertEntries(db, [{ entry: normalizeV2Entry(nul), rank: 1 }]);
    // The second of odd-0, which holds both entries.
    const [since, before] = [ODD_DAY + 3_600_000, ODD_DAY + 3_601_000];
    setArchive({ settings, db: Promise.resolve(db), sync: null });
    try {
      const query = queryOf(since, before);
      const plan = planStatsWindow(query, NOW, 24);
      const counted = await tallyArchive(db, query, null, plan, since, before);
      expect(counted).toMatchObject({ tally: null, recount: true });
      const walked = await countEntries(
        db,
        config,
        query,
        plan,
        { since, before, now: NOW, withinMs: 0 },
        meta,
      );
      expect(walked.top.actors.map((a) => a.value)).toContain("x\u0000@example.com");
      expect(await archiveStats(config, query, 24, NOW)).toStrictEqual(walked);
    } finally {
      setArchive(undefined);
      await db.query("delete from archive_entries where id = 'odd-nul'");
    }
  });

  it("counts the sealed days again when the counting changed", async () => {
    const total = async () =>
      (
        await db.query<{ n: number }>(
          "select coalesce(sum(n), 0)::float8 as n from archive_day_counts where kind = 'total'",
        )
      )[0].n;
    const [{ n: sealed }] = await db.query<{ n: number }>(
      "select count(*)::float8 as n from archive_entries where day <= (select max(day) from archive_days)",
    );
    expect(await total()).toBe(sealed);
    await db.query("update archive_day_counts set n = n + 1");
    const state = await getState<{ through: string }>(db, "day-counts");
    await setState(db, "day-counts", { ...state, rule: "an earlier counting" });
    expect(await countSealedDays(db)).toBeGreaterThan(0);
    expect(await total()).toBe(sealed);
  });

  // Last: it deletes most of the archive.
  it("forgets the counts of the days the retention setting deletes", async () => {
    await new ArchiveSync({
      db,
      config,
      settings: { ...settings, retentionDays: 60 },
      now: () => NOW,
    }).runOnce();
    const [{ oldest }] = await db.query<{ oldest: number }>(
      "select min(time_ms)::float8 as oldest from archive_entries",
    );
    expect(oldest).toBeGreaterThan(NOW.getTime() - 61 * DAY);
    const query = queryOf(NOW.getTime() - 300 * DAY, NOW.getTime() - DAY);
    const plan = planStatsWindow(query, NOW, 30);
    expect(plan.bucketMs % DAY).toBe(0);
    const [since, before] = [NOW.getTime() - 300 * DAY, NOW.getTime() - DAY];
    const counted = await tallyArchive(db, query, null, plan, since, before);
    if (!counted.tally) throw new Error(counted.reason);
    const [{ n }] = await db.query<{ n: number }>(
      "select count(*)::int as n from archive_entries where time_ms >= $1 and time_ms < $2",
      [since, before],
    );
    expect(n).toBeGreaterThan(0);
    expect(counted.tally.entries).toBe(n);
    expect(counted.tally.buckets.reduce((sum, b) => sum + b.success + b.failure + b.other, 0)).toBe(n);
  });
});
