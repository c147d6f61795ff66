import { describe, expect, it } from "vitest";
import type { AuditLog } from "@/lib/audit-log";
import { liveAvailability, liveCheckUrl, liveSince, mergeLive } from "@/lib/live-follow";
import type { LogPage } from "@/lib/queries";
import { loadQuery, validateSearch } from "@/lib/search-params";

const row = (id: string, time: string) => ({ id, time }) as AuditLog;
const meta = {
  api: "v2",
  mode: "sandbox",
  since: "2026-11-24T12:00:00Z",
  before: "2026-11-25T12:00:00Z",
} as const;
const page = (data: AuditLog[], nextCursor: string | null = null): LogPage => ({ data, nextCursor, meta });

describe("live follow", () => {
  it("is unavailable with a pinned window or oldest first, and says why", () => {
    expect(liveAvailability(loadQuery(""))).toEqual({ available: true });
    const pinned = liveAvailability(loadQuery("?since=2026-11-01&before=2026-11-02"));
    expect(pinned).toEqual({ available: false, reason: expect.stringMatching(/pinned to a fixed window/) });
    const asc = liveAvailability(loadQuery("?direction=asc"));
    expect(asc).toEqual({ available: false, reason: expect.stringMatching(/newest first/) });
  });

  it("asks for entries since the newest loaded one, with the view's filters, and the server accepts it", () => {
    const query = loadQuery("?range=1h&actor_email=a%40acme.com&action_type.not=delete");
    const url = new URL(liveCheckUrl(query, "2026-11-25T11:59:55Z"), "http://x");
    expect(url.pathname).toBe("/api/logs");
    expect(url.searchParams.get("since")).toBe("2026-11-25T11:59:55Z");
    expect(url.searchParams.has("range")).toBe(false);
    expect(url.searchParams.has("before")).toBe(false);
    expect(url.searchParams.getAll("actor_email")).toEqual(["a@acme.com"]);
    expect(url.searchParams.getAll("action_type.not")).toEqual(["delete"]);
    const checked = validateSearch(url.searchParams, {
      api: "v2",
      now: new Date("2026-11-25T12:00:30Z"),
      accept: ["limit"],
    });
    expect(checked.ok).toBe(true);
  });

  it("starts from the newest row, or the window's start when nothing is loaded", () => {
    expect(liveSince(undefined)).toBeNull();
    const data = {
      pages: [page([row("b", "2026-11-25T11:00:00Z"), row("a", "2026-11-25T10:00:00Z")])],
      pageParams: [null],
    };
    expect(liveSince(data)).toBe("2026-11-25T11:00:00Z");
    expect(liveSince({ pages: [page([])], pageParams: [null] })).toBe(meta.since);
  });

  it("puts new entries on top, newest first, each once, keeping the first page's cursor", () => {
    const data = {
      pages: [page([row("b", "2026-11-25T11:00:00Z")], "next"), page([row("a", "2026-11-25T10:00:00Z")])],
      pageParams: [null, { cursor: "next", since: meta.since, before: meta.before }],
    };
    const { data: merged, added } = mergeLive(data, [
      row("b", "2026-11-25T11:00:00Z"),
      row("c", "2026-11-25T11:00:05Z"),
      row("d", "2026-11-25T11:00:09Z"),
    ]);
    expect(added.map((r) => r.id)).toEqual(["d", "c"]);
    expect(merged.pages[0].data.map((r) => r.id)).toEqual(["d", "c", "b"]);
    expect(merged.pages[0].nextCursor).toBe("next");
    expect(merged.pages[1]).toBe(data.pages[1]);
    expect(mergeLive(data, [row("a", "2026-11-25T10:00:00Z")]).data).toBe(data);
  });

  it("is one entry of the URL model: live=1 loads, anything else is refused by name", () => {
    expect(validateSearch(new URLSearchParams("live=1"), { api: "v2" }).ok).toBe(true);
    const bad = validateSearch(new URLSearchParams("live=yes"), { api: "v2" });
    expect(bad.ok ? [] : bad.errors.map((e) => e.parameter)).toEqual(["live"]);
  });
});
