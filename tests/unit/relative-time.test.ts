import { describe, expect, it } from "vitest";
import { relativeTime } from "@/lib/relative-time";

const NOW = Date.parse("2026-11-25T12:00:00Z");

describe("relative time", () => {
  it("says how long ago, or how far ahead, in the largest whole unit", () => {
    expect(relativeTime("2026-11-25T11:59:30Z", NOW)).toBe("just now");
    expect(relativeTime("2026-11-25T11:57:00Z", NOW)).toBe("3 min ago");
    expect(relativeTime("2026-11-25T09:00:00Z", NOW)).toBe("3 h ago");
    expect(relativeTime("2026-11-24T12:00:00Z", NOW)).toBe("1 day ago");
    expect(relativeTime("2026-11-20T12:00:00Z", NOW)).toBe("5 days ago");
    expect(relativeTime("2026-08-20T12:00:00Z", NOW)).toBe("3 months ago");
    expect(relativeTime("2024-11-20T12:00:00Z", NOW)).toBe("2 years ago");
    expect(relativeTime("2026-11-25T12:10:00Z", NOW)).toBe("in 10 min");
    expect(relativeTime("not a time", NOW)).toBe("");
  });
});
