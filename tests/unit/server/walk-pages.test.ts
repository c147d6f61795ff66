import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditLog } from "@/lib/audit-log";
import { mulberry32 } from "@/lib/sandbox/prng";
import { pickQuery, validateSearch } from "@/lib/search-params";
import { parseConfig, type Config } from "@/lib/server/config";
import { createStatsService, type FetchLogPage } from "@/lib/server/stats";
import { fetchLogPage, transportOnly, type LogPage } from "@/lib/server/upstream";
import { walkLogPage } from "@/lib/server/walk-pages";
import {
  estimatedSize,
  findWalk,
  pageOfEntries,
  resetWindowWalks,
  selectEntries,
  walkCacheStats,
  walkWindow,
} from "@/lib/server/window-walk";

const NOW = new Date("2026-11-18T12:00:00Z");
const DAY = 86_400_000;
// 20,000 entries over 120 days: a 10-day window holds about 1,700, two pages of a walk.
const config = configOf({});
const SINCE = NOW.getTime() - 10 * DAY;
const BEFORE = NOW.getTime() - DAY;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
const ctx = { priority: "interactive" as const, viewer: null };

function configOf(env: Record<string, string>): Config {
  const r = parseConfig({ SANDBOX_NOW: NOW.toISOString(), SANDBOX_SIZE: "20000", ...env });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.config;
}

let calls = 0;
const upstream: FetchLogPage = (c, q, o) => {
  calls++;
  return fetchLogPage(c, q, o, transportOnly(c));
};

function queryOf(params: URLSearchParams) {
  const search = validateSearch(params, { api: "v2", now: NOW, accept: ["limit", "buckets"] });
  if (!search.ok) throw new Error(`${params}: ${JSON.stringify(search.errors)}`);
  return { query: pickQuery(search.value), limit: search.value.limit, buckets: search.value.buckets };
}

/** Filter values seen in the window, some in other cases and as ranges, some never logged. */
function filterValues(entries: AuditLog[]): Record<string, string[]> {
  const seen = (pick: (e: AuditLog) => string | number | null) =>
    [...new Set(entries.map(pick).filter((v) => v !== null && v !== ""))].slice(0, 30).map(String);
  return {
    action_type: ["create", "update", "delete"],
    action_result: ["success", "failure"],
    actor_email: seen((e) => e.actorEmail).flatMap((v) => [v, v.toUpperCase()]),
    actor_type: seen((e) => e.actorType),
    actor_id: seen((e) => e.actorId),
    actor_token_name: seen((e) => e.actorTokenName),
    resource_type: seen((e) => e.resourceType),
    resource_product: seen((e) => e.resourceProduct),
    resource_scope: seen((e) => e.resourceScope),
    zone_name: seen((e) => e.zoneName).flatMap((v) => [v, v.toUpperCase()]),
    zone_id: seen((e) => e.zoneId),
    raw_method: ["GET", "POST", "put", "PATCH", "DELETE"],
    raw_status_code: ["200", "403", "500", "503"],
    actor_ip_address: seen((e) => e.actorIp).flatMap((ip) =>
      ip.includes(":")
        ? [ip, `${ip.split(":").slice(0, 3).join(":")}::/48`]
        : [ip, ip.replace(/\.\d+$/, ".0/24")],
    ),
    id: seen((e) => e.id).slice(0, 5),
  };
}

beforeEach(() => {
  resetWindowWalks();
  calls = 0;
});

describe("answers from a kept walk", () => {
  it("gives the upstream's rows, order and page ends for 100 random filter combinations, with no call", async () => {
    const walked = await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
    expect(walked.complete).toBe(true);
    expect(calls).toBe(Math.ceil(walked.entries.length / 1000));
    calls = 0;
    const values = filterValues(walked.entries);
    const names = Object.keys(values);
    const rand = mulberry32(20261127);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
    let nonEmpty = 0;
    let paged = 0;
    for (let n = 0; n < 100; n++) {
      const since = SINCE + Math.floor(rand() * 4 * DAY);
      const before = Math.min(BEFORE, since + Math.floor(rand() * 5 * DAY) + 3_600_000);
      const params = new URLSearchParams({
        since: iso(since),
        before: iso(before),
        direction: pick(["asc", "desc"]),
        limit: String(pick([1, 5, 20, 100, 1000])),
      });
      for (let f = Math.floor(rand() * 4); f > 0; f--) {
        const name = pick(names);
        params.append(rand() < 0.3 ? `${name}.not` : name, pick(values[name]));
      }
      const { query, limit } = queryOf(params);
      let apiCursor: string | null = null;
      let localCursor: string | null = null;
      for (let page = 1; page <= 3; page++) {
        const before = calls;
        const local = await walkLogPage(config, query, { cursor: localCursor, limit, now: NOW }, ctx);
        expect(calls, `${params} page ${page}: calls`).toBe(before);
        const api = await fetchLogPage(
          config,
          query,
          { limit, now: NOW, cursor: apiCursor },
          transportOnly(config),
        );
        expect(local?.data, `${params} page ${page}`).toStrictEqual(api.data);
        expect(local?.meta).toStrictEqual(api.meta);
        expect(local?.nextCursor === null, `${params} page ${page}: last`).toBe(api.nextCursor === null);
        if (api.data.length > 0) nonEmpty++;
        if (page > 1) paged++;
        if (!api.nextCursor || !local?.nextCursor) break;
        apiCursor = api.nextCursor;
        localCursor = local.nextCursor;
      }
    }
    // The comparison is not vacuous: most queries find rows, and many go on past their first page.
    expect(nonEmpty).toBeGreaterThan(60);
    expect(paged).toBeGreaterThan(20);
  }, 60_000);

  it("applies automation=exclude|only as the upstream does (folded into actor_context)", async () => {
    await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
    for (const automation of ["exclude", "only"]) {
      const params = new URLSearchParams({
        since: iso(SINCE),
        before: iso(BEFORE),
        automation,
        limit: "1000",
      });
      const { query, limit } = queryOf(params);
      calls = 0;
      const local = await walkLogPage(config, query, { cursor: null, limit, now: NOW }, ctx);
      expect(calls).toBe(0);
      const api = await fetchLogPage(config, query, { limit, now: NOW, cursor: null }, transportOnly(config));
      expect(api.data.length).toBeGreaterThan(0);
      expect(local?.data, automation).toStrictEqual(api.data);
    }
  });

  it("counts the activity overview exactly as an upstream walk would, for 30 random filter combinations", async () => {
    const local = createStatsService({ fetchPage: upstream, walks: true });
    const remote = createStatsService({ fetchPage: (c, q, o) => fetchLogPage(c, q, o, transportOnly(c)) });
    const base = new URLSearchParams({ since: iso(SINCE), before: iso(BEFORE), buckets: "60" });
    const first = queryOf(base);
    // The first, unfiltered view walks the window once and keeps it.
    expect(await local.getStats(config, first.query, 60, NOW)).toStrictEqual(
      await remote.getStats(config, first.query, 60, NOW),
    );
    const walkCalls = calls;
    expect(walkCalls).toBeGreaterThan(0);
    const kept = await findWalk(config, SINCE, BEFORE);
    const values = filterValues(kept?.entries ?? []);
    const names = Object.keys(values);
    const rand = mulberry32(7);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
    for (let n = 0; n < 30; n++) {
      const params = new URLSearchParams(base);
      for (let f = Math.floor(rand() * 3) + 1; f > 0; f--) {
        const name = pick(names);
        params.append(rand() < 0.3 ? `${name}.not` : name, pick(values[name]));
      }
      const { query, buckets } = queryOf(params);
      expect(await local.getStats(config, query, buckets, NOW), String(params)).toStrictEqual(
        await remote.getStats(config, query, buckets, NOW),
      );
    }
    expect(calls).toBe(walkCalls);
  }, 60_000);

  it("goes upstream for what it cannot apply locally, and when no walk holds the window", async () => {
    await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
    const within = (extra: string) =>
      queryOf(new URLSearchParams(`since=${iso(SINCE)}&before=${iso(BEFORE)}&${extra}`)).query;
    const options = { cursor: null, limit: 100, now: NOW };
    expect(await walkLogPage(config, within("product_category=dns"), options, ctx)).toBeNull();
    // A value the API refuses is refused by the API, not answered with no rows.
    expect(await walkLogPage(config, within("action_type=Create"), options, ctx)).toBeNull();
    const wider = queryOf(new URLSearchParams(`since=${iso(SINCE - DAY)}&before=${iso(BEFORE)}`)).query;
    expect(await walkLogPage(config, wider, options, ctx)).toBeNull();
    expect(await walkLogPage(config, within("action_type=create"), options, ctx)).not.toBeNull();
  });

  it("tops a kept walk up with the entries logged after it: one call, the upstream's rows", async () => {
    await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
    calls = 0;
    // The clock moved on by half a day: the view's relative window now ends past the kept walk.
    const params = new URLSearchParams({
      since: iso(SINCE + DAY),
      before: iso(BEFORE + DAY / 2),
      actor_type: "user",
    });
    const { query } = queryOf(params);
    const local = await walkLogPage(config, query, { cursor: null, limit: 1000, now: NOW }, ctx, upstream);
    expect(calls).toBe(1);
    const api = await fetchLogPage(config, query, { limit: 1000, now: NOW }, transportOnly(config));
    expect(local?.data).toStrictEqual(api.data);
    expect(local?.data.some((e) => Date.parse(e.time) >= BEFORE)).toBe(true);
    // The topped-up walk is kept: the next filter change costs nothing.
    const other = queryOf(new URLSearchParams({ since: iso(SINCE + DAY), before: iso(BEFORE + DAY / 2) }));
    await walkLogPage(config, other.query, { cursor: null, limit: 100, now: NOW }, ctx, upstream);
    expect(calls).toBe(1);
    expect(walkCacheStats(config)).toMatchObject({ topUps: 1, hits: 1 });
  });

  it("weighs a walk kept in this process without serialising it whole", async () => {
    const walked = await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
    expect(walked.entries.length).toBeGreaterThan(1_000);
    const exact = JSON.stringify(walked.entries).length;
    // The estimate stays close to the real size, so the byte bound still means what it says.
    expect(Math.abs(estimatedSize(walked.entries) - exact) / exact).toBeLessThan(0.1);
    resetWindowWalks();
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
      const longest = Math.max(0, ...stringify.mock.results.map((r) => String(r.value ?? "").length));
      // Serialising the whole walk is what held every request up on a busy account; the upstream's
      // pages of 1,000 entries are serialised anyway, each smaller than this walk.
      expect(longest).toBeLessThan(exact);
    } finally {
      stringify.mockRestore();
    }
    expect(walkCacheStats(config).bytes).toBe(estimatedSize(walked.entries));
  });

  it("reads a page from a walk as far as the page needs, with the rows selectEntries would give", async () => {
    const walked = await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
    const walk = { since: SINCE, before: BEFORE, entries: walked.entries, heldSince: walked.heldSince };
    const from = SINCE + DAY;
    const to = BEFORE - DAY;
    const updates = (e: AuditLog) => e.actionType === "update";
    for (const direction of ["desc", "asc"] as const) {
      const all = selectEntries(walk, from, to, updates, direction);
      expect(all.length).toBeGreaterThan(300);
      for (const start of [0, 1, 150, all.length - 3, all.length - 1]) {
        const startId = start === 0 ? null : all[start].id;
        expect(pageOfEntries(walk, from, to, updates, direction, startId, 101)).toEqual(
          all.slice(start, start + 101),
        );
      }
    }
    // An id that is not among the selected entries (outside the window, or filtered out) is no place to
    // continue from.
    const outside = walked.entries.find((e) => Date.parse(e.time) >= to)!;
    const other = walked.entries.find((e) => !updates(e) && Date.parse(e.time) < to)!;
    expect(pageOfEntries(walk, from, to, updates, "desc", outside.id, 101)).toBeNull();
    expect(pageOfEntries(walk, from, to, updates, "desc", other.id, 101)).toBeNull();
    expect(pageOfEntries(walk, from, to, updates, "desc", "no-such-id", 101)).toBeNull();
    // A first page of a filter most entries pass looks at about a page of entries, not the whole walk.
    const test = vi.fn(() => true);
    expect(pageOfEntries(walk, SINCE, BEFORE, test, "desc", null, 101)).toHaveLength(101);
    expect(test).toHaveBeenCalledTimes(101);
  });

  it("keeps walks within the byte bound and counts hits", async () => {
    const small = configOf({ WALK_CACHE_BYTES: "1000" });
    const walked = await walkWindow(small, SINCE, BEFORE, ctx, upstream, NOW);
    expect(walked.complete).toBe(true);
    expect(await findWalk(small, SINCE, BEFORE)).toBeNull();
    expect(walkCacheStats(small)).toMatchObject({ hits: 0, misses: 1, bytes: 0 });
    await walkWindow(config, SINCE, BEFORE, ctx, upstream, NOW);
    expect(await findWalk(config, SINCE + DAY, BEFORE - DAY)).not.toBeNull();
    const stats = walkCacheStats(config);
    expect(stats.hits).toBe(1);
    expect(stats.bytes).toBeGreaterThan(0);
    expect(stats.bytes).toBeLessThanOrEqual(config.walkCacheBytes);
  });
});

describe("a walk the entry cap stopped", () => {
  // The 10-day window holds about 1,700 entries: a cap of 800 stops its walk after one page.
  const capped = configOf({ STATS_MAX_ENTRIES: "800" });

  /** Every row of a query, straight from the upstream. */
  async function allRows(query: ReturnType<typeof queryOf>["query"]): Promise<AuditLog[]> {
    const rows: AuditLog[] = [];
    let cursor: string | null = null;
    do {
      const page = await fetchLogPage(
        capped,
        query,
        { limit: 1000, now: NOW, cursor },
        transportOnly(capped),
      );
      rows.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  }

  it("is kept with the newest part of the window it holds whole, on a whole second", async () => {
    const walked = await walkWindow(capped, SINCE, BEFORE, ctx, upstream, NOW);
    expect(calls).toBe(1);
    expect(walked.complete).toBe(false);
    expect(walked.heldSince % 1000).toBe(0);
    expect(walked.heldSince).toBeGreaterThan(SINCE);
    const all = await allRows(queryOf(new URLSearchParams({ since: iso(SINCE), before: iso(BEFORE) })).query);
    expect(walked.entries).toStrictEqual(all.filter((e) => Date.parse(e.time) >= walked.heldSince));
    expect(walked.entries.length).toBeLessThanOrEqual(800);
    expect(walked.entries.length).toBeGreaterThan(700);
    // Not whole: no answer claims the window is held whole.
    expect(await findWalk(capped, SINCE, BEFORE)).toBeNull();
  });

  it("answers newest-first pages while it reaches, then continues upstream, with the upstream's rows", async () => {
    await walkWindow(capped, SINCE, BEFORE, ctx, upstream, NOW);
    const values = filterValues((await walkWindow(capped, SINCE, BEFORE, ctx, upstream, NOW)).entries);
    calls = 0;
    const cases = [
      "",
      "action_type=update",
      "action_type.not=create",
      "action_result=success",
      `actor_email=${values.actor_email[0]}`,
      `zone_name.not=${values.zone_name[0]}`,
    ];
    let answeredHere = 0;
    for (const filter of cases)
      for (const limit of [7, 100, 250]) {
        const params = new URLSearchParams(
          `since=${iso(SINCE)}&before=${iso(BEFORE)}&limit=${limit}&${filter}`,
        );
        const { query } = queryOf(params);
        let localCursor: string | null = null;
        let apiCursor: string | null = null;
        for (let page = 1; page <= 12; page++) {
          const before = calls;
          const local: LogPage =
            (await walkLogPage(capped, query, { cursor: localCursor, limit, now: NOW }, ctx, upstream)) ??
            (await fetchLogPage(
              capped,
              query,
              { limit, now: NOW, cursor: localCursor },
              transportOnly(capped),
            ));
          if (page === 1 && calls === before) answeredHere++;
          const api = await fetchLogPage(
            capped,
            query,
            { limit, now: NOW, cursor: apiCursor },
            transportOnly(capped),
          );
          expect(local.data, `${params} page ${page}`).toStrictEqual(api.data);
          expect(local.nextCursor === null, `${params} page ${page}: last`).toBe(api.nextCursor === null);
          if (!api.nextCursor || !local.nextCursor) break;
          localCursor = local.nextCursor;
          apiCursor = api.nextCursor;
        }
      }
    // Most first pages came from the walk; the rest (a rare filter) went upstream.
    expect(answeredHere).toBeGreaterThanOrEqual(12);
  }, 60_000);

  it("leaves oldest-first pages to the upstream", async () => {
    await walkWindow(capped, SINCE, BEFORE, ctx, upstream, NOW);
    const { query } = queryOf(new URLSearchParams(`since=${iso(SINCE)}&before=${iso(BEFORE)}&direction=asc`));
    expect(
      await walkLogPage(capped, query, { cursor: null, limit: 100, now: NOW }, ctx, upstream),
    ).toBeNull();
  });

  it("counts the part it holds for a filter change, says so, and costs no call", async () => {
    const service = createStatsService({ fetchPage: upstream, walks: true });
    const base = new URLSearchParams({ since: iso(SINCE), before: iso(BEFORE), buckets: "60" });
    const first = await service.getStats(capped, queryOf(base).query, 60, NOW);
    expect(first.coverage).toMatchObject({ complete: false, stoppedBy: "entries" });
    const walkCalls = calls;
    const heldSince = Date.parse(first.coverage.oldestCovered!);
    const params = new URLSearchParams(base);
    // A filter matching more entries than the cap: its own walk would be capped too.
    params.append("action_type.not", "create");
    const { query } = queryOf(params);
    const counts = await service.getStats(capped, query, 60, NOW);
    expect(calls).toBe(walkCalls);
    expect(counts.coverage).toMatchObject({ complete: false, stoppedBy: "entries" });
    expect(counts.coverage.oldestCovered).toBe(first.coverage.oldestCovered);
    // Exactly the matching entries of the part held, as the upstream lists them.
    const held = new URLSearchParams(`since=${iso(heldSince)}&before=${iso(BEFORE)}&action_type.not=create`);
    const expected = await allRows(queryOf(held).query);
    expect(counts.totals.entries).toBe(expected.length);
    expect(counts.totals.failure).toBe(expected.filter((e) => e.actionResult === "failure").length);
    expect(expected.length).toBeGreaterThan(100);
  });

  it("walks a selective filter upstream, where a page or two counts the whole window", async () => {
    const service = createStatsService({ fetchPage: upstream, walks: true });
    const base = new URLSearchParams({ since: iso(SINCE), before: iso(BEFORE), buckets: "60" });
    await service.getStats(capped, queryOf(base).query, 60, NOW);
    const walk = await walkWindow(capped, SINCE, BEFORE, ctx, upstream, NOW);
    calls = 0;
    const params = new URLSearchParams(base);
    params.append("id", walk.entries[3].id);
    const counts = await service.getStats(capped, queryOf(params).query, 60, NOW);
    expect(calls).toBe(1);
    expect(counts.coverage.complete).toBe(true);
    expect(counts.totals.entries).toBe(1);
  });
});
