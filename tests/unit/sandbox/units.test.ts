import { describe, expect, it, vi } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/sandbox/cursor";
import { getSandboxHandler } from "@/lib/sandbox/handler";
import { inRange, parseAddress, parseRange } from "@/lib/sandbox/ip";
import { decodeEntryId, decodeRayId, entryId, rayId } from "@/lib/sandbox/prng";
import { parseTime } from "@/lib/sandbox/query";
import { ALL_TIME, call, NOW, v2Path } from "./helpers";

const contains = (range: string, address: string) => inRange(parseRange(range)!, parseAddress(address)!);

describe("addresses and ranges", () => {
  it.each([
    ["10.0.0.0/8", "10.200.3.4", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["203.0.113.7", "203.0.113.7", true],
    ["203.0.113.7/32", "203.0.113.8", false],
    ["0.0.0.0/0", "8.8.8.8", true],
    ["2001:db8::/32", "2001:db8:4a2c:10::1f", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["2a02:8100::/24", "2a02:81aa:1:2:3:4:5:6", true],
    ["::/0", "::1", true],
    ["::ffff:192.0.2.0/120", "::ffff:192.0.2.55", true],
    ["10.0.0.0/8", "::ffff:10.0.0.1", false],
  ])("%s contains %s: %s", (range, address, expected) => {
    expect(contains(range, address)).toBe(expected);
  });

  it.each([
    "300.1.1.1",
    "1.2.3",
    "01.2.3.4",
    "10.0.0.0/33",
    "2001:db8::/129",
    "1::2::3",
    "gggg::1",
    "",
    "a.b.c.d",
  ])("rejects %j", (text) => {
    expect(parseRange(text)).toBeNull();
  });
});

describe("times", () => {
  it.each([
    ["2026-10-01", Date.UTC(2026, 9, 1)],
    ["2026-10-01T00:00:00Z", Date.UTC(2026, 9, 1)],
    ["2026-10-01t00:00:00z", Date.UTC(2026, 9, 1)],
    ["2026-10-01T02:30:00+02:30", Date.UTC(2026, 9, 1)],
    ["2026-10-01T02:30:00 02:30", Date.UTC(2026, 9, 1)],
    ["2026-09-30T19:00:00-05:00", Date.UTC(2026, 9, 1)],
    ["2026-10-01T00:00:00.250Z", Date.UTC(2026, 9, 1) + 250],
  ])("reads %s", (text, ms) => {
    expect(parseTime(text)).toBe(ms);
  });

  it.each([
    "2026-13-01",
    "2026-02-29",
    "2026-10-01T24:00:00Z",
    "2026-10-01T10:00:00",
    "2026-10-01 10:00:00Z",
    "1696118400",
    "today",
  ])("rejects %s", (text) => {
    expect(parseTime(text)).toBeNull();
  });
});

describe("ids and cursors", () => {
  it("encodes positions in ids and ray ids, rejecting foreign ones", () => {
    for (const i of [0, 1, 777, 49_999]) {
      expect(decodeEntryId(1, entryId(1, i), 50_000)).toBe(i);
      expect(decodeRayId(1, rayId(1, i), 50_000)).toBe(i);
      expect(decodeEntryId(2, entryId(1, i), 50_000)).toBe(-1);
    }
    expect(entryId(1, 5)).not.toBe(entryId(2, 5));
    expect(decodeEntryId(1, entryId(1, 60_000), 50_000)).toBe(-1);
    expect(decodeEntryId(1, "00000000-0000-4000-8000-000000000000", 50_000)).toBe(-1);
  });

  it("round-trips a cursor and refuses it for another query or direction", () => {
    const cursor = encodeCursor(1234, true, { index: 42, seconds: 1_790_000_000 });
    expect(decodeCursor(cursor, 1234, true)).toEqual({ index: 42, seconds: 1_790_000_000 });
    expect(decodeCursor(cursor, 1235, true)).toMatch(/cursor/);
    expect(decodeCursor(cursor, 1234, false)).toMatch(/cursor/);
    const flipped = cursor.slice(0, 10) + (cursor[10] === "A" ? "B" : "A") + cursor.slice(11);
    expect(decodeCursor(flipped, 1234, true)).toBe("cursor is malformed");
  });
});

describe("the shared in-process handler", () => {
  it("is created once per configuration", async () => {
    const a = getSandboxHandler({ size: 100, now: NOW });
    expect(getSandboxHandler({ size: 100, now: NOW })).toBe(a);
    expect(getSandboxHandler({ size: 100, now: NOW, seed: 2 })).not.toBe(a);
    expect(getSandboxHandler({ size: 100, now: NOW, token: "other" })).not.toBe(a);
    expect((await call(a, v2Path, ALL_TIME)).body.result).toHaveLength(100);
  });

  it("anchors a handler without `now` at its first use and keeps it", async () => {
    // The clock is pinned (to a day far from NOW), so the anchor is known exactly.
    const firstUse = new Date("2031-03-04T05:06:07Z");
    vi.useFakeTimers({ toFake: ["Date"], now: firstUse });
    try {
      const handler = getSandboxHandler({ size: 20, seed: 99 });
      const first = (await call(handler, v2Path, { since: "2020-01-01", before: "2100-01-01", limit: 1 }))
        .body.result[0];
      const newest = Date.parse(first.action.time);
      expect(newest).toBeLessThanOrEqual(firstUse.getTime());
      expect(newest).toBeGreaterThan(firstUse.getTime() - 120 * 86_400_000);
      expect(newest).toBeGreaterThan(NOW.getTime() + 365 * 86_400_000);
      vi.setSystemTime(new Date("2032-01-01T00:00:00Z"));
      expect(getSandboxHandler({ size: 20, seed: 99 })).toBe(handler);
    } finally {
      vi.useRealTimers();
    }
  });
});
