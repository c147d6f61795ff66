import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadQuery } from "@/lib/search-params";
import { parseConfig } from "@/lib/server/config";
import { decodeCursor, encodeCursor } from "@/lib/server/cursor";
import { ProblemError } from "@/lib/server/problem";
import { fetchLogPage, transportOnly } from "@/lib/server/upstream";
import { fakeFetch, json, testConfig, v2Body, v2Entry } from "./fake-upstream";

const NOW = new Date("2026-11-15T12:00:00Z");
const query = (qs = "") => loadQuery(new URLSearchParams(qs));
const WEEK = { since: new Date("2026-11-08T12:00:00Z"), before: NOW };

/** The problem a call fails with (or a failed assertion when it does not fail with one). */
async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return (error as ProblemError).init;
}

/** Fetch one page with a cursor; answers the problem, and how many upstream calls were made. */
async function refused(cursor: string, qs = "range=7d", config = testConfig()) {
  const { calls } = fakeFetch(json(v2Body([v2Entry("a")], "next")));
  const problem = await problemOf(
    fetchLogPage(config, query(qs), { cursor, limit: 10, now: NOW }, transportOnly(config)),
  );
  return { problem, calls: calls.length };
}

beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("signed page cursors", () => {
  it("refuses a hand-made cursor that reaches past the 18-month retention, without an upstream call", async () => {
    // The unsigned form the server used to hand out: anyone could write one with any window.
    const forged = Buffer.from(
      JSON.stringify({ n: "abc", s: "2020-01-01T00:00:00.000Z", b: "2026-11-15T12:00:00.000Z" }),
    ).toString("base64url");
    const { problem, calls } = await refused(forged);
    expect(problem).toMatchObject({ status: 400, slug: "invalid-query" });
    expect(problem.errors?.map((e) => e.parameter)).toEqual(["cursor"]);
    expect(calls).toBe(0);
  });

  it("refuses a cursor with one byte changed", async () => {
    const good = encodeCursor(testConfig(), query("range=7d"), "abc", WEEK);
    const bytes = Buffer.from(good, "base64url");
    bytes[bytes.length - 3] ^= 1;
    const { problem, calls } = await refused(bytes.toString("base64url"));
    expect(problem.errors).toEqual([{ parameter: "cursor", message: expect.stringContaining("first page") }]);
    expect(calls).toBe(0);
  });

  it("refuses a cursor of another query: other filters, other direction, another upstream", async () => {
    const cursor = encodeCursor(testConfig(), query("range=7d&action_result=success"), "abc", WEEK);
    for (const [qs, config] of [
      ["range=7d&action_result=failure", testConfig()],
      ["range=7d", testConfig()],
      ["range=7d&action_result=success&direction=asc", testConfig()],
      ["range=7d&action_result=success", testConfig({ CLOUDFLARE_ACCOUNT_ID: "f".repeat(32) })],
      ["range=7d&action_result=success", testConfig({ CLOUDFLARE_API_TOKEN: "another-token" })],
    ] as const) {
      const { problem, calls } = await refused(cursor, qs, config);
      expect(
        problem.errors?.map((e) => e.parameter),
        qs,
      ).toEqual(["cursor"]);
      expect(calls).toBe(0);
    }
  });

  it("is accepted by another instance of the same deployment, and for the same filters in any order", async () => {
    const cursor = encodeCursor(testConfig(), query("action_type=b&action_type=a&range=7d"), "abc", WEEK);
    const { calls } = fakeFetch(json(v2Body([v2Entry("a")], "next")));
    // A second instance: its own configuration object, parsed from the same environment.
    const second = testConfig();
    const page = await fetchLogPage(
      second,
      query("range=7d&action_type=a&action_type=b"),
      { cursor, limit: 10, now: NOW },
      transportOnly(second),
    );
    expect(calls).toHaveLength(1);
    expect(calls[0].url.searchParams.get("cursor")).toBe("abc");
    expect(calls[0].url.searchParams.get("since")).toBe(WEEK.since.toISOString());
    expect(page.nextCursor).not.toBeNull();
  });

  it("re-checks the window of a validly signed cursor: order and retention", () => {
    const config = testConfig();
    const q = query("range=7d");
    const backwards = encodeCursor(config, q, "abc", { since: NOW, before: WEEK.since });
    expect(() => decodeCursor(config, q, backwards, NOW)).toThrow(/cursor/);
    const ancient = encodeCursor(config, q, "abc", { since: new Date("2024-01-01T00:00:00Z"), before: NOW });
    expect(() => decodeCursor(config, q, ancient, NOW)).toThrow(/cursor/);
    const edge = encodeCursor(config, q, "abc", {
      since: new Date(NOW.getTime() - 548 * 86_400_000),
      before: NOW,
    });
    expect(decodeCursor(config, q, edge, NOW).next).toBe("abc");
  });

  it("signs sandbox cursors with a key every instance derives alike, and other seeds refuse them", () => {
    const sandbox = (seed: string) => {
      const result = parseConfig({ SANDBOX_SEED: seed });
      if (!result.ok) throw new Error(result.problems.join("; "));
      return result.config;
    };
    const q = query("range=7d");
    const cursor = encodeCursor(sandbox("1"), q, "abc", WEEK);
    expect(decodeCursor(sandbox("1"), q, cursor, NOW).window).toEqual(WEEK);
    expect(() => decodeCursor(sandbox("2"), q, cursor, NOW)).toThrow(ProblemError);
  });
});
