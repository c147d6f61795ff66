import { afterEach, describe, expect, it, vi } from "vitest";
import { parseClockMode, sandboxClock } from "@/lib/sandbox/clock";
import { generateDataset } from "@/lib/sandbox/dataset";
import { liveDataset } from "@/lib/sandbox/live";
import { call, makeHandler, NOW, v2Path } from "./helpers";

const ANCHOR = NOW.getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const times = (entries: { action: { time: string } }[]) => entries.map((e) => Date.parse(e.action.time));

afterEach(() => vi.useRealTimers());

describe("the live sandbox dataset", () => {
  it("adds entries after the anchor, a few seconds apart, and only up to the clock", () => {
    const base = generateDataset(7, 1000, ANCHOR);
    expect(liveDataset(base, ANCHOR).size).toBe(1000);
    const later = liveDataset(base, ANCHOR + 60_000);
    const added = Array.from(later.time.subarray(1000, later.size));
    expect(added.length).toBeGreaterThanOrEqual(5);
    expect(added.length).toBeLessThanOrEqual(20);
    expect(added.every((t) => t > ANCHOR && t <= ANCHOR + 60_000 && t % 1000 === 0)).toBe(true);
    expect(added).toEqual([...added].sort((a, b) => a - b));
    expect(later.anchoredSize).toBe(1000);
  });

  it("is the same for the same seed, whichever steps the clock took to get there", () => {
    const stepwise = generateDataset(7, 1000, ANCHOR);
    for (let t = 0; t <= 120_000; t += 7_000) liveDataset(stepwise, ANCHOR + t);
    const a = liveDataset(stepwise, ANCHOR + 120_000);
    const b = liveDataset(generateDataset(7, 1000, ANCHOR), ANCHOR + 120_000);
    expect(a.size).toBe(b.size);
    for (const key of ["time", "ident", "op", "res", "zone", "ip", "status"] as const)
      expect(Array.from(a[key].subarray(0, a.size))).toEqual(Array.from(b[key].subarray(0, b.size)));
    const other = liveDataset(generateDataset(8, 1000, ANCHOR), ANCHOR + 120_000);
    expect(Array.from(other.time.subarray(1000, other.size))).not.toEqual(
      Array.from(a.time.subarray(1000, a.size)),
    );
  });

  it("keeps the same object while nothing new has appeared, so caches keyed on it hold", () => {
    const base = generateDataset(7, 500, ANCHOR);
    const first = liveDataset(base, ANCHOR + 30_000);
    expect(liveDataset(base, ANCHOR + 30_000)).toBe(first);
    expect(liveDataset(base, ANCHOR + 10 * 60_000)).not.toBe(first);
  });

  it("grows past its first capacity without losing entries", () => {
    const base = generateDataset(7, 300, ANCHOR);
    const day = liveDataset(base, ANCHOR + 3 * 3_600_000);
    expect(day.size - 300).toBeGreaterThan(1024);
    expect(Array.from(day.time.subarray(0, 300))).toEqual(Array.from(base.time));
    for (let i = 1; i < day.size; i++) expect(day.time[i]).toBeGreaterThanOrEqual(day.time[i - 1]);
  });
});

describe("the sandbox clock", () => {
  it("reads SANDBOX_CLOCK: live by default, frozen on request, anything else refused", () => {
    expect(parseClockMode(undefined)).toBe("live");
    expect(parseClockMode(" ")).toBe("live");
    expect(parseClockMode("frozen")).toBe("frozen");
    expect(() => parseClockMode("paused")).toThrow(/SANDBOX_CLOCK/);
  });

  it("starts at the anchor and advances in real time, unless frozen", () => {
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
    const live = sandboxClock(ANCHOR, "live");
    const frozen = sandboxClock(ANCHOR, "frozen");
    expect(live()).toBe(ANCHOR);
    vi.advanceTimersByTime(90_000);
    expect(live()).toBe(ANCHOR + 90_000);
    expect(frozen()).toBe(ANCHOR);
  });

  it("makes the handler answer new entries as the clock advances, and a cursor from before still works", async () => {
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
    const handler = makeHandler({ size: 2000, seed: 21, clock: sandboxClock(ANCHOR, "live") });
    const window = { since: iso(ANCHOR - 7 * 86_400_000), before: iso(ANCHOR + 3_600_000), limit: 5 };
    const before = await call(handler, v2Path, window);
    expect(before.body.result_info.cursor).toEqual(expect.any(String));
    const newestBefore = Math.max(...times(before.body.result));
    expect(newestBefore).toBeLessThanOrEqual(ANCHOR);

    vi.advanceTimersByTime(60_000);
    const fresh = await call(handler, v2Path, { ...window, since: iso(newestBefore + 1000), limit: 100 });
    expect(fresh.status).toBe(200);
    const freshTimes = times(fresh.body.result);
    expect(freshTimes.length).toBeGreaterThanOrEqual(5);
    expect(freshTimes.every((t) => t > ANCHOR && t <= ANCHOR + 60_000)).toBe(true);

    const next = await call(handler, v2Path, { ...window, cursor: before.body.result_info.cursor });
    expect(next.status).toBe(200);
    expect(Math.max(...times(next.body.result))).toBeLessThanOrEqual(Math.min(...times(before.body.result)));
  });

  it("a frozen handler shows nothing after its anchor, however long it runs", async () => {
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
    const handler = makeHandler({ size: 2000, seed: 21, clock: sandboxClock(ANCHOR, "frozen") });
    vi.advanceTimersByTime(600_000);
    const reply = await call(handler, v2Path, { since: iso(ANCHOR), before: iso(ANCHOR + 3_600_000) });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual([]);
  });
});
