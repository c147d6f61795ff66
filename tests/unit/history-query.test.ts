import { afterEach, describe, expect, it, vi } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import { historyQueryOptions } from "@/lib/queries";

const DAY = 86_400_000;
const NOW = new Date("2026-11-20T12:00:00Z");
const entry = { id: "e-open", time: "2026-11-10T08:00:00Z" };
const row = (id: string) => ({ id, time: "2026-11-01T00:00:00Z" });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Run the query function with `fetch` answering `pages` in turn; the URLs it asked for. */
async function run(days: number, pages: { data: unknown[]; nextCursor: string | null }[]) {
  const urls: URL[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      urls.push(new URL(url, "http://localhost"));
      const page = pages[urls.length - 1];
      return Response.json({ ...page, historyStatus: "exact" });
    }),
  );
  const result = await new QueryClient().fetchQuery(historyQueryOptions(entry, days));
  return { result, urls };
}

describe("history lookups", () => {
  it("follow every page through the cursor", async () => {
    vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
    const { result, urls } = await run(30, [
      { data: [row("a"), row("b")], nextCursor: "c2" },
      { data: [row("c")], nextCursor: "c3" },
      { data: [row("d")], nextCursor: null },
    ]);
    expect(result.data.map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
    expect(result.truncated).toBe(false);
    expect(urls.map((u) => u.searchParams.get("cursor"))).toEqual([null, "c2", "c3"]);
    expect(urls[0].pathname).toBe("/api/logs/e-open/history");
    expect(urls[0].searchParams.get("limit")).toBe("1000");
  });

  it("look the chosen number of days either side of the entry, never past now", async () => {
    vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
    const at = Date.parse(entry.time);
    const narrow = (await run(7, [{ data: [], nextCursor: null }])).urls[0].searchParams;
    expect(narrow.get("since")).toBe(new Date(at - 7 * DAY).toISOString());
    expect(narrow.get("before")).toBe(new Date(at + 7 * DAY).toISOString());
    expect(narrow.get("action_time")).toBe(entry.time);
    const wide = (await run(90, [{ data: [], nextCursor: null }])).urls[0].searchParams;
    expect(wide.get("since")).toBe(new Date(at - 90 * DAY).toISOString());
    expect(wide.get("before")).toBe(NOW.toISOString());
  });
});
