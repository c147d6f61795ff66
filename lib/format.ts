/**
 * The one formatting module: the table, the detail view, the time-range picker and the export summary
 * format timestamps and values here, so they agree. The display zone is `utc` or `local` (the browser's
 * zone), a preference carried in the URL (`tz`).
 */
// `lightFormat` rather than `format`: the same patterns without the locale data, a fraction of the bytes.
import { lightFormat } from "date-fns";

export type DisplayZone = "utc" | "local";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function toDate(value: string | Date): Date | null {
  const d = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `2026-11-21 14:03:22` in the display zone; the table's compact timestamp. Invalid input is returned as-is. */
export function formatTimestamp(value: string | Date, zone: DisplayZone): string {
  const d = toDate(value);
  if (!d) return String(value);
  if (zone === "local") return lightFormat(d, "yyyy-MM-dd HH:mm:ss");
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `2026-11-21 14:03:22.120 UTC` (or the local zone's offset): the detail view's precise timestamp. */
export function formatTimestampLong(value: string | Date, zone: DisplayZone): string {
  const d = toDate(value);
  if (!d) return String(value);
  const ms = pad(zone === "local" ? d.getMilliseconds() : d.getUTCMilliseconds(), 3);
  return `${formatTimestamp(d, zone)}.${ms} ${zoneLabel(zone, d)}`;
}

/** `UTC`, or the local zone as an offset such as `UTC−05:00` at the given instant. */
export function zoneLabel(zone: DisplayZone, at: Date = new Date()): string {
  if (zone === "utc") return "UTC";
  const offset = -at.getTimezoneOffset();
  if (offset === 0) return "UTC+00:00";
  const sign = offset > 0 ? "+" : "−";
  const abs = Math.abs(offset);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** RFC 3339 in UTC without fractions (`2026-11-21T14:03:00Z`): how the URL pins an absolute window. */
export function toIsoInstant(value: Date): string {
  return value.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The `YYYY-MM-DD` and `HH:mm` values of date and time inputs showing an instant in the display zone. */
export function toDateTimeInputs(value: Date, zone: DisplayZone): { date: string; time: string } {
  const [date, time] = formatTimestamp(value, zone).split(" ");
  return { date, time: time.slice(0, 5) };
}

/** The instant that date and time inputs (`YYYY-MM-DD`, `HH:mm[:ss]`) name in the display zone; null if invalid. */
export function fromDateTimeInputs(date: string, time: string, zone: DisplayZone): Date | null {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time || "00:00");
  if (!dm || !tm) return null;
  const [y, mo, d] = [Number(dm[1]), Number(dm[2]) - 1, Number(dm[3])];
  const [h, mi, s] = [Number(tm[1]), Number(tm[2]), Number(tm[3] ?? 0)];
  if (mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const result = zone === "utc" ? new Date(Date.UTC(y, mo, d, h, mi, s)) : new Date(y, mo, d, h, mi, s);
  // Reject dates such as 2026-02-31 that Date would roll over into the next month.
  const check = zone === "utc" ? result.getUTCDate() : result.getDate();
  return check === d ? result : null;
}

const PRESET_LABELS: Record<string, string> = {
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
};

/** `Last 24 hours` for a preset, `Last 12 hours` for other relative ranges. */
export function formatRange(range: string): string {
  if (PRESET_LABELS[range]) return PRESET_LABELS[range];
  const m = /^(\d+)(m|h|d)$/.exec(range);
  if (!m) return range;
  const unit = { m: "minute", h: "hour", d: "day" }[m[2] as "m" | "h" | "d"];
  return `Last ${m[1]} ${unit}${m[1] === "1" ? "" : "s"}`;
}

/** `2026-11-01 09:00 – 2026-11-02 10:30 UTC`: an absolute window in the display zone. */
export function formatWindow(since: string | Date, before: string | Date, zone: DisplayZone): string {
  const a = toDate(since);
  const b = toDate(before);
  if (!a || !b) return `${String(since)} – ${String(before)}`;
  const short = (d: Date) => formatTimestamp(d, zone).slice(0, 16);
  return `${short(a)} – ${short(b)} ${zoneLabel(zone, b)}`;
}

const numberFormat = new Intl.NumberFormat("en-US");

/** `12,345`. */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A cell or detail value as text: JSON for objects, empty for null. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Indented JSON for the detail view (2 spaces), tolerant of values JSON cannot represent. */
export function formatJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
