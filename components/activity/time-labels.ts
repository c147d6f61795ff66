/**
 * Time labels of the activity chart in the display zone (the URL's `tz`): axis ticks, a bucket's span
 * and instants in sentences. Buckets are UTC; only their labels move with the zone.
 */
import { zoneLabel, type DisplayZone } from "@/lib/format";

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

let localZone: string | undefined;

function formatter(tz: DisplayZone, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  localZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = tz === "utc" ? "UTC" : localZone;
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { ...options, hourCycle: "h23", timeZone });
    formatters.set(key, f);
  }
  return f;
}

const DATE = { month: "short", day: "numeric" } as const;
const TIME = { hour: "2-digit", minute: "2-digit" } as const;

/** The calendar day of an instant in the display zone, e.g. "Nov 21". */
export function formatDay(ms: number, tz: DisplayZone): string {
  return formatter(tz, DATE).format(ms);
}

/** The time of day of an instant in the display zone, e.g. "09:30". */
export function formatTime(ms: number, tz: DisplayZone): string {
  return formatter(tz, TIME).format(ms);
}

/** A full instant for sentences: "Nov 21, 2026, 09:30 UTC". */
export function formatInstant(ms: number, tz: DisplayZone): string {
  return `${formatter(tz, { ...DATE, year: "numeric", ...TIME }).format(ms)} ${zoneLabel(tz, new Date(ms))}`;
}

/**
 * A bucket's span for its tooltip and label: "Nov 21, 09:30–10:00 UTC", or whole days
 * ("Nov 19 – Nov 20 UTC") when both ends fall on midnight in the display zone.
 */
export function formatSpan(startMs: number, endMs: number, tz: DisplayZone): string {
  const startDay = formatDay(startMs, tz);
  const zone = zoneLabel(tz, new Date(startMs));
  const startTime = formatTime(startMs, tz);
  const endTime = formatTime(endMs, tz);
  if (endMs - startMs >= DAY && startTime === "00:00" && endTime === "00:00") {
    const lastDay = formatDay(endMs - 1, tz);
    return `${startDay === lastDay ? startDay : `${startDay} – ${lastDay}`} ${zone}`;
  }
  const endDay = formatDay(endMs, tz);
  const end = endDay === startDay ? endTime : `${endDay}, ${endTime}`;
  return `${startDay}, ${startTime}–${end} ${zone}`;
}

/**
 * Axis label for a bucket start: the day alone at midnight in the display zone, otherwise the time of
 * day, with the day in front when it differs from the previous label's.
 */
export function formatTick(ms: number, previousMs: number | null, tz: DisplayZone): string {
  const day = formatDay(ms, tz);
  const time = formatTime(ms, tz);
  if (time === "00:00") return day;
  return previousMs === null || formatDay(previousMs, tz) !== day ? `${day} ${time}` : time;
}
