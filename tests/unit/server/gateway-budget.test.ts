import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBudget, upstreamPauseMs, type Spender } from "@/lib/server/budget";
import { ProblemError } from "@/lib/server/problem";
import { createMemoryState } from "@/lib/server/shared-state";
import { busiestSpan } from "./budget-support";

// A slice boundary lands on whole multiples of the slice length; this start sits in the middle of one.
const START = Date.UTC(2026, 10, 20, 12, 0, 3);
const person: Spender = { priority: "interactive", viewer: null };
const overview: Spender = { priority: "overview", viewer: null };
const exporter: Spender = { priority: "export", viewer: null };

function budget(calls = 100, windowSeconds = 60, viewerShare = 0.5) {
  return createBudget({ state: createMemoryState(), calls, windowSeconds, instances: 2, viewerShare });
}

/** Spend without waiting: true when the call may go. */
async function tryNow(b: ReturnType<typeof budget>, spender: Spender): Promise<boolean> {
  try {
    await b.spend(spender, { maxWaitMs: 0 });
    return true;
  } catch (error) {
    if (error instanceof ProblemError && error.init.slug === "upstream-budget") return false;
    throw error;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => vi.useRealTimers());

describe("the budget over any span of its window", () => {
  it("never lets more calls through than the budget in any window-long span, and uses 10/11 of it", async () => {
    const b = budget(100, 60);
    const granted: number[] = [];
    // Someone asks every 50 ms for five windows: far more than the budget.
    for (let t = 0; t < 5 * 60_000; t += 50) {
      if (await tryNow(b, person)) granted.push(Date.now());
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(busiestSpan(granted, 60_000)).toBeLessThanOrEqual(100);
    // Not stingy either: a saturated window gets ten slices of an eleventh of the budget.
    expect(granted.length).toBeGreaterThanOrEqual(5 * 90);
  });

  it("holds under any mix of priorities and bursts, wherever the span starts", async () => {
    const b = budget(100, 60);
    const granted: number[] = [];
    const spenders = [person, overview, exporter];
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    // Quiet spells and crowds of people at once, with the overview and exports always asking.
    for (let t = 0; t < 10 * 60_000; t += 100) {
      const crowd = rand() < 0.02 ? 40 : 1;
      for (let k = 0; k < crowd; k++)
        if (await tryNow(b, spenders[crowd > 1 ? 0 : Math.floor(rand() * 3)])) granted.push(Date.now());
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(busiestSpan(granted, 60_000)).toBeLessThanOrEqual(100);
    expect(granted.length).toBeGreaterThan(10 * 80);
  });

  it("lets a crowd of people through at once after a quiet spell: a quarter of the budget, not an eleventh", async () => {
    const b = budget(100, 60); // 9 calls a slice, bursts of 25
    let people = 0;
    while (await tryNow(b, person)) people++;
    expect(people).toBe(25);
    // The next slice lets another crowd through, as long as the last eleven slices leave room.
    await vi.advanceTimersByTimeAsync(6_000);
    people = 0;
    while (await tryNow(b, person)) people++;
    expect(people).toBe(25);
    // Background work keeps its pace: it may not borrow, and takes no more than its share of a slice.
    await vi.advanceTimersByTimeAsync(6_000);
    let exports = 0;
    while (await tryNow(b, exporter)) exports++;
    expect(exports).toBe(4);
  });

  it("stops a burst where the last eleven slices would pass the budget, and says when room opens", async () => {
    const b = budget(100, 60);
    let granted = 0;
    for (let slice = 0; slice < 4; slice++) {
      while (await tryNow(b, person)) granted++;
      await vi.advanceTimersByTimeAsync(6_000);
    }
    // 25 + 25 + 25 + 25: the budget is spent until the first slice leaves the span.
    expect(granted).toBe(100);
    const refused = (await b.spend(person, { maxWaitMs: 0 }).catch((e) => e)) as ProblemError;
    expect(refused.init.slug).toBe("upstream-budget");
    // Four slices in, START 3 s into its slice: room opens when the first slice leaves, seven slices on.
    expect(refused.init.retryAfter).toBe(3 + 6 * 6);
  });

  it("counts only calls that went: refused attempts do not eat the slice", async () => {
    const b = budget(220, 60); // 20 calls a slice
    for (let i = 0; i < 10; i++) expect(await tryNow(b, exporter)).toBe(true);
    for (let i = 0; i < 50; i++) expect(await tryNow(b, exporter)).toBe(false);
    // The ten the export spent, and ten more for a person: the refusals took nothing.
    // People may take a quarter of the budget in one slice: 55 calls, ten of them the export's.
    for (let i = 0; i < 45; i++) expect(await tryNow(b, person)).toBe(true);
    expect(await tryNow(b, person)).toBe(false);
    expect((await b.status()).used).toBe(55);
  });
});

describe("priorities", () => {
  it("keeps the top of each slice for people: exports stop at half, the overview at three quarters, people burst", async () => {
    const b = budget(220, 60); // 20 calls a slice
    let exports = 0;
    while (await tryNow(b, exporter)) exports++;
    let overviews = 0;
    while (await tryNow(b, overview)) overviews++;
    let people = 0;
    while (await tryNow(b, person)) people++;
    expect([exports, overviews, people]).toEqual([10, 5, 40]);
  });

  it("gives a viewer at most their share, and leaves the rest to others", async () => {
    const b = budget(220, 60, 0.5);
    const alice: Spender = { priority: "interactive", viewer: "alice@example.com" };
    const bob: Spender = { priority: "interactive", viewer: "bob@example.com" };
    // Alice bursts in three slices running: 55, 55, then what is left of her half of the budget.
    let aliceCalls = 0;
    for (let slice = 0; slice < 3; slice++) {
      while (await tryNow(b, alice)) aliceCalls++;
      if (slice < 2) await vi.advanceTimersByTimeAsync(6_000);
    }
    expect(aliceCalls).toBe(110);
    const refused = await b.spend(alice, { maxWaitMs: 0 }).catch((e: ProblemError) => e);
    expect((refused as ProblemError).init.detail).toMatch(/your share/);
    let bobCalls = 0;
    while (await tryNow(b, bob)) bobCalls++;
    expect(bobCalls).toBe(55);
  });
});

describe("when the budget is spent", () => {
  it("lets a person wait for the next slice when it is near", async () => {
    const b = budget(11, 20); // one call per 2 s slice; people may take two
    await b.spend(person);
    await b.spend(person);
    let done = false;
    const waiting = b.spend(person).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(done).toBe(false);
    expect((await b.status()).waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await waiting;
    expect(done).toBe(true);
  });

  it("answers 503 upstream-budget with Retry-After when the next slice is too far", async () => {
    const b = budget(11, 600); // one call per minute; people may take two
    await b.spend(person);
    await b.spend(person);
    const refused = await b.spend(person).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    const { status, slug, retryAfter } = (refused as ProblemError).init;
    expect([status, slug]).toEqual([503, "upstream-budget"]);
    // START is 3 s into its minute-long slice.
    expect(retryAfter).toBe(57);
  });

  it("lets an export wait as long as it takes, and stop when it is cancelled", async () => {
    const b = budget(11, 600);
    await b.spend(exporter);
    let done = false;
    const waits: number[] = [];
    const waiting = b
      .spend(exporter, { maxWaitMs: Infinity, onWait: (ms) => waits.push(ms) })
      .then(() => (done = true));
    await vi.advanceTimersByTimeAsync(56_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await waiting;
    expect(done).toBe(true);
    expect(waits).toEqual([57_000]);

    const cancel = new AbortController();
    const cancelled = b.spend(exporter, { maxWaitMs: Infinity, signal: cancel.signal }).catch((e) => e);
    cancel.abort();
    expect((await cancelled).name).toBe("ClientAbortError");
  });
});

describe("upstream signals", () => {
  it("pauses every call after a 429 until its Retry-After, and shows it", async () => {
    const b = budget(100, 60);
    b.observe(429, new Headers({ "retry-after": "30" }));
    await vi.advanceTimersByTimeAsync(0);
    const refused = (await b.spend(person, { maxWaitMs: 0 }).catch((e) => e)) as ProblemError;
    expect(refused.init.slug).toBe("upstream-budget");
    expect(refused.init.retryAfter).toBe(30);
    expect((await b.status()).throttledUntil).toBe(new Date(START + 30_000).toISOString());
    await vi.advanceTimersByTimeAsync(30_001);
    expect(await tryNow(b, person)).toBe(true);
    expect((await b.status()).throttledUntil).toBeNull();
  });

  it.each([
    ["a 429 with Retry-After", 429, { "retry-after": "12" }, 12_000],
    ["a 429 without it (a minute)", 429, {}, 60_000],
    ["a 429 with only a reset", 429, { ratelimit: '"default";r=0;t=40' }, 40_000],
    ["an exhausted Ratelimit quota", 200, { ratelimit: '"default";r=0;t=40' }, 40_000],
    ["an exhausted draft quota", 200, { ratelimit: "limit=1200, remaining=1, reset=25" }, 25_000],
    [
      "an exhausted X-RateLimit quota",
      200,
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "90" },
      90_000,
    ],
    ["a quota with plenty left", 200, { ratelimit: '"default";r=900;t=40' }, null],
    ["an answer without rate-limit headers", 200, {}, null],
  ] as const)("reads %s", (_, status, headers, expected) => {
    expect(upstreamPauseMs(status, new Headers(headers), START)).toBe(expected);
  });

  it("reads an X-RateLimit-Reset given as a Unix time", () => {
    const headers = new Headers({
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(START / 1000 + 45),
    });
    expect(upstreamPauseMs(200, headers, START)).toBe(45_000);
  });
});

describe("budget status", () => {
  it("reports limit, window, use and the store", async () => {
    const b = budget(100, 60);
    for (let i = 0; i < 3; i++) await b.spend(person);
    await vi.advanceTimersByTimeAsync(6_000);
    for (let i = 0; i < 2; i++) await b.spend(person);
    expect(await b.status()).toEqual({
      limit: 100,
      windowSeconds: 60,
      used: 5,
      remaining: 95,
      waiting: 0,
      throttledUntil: null,
      store: "memory",
    });
  });
});
