import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  formatCount,
  formatJson,
  formatRange,
  formatTimestamp,
  formatTimestampLong,
  formatValue,
  formatWindow,
  fromDateTimeInputs,
  toDateTimeInputs,
  toIsoInstant,
  zoneLabel,
} from "@/lib/format";

// Local-time cases run in a zone with an offset and daylight saving time, whatever the machine's zone.
const ORIGINAL_TZ = process.env.TZ;
beforeEach(() => {
  process.env.TZ = "America/New_York";
});
afterEach(() => {
  process.env.TZ = ORIGINAL_TZ;
});

const INSTANT = "2026-11-21T14:03:22.120Z";

describe("timestamps", () => {
  it("formats in UTC regardless of the machine's zone", () => {
    expect(formatTimestamp(INSTANT, "utc")).toBe("2026-11-21 14:03:22");
    expect(formatTimestampLong(INSTANT, "utc")).toBe("2026-11-21 14:03:22.120 UTC");
  });

  it("formats in the local zone when asked", () => {
    expect(formatTimestamp(INSTANT, "local")).toBe("2026-11-21 09:03:22");
    expect(formatTimestampLong(INSTANT, "local")).toBe("2026-11-21 09:03:22.120 UTC−05:00");
  });

  it("follows daylight saving time in local display", () => {
    expect(formatTimestamp("2026-07-01T12:00:00Z", "local")).toBe("2026-07-01 08:00:00");
    expect(zoneLabel("local", new Date("2026-07-01T12:00:00Z"))).toBe("UTC−04:00");
  });

  it("crosses the date line in local display", () => {
    expect(formatTimestamp("2026-11-21T02:30:00Z", "local")).toBe("2026-11-20 21:30:00");
    expect(formatTimestamp("2026-11-21T02:30:00Z", "utc")).toBe("2026-11-21 02:30:00");
  });

  it("returns unparseable input unchanged rather than 'Invalid Date'", () => {
    expect(formatTimestamp("yesterday", "utc")).toBe("yesterday");
    expect(formatTimestampLong("", "local")).toBe("");
  });

  it("labels zones", () => {
    expect(zoneLabel("utc")).toBe("UTC");
    process.env.TZ = "Asia/Kolkata";
    expect(zoneLabel("local", new Date(INSTANT))).toBe("UTC+05:30");
    process.env.TZ = "UTC";
    expect(zoneLabel("local", new Date(INSTANT))).toBe("UTC+00:00");
  });
});

describe("ISO output and date/time inputs", () => {
  it("writes RFC 3339 UTC instants without fractions", () => {
    expect(toIsoInstant(new Date(INSTANT))).toBe("2026-11-21T14:03:22Z");
    expect(toIsoInstant(new Date("2026-01-01T00:00:00Z"))).toBe("2026-01-01T00:00:00Z");
  });

  it("shows an instant in date and time inputs of either zone", () => {
    expect(toDateTimeInputs(new Date(INSTANT), "utc")).toEqual({ date: "2026-11-21", time: "14:03" });
    expect(toDateTimeInputs(new Date("2026-11-21T02:30:00Z"), "local")).toEqual({
      date: "2026-11-20",
      time: "21:30",
    });
  });

  it("reads date and time inputs in either zone", () => {
    expect(fromDateTimeInputs("2026-11-21", "14:03", "utc")?.toISOString()).toBe("2026-11-21T14:03:00.000Z");
    expect(fromDateTimeInputs("2026-11-21", "09:03", "local")?.toISOString()).toBe(
      "2026-11-21T14:03:00.000Z",
    );
    expect(fromDateTimeInputs("2026-07-01", "08:00:30", "local")?.toISOString()).toBe(
      "2026-07-01T12:00:30.000Z",
    );
    expect(fromDateTimeInputs("2026-11-21", "", "utc")?.toISOString()).toBe("2026-11-21T00:00:00.000Z");
  });

  it("round-trips through the inputs", () => {
    for (const zone of ["utc", "local"] as const) {
      const d = new Date("2026-03-08T06:59:00Z");
      const { date, time } = toDateTimeInputs(d, zone);
      expect(fromDateTimeInputs(date, time, zone)?.getTime()).toBe(d.getTime());
    }
  });

  it("rejects impossible dates and times", () => {
    expect(fromDateTimeInputs("2026-02-31", "10:00", "utc")).toBeNull();
    expect(fromDateTimeInputs("2026-13-01", "10:00", "local")).toBeNull();
    expect(fromDateTimeInputs("2026-11-21", "24:00", "utc")).toBeNull();
    expect(fromDateTimeInputs("21/11/2026", "10:00", "utc")).toBeNull();
  });
});

describe("ranges and windows", () => {
  it("names presets and other relative ranges", () => {
    expect(formatRange("15m")).toBe("Last 15 minutes");
    expect(formatRange("1h")).toBe("Last hour");
    expect(formatRange("24h")).toBe("Last 24 hours");
    expect(formatRange("90d")).toBe("Last 90 days");
    expect(formatRange("12h")).toBe("Last 12 hours");
    expect(formatRange("1d")).toBe("Last 1 day");
    expect(formatRange("soon")).toBe("soon");
  });

  it("prints an absolute window in the display zone", () => {
    expect(formatWindow("2026-11-01T09:00:00Z", "2026-11-02T10:30:00Z", "utc")).toBe(
      "2026-11-01 09:00 – 2026-11-02 10:30 UTC",
    );
    expect(formatWindow("2026-11-01T09:00:00Z", "2026-11-02T10:30:00Z", "local")).toBe(
      "2026-11-01 04:00 – 2026-11-02 05:30 UTC−05:00",
    );
  });
});

describe("values", () => {
  it("prints counts with separators", () => {
    expect(formatCount(12345)).toBe("12,345");
    expect(formatCount(0)).toBe("0");
  });

  it("prints cell values as text", () => {
    expect(formatValue(null)).toBe("");
    expect(formatValue(undefined)).toBe("");
    expect(formatValue("=cmd|' /C calc'!A0")).toBe("=cmd|' /C calc'!A0");
    expect(formatValue(403)).toBe("403");
    expect(formatValue({ a: 1, b: [true] })).toBe('{"a":1,"b":[true]}');
  });

  it("indents JSON and survives values JSON cannot represent", () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatJson(cyclic)).toBe("[object Object]");
    expect(formatJson(undefined)).toBe("undefined");
  });
});
