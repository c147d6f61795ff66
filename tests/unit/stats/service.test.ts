import { describe, expect, it } from "vitest";
import { createStatsService, statsCacheKey, STATS_PAGE_LIMIT } from "@/lib/server/stats";
import { planStatsWindow } from "@/lib/stats";
import { NOW, fakeUpstream, query, testConfig, timeline } from "./fixtures";

describe("stats walk and coverage", () => {
  it("is complete when the walk ends before the budget", async () => {
    const upstream = fakeUpstream(timeline(2_500));
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const out = await getStats(testConfig(20_000), query("range=7d"), 48, NOW);
    expect(out.coverage).toMatchObject({ entries: 2_500, complete: true });
    expect(out.totals.entries).toBe(2_500);
    expect(out.buckets.reduce((n, b) => n + b.success + b.failure + b.other, 0)).toBe(2_500);
    expect(upstream.calls.map((c) => [c.cursor, c.limit])).toEqual([
      [null, 1000],
      ["1000", 1000],
      ["2000", 1000],
    ]);
  });

  it("is partial when the budget runs out first, and says how far back it got", async () => {
    const rows = timeline(2_500);
    const upstream = fakeUpstream(rows);
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const out = await getStats(testConfig(1_500), query("range=7d"), 48, NOW);
    expect(out.coverage).toEqual({
      entries: 1_500,
      complete: false,
      oldestCovered: rows[1_499].time,
      stoppedBy: "entries",
    });
    expect(out.totals.entries).toBe(1_500);
    // Every page has the same size (v1 numbers its pages); the excess of the last one is not counted.
    expect(upstream.calls.map((c) => c.limit)).toEqual([1000, 1000]);
  });

  it("asks for pages no larger than a small budget", async () => {
    const upstream = fakeUpstream(timeline(250));
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const out = await getStats(testConfig(100), query("range=7d"), 48, NOW);
    expect(out.coverage).toMatchObject({ entries: 100, complete: false });
    expect(upstream.calls.map((c) => c.limit)).toEqual([100]);
  });

  it("is complete when the last page ends exactly on the budget", async () => {
    const upstream = fakeUpstream(timeline(2_000));
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const out = await getStats(testConfig(2_000), query("range=7d"), 48, NOW);
    expect(out.coverage).toMatchObject({ entries: 2_000, complete: true });
  });

  it("walks newest first over the pinned window with the same clock on every page", async () => {
    const upstream = fakeUpstream(timeline(2_500));
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const out = await getStats(
      testConfig(),
      query("range=7d&direction=asc&actor_email.not=x@y.com"),
      48,
      NOW,
    );
    expect(upstream.calls).toHaveLength(3);
    for (const call of upstream.calls) {
      expect(call.query).toMatchObject({
        direction: "desc",
        since: out.window.since,
        "actor_email.not": ["x@y.com"],
      });
      expect(call.query.before).toBe("2026-11-21T12:07:30Z");
      expect(call.now).toBe(NOW);
      expect(call.limit).toBeLessThanOrEqual(STATS_PAGE_LIMIT);
    }
    // The window is the table's: it ends now, not at the next bar.
    expect(out.window.before).toBe("2026-11-21T12:07:30Z");
  });

  it("stops on an upstream that keeps sending empty pages with a cursor", async () => {
    let calls = 0;
    const { getStats } = createStatsService({
      fetchPage: async (_c, q) => {
        calls += 1;
        return {
          data: [],
          nextCursor: "again",
          meta: { api: "v2", mode: "sandbox", since: q.since!, before: q.before! },
        };
      },
    });
    const out = await getStats(testConfig(), query("range=24h"), 48, NOW);
    expect(calls).toBe(1);
    expect(out.coverage).toEqual({ entries: 0, complete: false, oldestCovered: null, stoppedBy: "entries" });
  });
});

describe("stats cache and coalescing", () => {
  it("runs one walk for concurrent identical requests", async () => {
    const upstream = fakeUpstream(timeline(2_500), { delayMs: 20 });
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => getStats(testConfig(), query("range=7d"), 48, NOW)),
    );
    expect(upstream.calls).toHaveLength(3);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it("answers a second identical request from the cache, also a few seconds later in the same bucket", async () => {
    const upstream = fakeUpstream(timeline(300));
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const first = await getStats(testConfig(), query("range=24h&actor_email=user1@example.com"), 48, NOW);
    const again = await getStats(
      testConfig(),
      query("range=24h&actor_email=user1@example.com"),
      48,
      new Date(NOW.getTime() + 5_000),
    );
    expect(again).toEqual(first);
    expect(upstream.calls).toHaveLength(1);
    expect(first.totals.entries).toBe(100);
  });

  it("treats filter values in any order as the same query, and other filters or bucket counts as new ones", async () => {
    const upstream = fakeUpstream(timeline(300));
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const config = testConfig();
    await getStats(config, query("actor_email=user0@example.com&actor_email=user1@example.com"), 48, NOW);
    await getStats(
      config,
      query("actor_email=user1@example.com&actor_email=user0@example.com&tz=local"),
      48,
      NOW,
    );
    expect(upstream.calls).toHaveLength(1);
    await getStats(config, query("actor_email=user1@example.com"), 48, NOW);
    await getStats(config, query("actor_email=user0@example.com&actor_email=user1@example.com"), 60, NOW);
    expect(upstream.calls).toHaveLength(3);
  });

  it("does not cache errors: every waiter of a failed walk gets the error, the next request walks again", async () => {
    const upstream = fakeUpstream(timeline(300), { failTimes: 1, delayMs: 20 });
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const failed = await Promise.allSettled([
      getStats(testConfig(), query("range=24h"), 48, NOW),
      getStats(testConfig(), query("range=24h"), 48, NOW),
    ]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(upstream.calls).toHaveLength(1);
    const ok = await getStats(testConfig(), query("range=24h"), 48, NOW);
    expect(ok.totals.entries).toBe(300);
    expect(upstream.calls).toHaveLength(2);
  });

  it("shares one answer between requests for the same relative range a few seconds apart", async () => {
    const upstream = fakeUpstream(timeline(300), { delayMs: 0 });
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage });
    const first = await getStats(testConfig(), query("range=24h"), 48, NOW);
    const again = await getStats(testConfig(), query("range=24h"), 48, new Date(NOW.getTime() + 5_000));
    expect(upstream.calls).toHaveLength(1);
    // The shared answer keeps the first request's window, which lies in the past for the second.
    expect(again.window).toEqual(first.window);
    expect(Date.parse(again.window.before)).toBeLessThanOrEqual(NOW.getTime() + 5_000);
  });

  it("keys an explicit window on its instants, not on the clock", () => {
    const config = testConfig();
    const q = query("since=2026-11-21T00:00:00Z&before=2026-11-21T12:00:00Z");
    const key = (now: Date) => statsCacheKey(config, q, planStatsWindow(q, now, 48), 48);
    expect(key(NOW)).toBe(key(new Date(NOW.getTime() + 5_000)));
    const other = query("since=2026-11-21T00:00:00Z&before=2026-11-21T11:00:00Z");
    expect(statsCacheKey(config, other, planStatsWindow(other, NOW, 48), 48)).not.toBe(key(NOW));
  });

  it("expires entries after the TTL", async () => {
    const upstream = fakeUpstream(timeline(10), { delayMs: 0 });
    const { getStats } = createStatsService({ fetchPage: upstream.fetchPage, ttlMs: 30 });
    await getStats(testConfig(), query("since=2026-11-21T00:00:00Z&before=2026-11-21T12:00:00Z"), 48, NOW);
    await new Promise((r) => setTimeout(r, 60));
    await getStats(testConfig(), query("since=2026-11-21T00:00:00Z&before=2026-11-21T12:00:00Z"), 48, NOW);
    expect(upstream.calls).toHaveLength(2);
  });

  it("keys on sorted filters, the resolved window, buckets and the upstream, not on view or order", () => {
    const config = testConfig();
    const plan = planStatsWindow(query("range=24h"), NOW, 48);
    const key = (qs: string) => statsCacheKey(config, query(qs), plan, 48);
    expect(key("action_type=delete&action_type=create&direction=asc")).toBe(
      key("action_type=create&action_type=delete"),
    );
    expect(key("action_type=delete")).not.toBe(key("action_type.not=delete"));
    expect(statsCacheKey(testConfig(100), query(""), plan, 48)).not.toBe(key(""));
  });
});
