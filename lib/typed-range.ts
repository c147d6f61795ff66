/**
 * A time window typed or pasted as text, the way people write one in a ticket:
 * `2026-11-26 09:00 – 12:00`, `2026-11-26 09:00 - 2026-11-27 18:30`, `2026-11-26 to 2026-11-28`.
 * Read in the display zone, on a 24-hour clock.
 */
import { fromDateTimeInputs, type DisplayZone } from "./format";

const DATE = String.raw`(\d{4}-\d{2}-\d{2})`;
const TIME = String.raw`(\d{1,2}:\d{2}(?::\d{2})?)`;
/** Dash, en dash, em dash or "to", with optional spaces around (a bare hyphen needs spaces: dates have them). */
const SEPARATOR = String.raw`\s*(?:–|—|\s-\s|to)\s*`;
const RANGE = new RegExp(String.raw`^${DATE}(?:[ T]${TIME})?${SEPARATOR}(?:${DATE}[ T]?)?${TIME}?$`, "i");

const pad = (time: string) => (time.length === 4 ? `0${time}` : time);
const DAY = 86_400_000;

/**
 * The window a typed range names, or null when the text is not one. An end without a date is on the
 * start's day; an end date without a time includes that whole day.
 */
export function parseTypedRange(text: string, zone: DisplayZone): { since: Date; before: Date } | null {
  const m = RANGE.exec(text.trim().replace(/\s+/g, " "));
  if (!m) return null;
  const [, startDate, startTime, endDate, endTime] = m;
  if (!endDate && !endTime) return null;
  const since = fromDateTimeInputs(startDate, pad(startTime ?? "00:00"), zone);
  let before = fromDateTimeInputs(endDate ?? startDate, pad(endTime ?? "00:00"), zone);
  if (!since || !before) return null;
  if (endDate && !endTime) before = new Date(before.getTime() + DAY);
  return before > since ? { since, before } : null;
}
