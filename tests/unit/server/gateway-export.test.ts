import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadQuery } from "@/lib/search-params";
import { logPage, type CallContext } from "@/lib/server/gateway";
import { fakeFetch, json, testConfig, v2Body, v2Entry } from "./fake-upstream";

/** Exports wait for the budget instead of failing: the download stays open and runs slower. */
const NOW = new Date("2026-11-20T12:00:03Z");
const query = loadQuery(
  new URLSearchParams({ since: "2026-11-01T00:00:00Z", before: "2026-11-02T00:00:00Z" }),
);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("an export under a spent budget", () => {
  it("waits for the next slice and goes on, saying it waited", async () => {
    // One call per 2-second slice.
    const config = testConfig({ UPSTREAM_BUDGET: "11/20s" });
    const { calls } = fakeFetch(json(v2Body([v2Entry("a")], "next")));
    const waits: number[] = [];
    const ctx: CallContext = { priority: "export", viewer: null, onWait: (ms) => waits.push(ms) };
    const pages = (async () => {
      for (let i = 0; i < 3; i++)
        await logPage(
          config,
          query,
          { cursor: null, limit: 1000, now: NOW, deadlineMs: 30_000, cache: false },
          ctx,
        );
    })();
    await vi.advanceTimersByTimeAsync(10_000);
    await pages;
    expect(calls).toHaveLength(3);
    expect(waits.length).toBe(2);
  });

  it("outlives an upstream 429: pauses until its Retry-After, then goes on", async () => {
    const config = testConfig();
    const { calls } = fakeFetch(
      json(
        { success: false, errors: [{ code: 971, message: "Please wait" }] },
        {
          status: 429,
          headers: { "retry-after": "30" },
        },
      ),
      json(v2Body([v2Entry("a")], null)),
    );
    const ctx: CallContext = { priority: "export", viewer: null };
    let done = false;
    const page = logPage(
      config,
      query,
      { limit: 1000, now: NOW, deadlineMs: 30_000, cache: false },
      ctx,
    ).then((p) => ((done = true), p));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(done).toBe(false);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await page).data).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });

  it("while a person's request gets 503 in the same pause", async () => {
    const config = testConfig();
    fakeFetch(
      json(
        { success: false, errors: [{ code: 971, message: "Please wait" }] },
        {
          status: 429,
          headers: { "retry-after": "30" },
        },
      ),
    );
    const person: CallContext = { priority: "interactive", viewer: null };
    const first = logPage(config, query, { limit: 10, now: NOW }, person).catch((e: Error) => e.message);
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toMatch(/upstream-rate-limited/);
    const second = logPage(config, query, { limit: 11, now: NOW }, person).catch((e: Error) => e.message);
    await vi.advanceTimersByTimeAsync(100);
    expect(await second).toMatch(/upstream-budget/);
  });
});
