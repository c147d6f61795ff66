import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUCKET_SIZES_MS, bucketCount, planStatsWindow } from "@/lib/stats";
import { resolveTimeWindow } from "@/lib/search-params";
import { NOW, query } from "./fixtures";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A instant on a boundary of every listed bucket size, so a relative window is aligned. */
const ALIGNED = new Date("2026-11-21T00:00:00Z");

describe("bucket size choice", () => {
  it.each([
    ["15m", 48, MIN, 15],
    ["1h", 48, 5 * MIN, 12],
    ["1h", 60, MIN, 60],
    ["24h", 48, 30 * MIN, 48],
    ["24h", 24, HOUR, 24],
    ["7d", 48, 6 * HOUR, 28],
    ["7d", 60, 3 * HOUR, 56],
    ["30d", 48, DAY, 30],
    ["30d", 60, 12 * HOUR, 60],
    ["90d", 48, 2 * DAY, 45],
    ["90d", 500, 6 * HOUR, 360],
  ])("range=%s with buckets=%i uses %i ms buckets (%i of them)", (range, buckets, size, count) => {
    const plan = planStatsWindow(query(`range=${range}`), ALIGNED, buckets);
    expect(plan.bucketMs).toBe(size);
    expect(plan.count).toBe(count);
  });

  it("picks the smallest listed size that fits, so one size smaller would not", () => {
    const plan = planStatsWindow(query("range=7d"), NOW, 48);
    const smaller =
      BUCKET_SIZES_MS[BUCKET_SIZES_MS.indexOf(plan.bucketMs as (typeof BUCKET_SIZES_MS)[number]) - 1];
    expect(bucketCount(plan.since.getTime(), plan.before.getTime(), smaller)).toBeGreaterThan(48);
  });

  it("fits a single bucket when asked for one", () => {
    const plan = planStatsWindow(query("since=2026-11-01T23:00:00Z&before=2026-11-02T01:00:00Z"), NOW, 1);
    expect(plan.count).toBe(1);
    expect(plan.firstStart).toBeLessThanOrEqual(Date.parse("2026-11-01T23:00:00Z"));
    expect(plan.firstStart + plan.bucketMs).toBeGreaterThanOrEqual(Date.parse("2026-11-02T01:00:00Z"));
  });

  it("never exceeds the requested number and always covers the window up to now (any window, any count)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2025-06-01T00:00:00Z"), max: NOW.getTime() - 1000 }),
        fc.integer({ min: 1000, max: 600 * DAY }),
        fc.integer({ min: 1, max: 500 }),
        (since, length, buckets) => {
          const q = query(
            `since=${new Date(since).toISOString()}&before=${new Date(since + length).toISOString()}`,
          );
          const plan = planStatsWindow(q, NOW, buckets);
          expect(plan.count).toBeLessThanOrEqual(buckets);
          expect(plan.firstStart % plan.bucketMs).toBe(0);
          expect(plan.firstStart).toBeLessThanOrEqual(since);
          expect(plan.firstStart + plan.count * plan.bucketMs).toBeGreaterThanOrEqual(
            Math.min(since + length, NOW.getTime()),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("stats window", () => {
  it("ends an open window at now, as the table's does, never at a bar in the future", () => {
    const plan = planStatsWindow(query("range=24h"), NOW, 48);
    expect(plan.before.toISOString()).toBe("2026-11-21T12:07:30.000Z");
    expect(plan.since.toISOString()).toBe("2026-11-20T12:07:30.000Z");
    expect(plan).toMatchObject({ since: resolveTimeWindow(query("range=24h"), NOW).since });
    // 24 h from half past the minute spans 49 half-hour bars: hourly bars keep within 48.
    expect(plan.bucketMs).toBe(HOUR);
    expect(plan.count).toBe(25);
    expect(plan.firstStart + plan.count * plan.bucketMs).toBeGreaterThanOrEqual(plan.before.getTime());
  });

  it("never ends a window after now, whatever the range and bucket count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * DAY }),
        fc.constantFrom("15m", "1h", "24h", "7d", "30d", "90d"),
        fc.integer({ min: 1, max: 500 }),
        (offset, range, buckets) => {
          const now = new Date(NOW.getTime() - offset);
          const plan = planStatsWindow(query(`range=${range}`), now, buckets);
          expect(plan.before.getTime()).toBe(now.getTime());
          expect(plan.count).toBeLessThanOrEqual(buckets);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("ends `since` without `before` at now too", () => {
    const plan = planStatsWindow(query("since=2026-11-21T06:00:00Z"), NOW, 48);
    expect(plan.since.toISOString()).toBe("2026-11-21T06:00:00.000Z");
    expect(plan.before.toISOString()).toBe(NOW.toISOString());
  });

  it("clips an explicit end in the future at now", () => {
    const plan = planStatsWindow(query("since=2026-11-21T06:00:00Z&before=2026-11-22T06:00:00Z"), NOW, 48);
    expect(plan.before.toISOString()).toBe(NOW.toISOString());
  });

  it("keeps an explicit since/before exactly, with buckets aligned around it", () => {
    const plan = planStatsWindow(query("since=2026-11-20T10:07:00Z&before=2026-11-21T09:52:00Z"), NOW, 48);
    expect(plan.since.toISOString()).toBe("2026-11-20T10:07:00.000Z");
    expect(plan.before.toISOString()).toBe("2026-11-21T09:52:00.000Z");
    expect(plan.bucketMs).toBe(30 * MIN);
    expect(new Date(plan.firstStart).toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(plan.count).toBe(48);
  });

  it("reads a date-only window as UTC days", () => {
    const plan = planStatsWindow(query("since=2026-11-01&before=2026-11-08"), NOW, 48);
    expect(plan.bucketMs).toBe(6 * HOUR);
    expect(new Date(plan.firstStart).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(plan.count).toBe(28);
  });
});
