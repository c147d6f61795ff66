import { describe, expect, it } from "vitest";
import { createStatsAccumulator, planStatsWindow, type StatsPlan } from "@/lib/stats";
import { NOW, entry, query } from "./fixtures";

const META = { api: "v2", mode: "sandbox" } as const;
const HOUR = 3_600_000;

function plan(qs: string, buckets = 48): StatsPlan {
  return planStatsWindow(query(qs), NOW, buckets);
}

describe("bucketing", () => {
  it("covers the whole window with contiguous buckets, empty ones included", () => {
    const p = plan("since=2026-11-20T00:00:00Z&before=2026-11-21T00:00:00Z", 24);
    const out = createStatsAccumulator(p).finish(true, META);
    expect(out.buckets).toHaveLength(24);
    expect(out.buckets[0].start).toBe("2026-11-20T00:00:00Z");
    expect(out.buckets.at(-1)!.end).toBe("2026-11-21T00:00:00Z");
    for (let i = 1; i < out.buckets.length; i++) expect(out.buckets[i].start).toBe(out.buckets[i - 1].end);
    expect(out.buckets.every((b) => b.success + b.failure + b.other === 0)).toBe(true);
    expect(out.bucketMs).toBe(HOUR);
    expect(out.window).toEqual({ since: "2026-11-20T00:00:00Z", before: "2026-11-21T00:00:00Z" });
    expect(out.coverage).toEqual({ entries: 0, complete: true, oldestCovered: null });
    expect(out.totals.failureRate).toBe(0);
  });

  it("puts an entry on a boundary in the bucket that starts there", () => {
    const acc = createStatsAccumulator(plan("since=2026-11-20T00:00:00Z&before=2026-11-21T00:00:00Z", 24));
    acc.add(entry("2026-11-20T00:00:00Z")); // window start → bucket 0
    acc.add(entry("2026-11-20T00:59:59.999Z")); // last instant of bucket 0
    acc.add(entry("2026-11-20T01:00:00Z")); // boundary → bucket 1
    acc.add(entry("2026-11-20T23:59:59.999Z")); // last bucket
    acc.add(entry("2026-11-21T00:00:00Z")); // exactly `before` (an inclusive upstream) → kept in the last bucket
    const out = acc.finish(true, META);
    expect(out.buckets.map((b) => b.success)).toEqual([2, 1, ...Array(21).fill(0), 2]);
    expect(out.totals.entries).toBe(5);
  });

  it("splits counts by result; anything but success and failure is `other`", () => {
    const acc = createStatsAccumulator(plan("since=2026-11-20T00:00:00Z&before=2026-11-20T02:00:00Z", 2));
    acc.add(entry("2026-11-20T00:10:00Z", { actionResult: "success" }));
    acc.add(entry("2026-11-20T00:20:00Z", { actionResult: "failure" }));
    acc.add(entry("2026-11-20T01:20:00Z", { actionResult: "failure" }));
    acc.add(entry("2026-11-20T01:30:00Z", { actionResult: "pending" }));
    acc.add(entry("2026-11-20T01:40:00Z", { actionResult: "" }));
    const out = acc.finish(true, META);
    expect(out.buckets.map(({ success, failure, other }) => [success, failure, other])).toEqual([
      [1, 1, 0],
      [0, 1, 2],
    ]);
    expect(out.totals).toMatchObject({ entries: 5, success: 1, failure: 2, other: 2, failureRate: 0.4 });
  });

  it("aligns buckets to UTC multiples of the size, not to the window start", () => {
    const p = plan("since=2026-11-20T10:07:00Z&before=2026-11-21T09:52:00Z", 48);
    const out = createStatsAccumulator(p).finish(true, META);
    expect(out.buckets[0]).toMatchObject({ start: "2026-11-20T10:00:00Z", end: "2026-11-20T10:30:00Z" });
    expect(out.buckets.at(-1)).toMatchObject({ start: "2026-11-21T09:30:00Z", end: "2026-11-21T10:00:00Z" });
    expect(out.buckets.every((b) => Date.parse(b.start) % p.bucketMs === 0)).toBe(true);
  });

  it("keeps buckets the same length across a daylight-saving change (UTC, not wall-clock days)", () => {
    // US clocks go forward on 2026-03-08 and back on 2026-11-01: the UTC buckets do not notice.
    for (const day of ["2026-03-08", "2026-11-01"]) {
      const since = Date.parse(`${day}T00:00:00Z`);
      const before = new Date(since + 24 * HOUR).toISOString();
      const out = createStatsAccumulator(plan(`since=${day}&before=${before}`, 24)).finish(true, META);
      expect(out.buckets).toHaveLength(24);
      expect(out.buckets.every((b) => Date.parse(b.end) - Date.parse(b.start) === HOUR)).toBe(true);
    }
  });

  it("reports the oldest entry walked", () => {
    const acc = createStatsAccumulator(plan("range=24h"));
    acc.add(entry("2026-11-21T11:00:00Z"));
    acc.add(entry("2026-11-21T09:15:30.250Z"));
    acc.add(entry("2026-11-21T10:00:00Z"));
    expect(acc.finish(false, META).coverage).toEqual({
      entries: 3,
      complete: false,
      oldestCovered: "2026-11-21T09:15:30.250Z",
      stoppedBy: "entries",
    });
  });
});
