import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant, formatSpan, formatTick } from "@/components/activity/time-labels";
import { createStatsAccumulator, planStatsWindow } from "@/lib/stats";
import { NOW, query } from "./fixtures";

// The display zone only changes labels: buckets stay UTC. Node picks up a TZ change at run time; the
// module caches the local zone on first use, so it is set before anything is formatted.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "America/New_York";
});
afterAll(() => {
  process.env.TZ = savedTz;
});

const META = { api: "v2", mode: "sandbox" } as const;
const HOUR = 3_600_000;

describe("labels in the display zone", () => {
  it("labels UTC hour buckets in UTC and in local time across the spring-forward change", () => {
    // 2026-03-08 07:00Z is 03:00 EDT; the hour before is 01:00 EST: local 02:00 does not exist.
    const p = planStatsWindow(query("since=2026-03-08T05:00:00Z&before=2026-03-08T09:00:00Z"), NOW, 4);
    const out = createStatsAccumulator(p).finish(true, META);
    const starts = out.buckets.map((b) => Date.parse(b.start));
    expect(starts.map((ms) => formatTick(ms, ms - HOUR, "utc"))).toEqual([
      "05:00",
      "06:00",
      "07:00",
      "08:00",
    ]);
    expect(starts.map((ms) => formatTick(ms, ms - HOUR, "local"))).toEqual([
      "Mar 8",
      "01:00",
      "03:00",
      "04:00",
    ]);
    // Still four one-hour buckets: the zone moves labels, never boundaries.
    expect(out.buckets.every((b) => Date.parse(b.end) - Date.parse(b.start) === HOUR)).toBe(true);
  });

  it("repeats the local hour when clocks go back, with buckets unchanged", () => {
    const p = planStatsWindow(query("since=2026-11-01T04:00:00Z&before=2026-11-01T08:00:00Z"), NOW, 4);
    const starts = createStatsAccumulator(p)
      .finish(true, META)
      .buckets.map((b) => Date.parse(b.start));
    expect(starts.map((ms) => formatTick(ms, ms - HOUR, "local"))).toEqual([
      "Nov 1",
      "01:00",
      "01:00",
      "02:00",
    ]);
  });

  it("shows the day alone at midnight, and with the first label or where the day changes", () => {
    const first = Date.parse("2026-11-20T22:00:00Z");
    expect(formatTick(first, null, "utc")).toBe("Nov 20 22:00");
    expect(formatTick(first + HOUR, first, "utc")).toBe("23:00");
    expect(formatTick(first + 2 * HOUR, first + HOUR, "utc")).toBe("Nov 21");
    expect(formatTick(first + 3 * HOUR, first + 2 * HOUR, "utc")).toBe("01:00");
    expect(formatTick(first + 2 * HOUR, first + HOUR, "local")).toBe("19:00");
    expect(formatTick(first + 7 * HOUR, first + 6 * HOUR, "local")).toBe("Nov 21");
  });

  it("describes a bucket's span with the zone", () => {
    const start = Date.parse("2026-11-21T09:30:00Z");
    expect(formatSpan(start, start + HOUR / 2, "utc")).toBe("Nov 21, 09:30–10:00 UTC");
    expect(formatSpan(start, start + HOUR / 2, "local")).toBe("Nov 21, 04:30–05:00 UTC−05:00");
    const day = Date.parse("2026-11-20T00:00:00Z");
    expect(formatSpan(day, day + 24 * HOUR, "utc")).toBe("Nov 20 UTC");
    expect(formatSpan(day, day + 48 * HOUR, "utc")).toBe("Nov 20 – Nov 21 UTC");
    // A UTC day is not a local day: the local span shows its times.
    expect(formatSpan(day, day + 24 * HOUR, "local")).toBe("Nov 19, 19:00–Nov 20, 19:00 UTC−05:00");
    expect(formatInstant(start, "utc")).toBe("Nov 21, 2026, 09:30 UTC");
  });
});
