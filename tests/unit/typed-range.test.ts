import { describe, expect, it } from "vitest";
import { closest } from "@/lib/did-you-mean";
import { parseTypedRange } from "@/lib/typed-range";

const iso = (r: { since: Date; before: Date } | null) =>
  r && { since: r.since.toISOString(), before: r.before.toISOString() };

describe("typed ranges", () => {
  it("reads a range on one day with an en dash, a hyphen or 'to'", () => {
    const expected = { since: "2026-11-26T09:00:00.000Z", before: "2026-11-26T12:00:00.000Z" };
    expect(iso(parseTypedRange("2026-11-26 09:00 – 12:00", "utc"))).toEqual(expected);
    expect(iso(parseTypedRange("2026-11-26 09:00 - 12:00", "utc"))).toEqual(expected);
    expect(iso(parseTypedRange(" 2026-11-26 9:00 to 12:00 ", "utc"))).toEqual(expected);
  });

  it("reads a range across days, and whole days", () => {
    expect(iso(parseTypedRange("2026-11-26 22:30 – 2026-11-27 01:15", "utc"))).toEqual({
      since: "2026-11-26T22:30:00.000Z",
      before: "2026-11-27T01:15:00.000Z",
    });
    expect(iso(parseTypedRange("2026-11-26 – 2026-11-27", "utc"))).toEqual({
      since: "2026-11-26T00:00:00.000Z",
      before: "2026-11-28T00:00:00.000Z",
    });
  });

  it("refuses what is not a range, an impossible time, or an end before the start", () => {
    for (const text of [
      "",
      "yesterday",
      "2026-11-26 09:00",
      "2026-11-26 25:00 – 26:00",
      "2026-11-26 12:00 – 09:00",
    ])
      expect(parseTypedRange(text, "utc"), text).toBeNull();
  });
});

describe("did you mean", () => {
  it("offers the closest known name for a slip, and nothing for a stranger", () => {
    const known = ["actor_email", "actor_ip_address", "action_type", "range"];
    expect(closest("actor_emial", known)).toBe("actor_email");
    expect(closest("Actor_Email", known)).toBe("actor_email");
    expect(closest("rnage", known)).toBe("range");
    expect(closest("colour", known)).toBeNull();
  });
});
