/** "3 min ago", "in 2 h", "just now": how far an instant is from now, for a timestamp's hover text. */
const UNITS: [limitMs: number, unitMs: number, unit: string][] = [
  [3_600_000, 60_000, "min"],
  [86_400_000, 3_600_000, "h"],
  [30 * 86_400_000, 86_400_000, "day"],
  [365 * 86_400_000, 30 * 86_400_000, "month"],
  [Infinity, 365 * 86_400_000, "year"],
];

export function relativeTime(value: string | Date, now: number = Date.now()): string {
  const ms = (typeof value === "string" ? Date.parse(value) : value.getTime()) - now;
  if (Number.isNaN(ms)) return "";
  const abs = Math.abs(ms);
  if (abs < 60_000) return "just now";
  const [, unitMs, unit] = UNITS.find(([limit]) => abs < limit)!;
  const n = Math.floor(abs / unitMs);
  const text = `${n} ${unit}${n > 1 && unit !== "min" && unit !== "h" ? "s" : ""}`;
  return ms < 0 ? `${text} ago` : `in ${text}`;
}
