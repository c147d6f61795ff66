/**
 * The little scale arithmetic the activity chart needs (a d3-scale would cost ~9 KB gzip for this):
 * a rounded y maximum with its ticks, and which bucket boundaries get an x label.
 */
import { DAY, HOUR, MINUTE as MIN, type StatsBucket } from "@/lib/stats";

/** Entries in a bucket, all results together. */
export function bucketTotal(b: StatsBucket): number {
  return b.success + b.failure + b.other;
}

/** The smallest 1, 2 or 5 × 10^k at or above `max` (at least 1), so the y axis reads in round numbers. */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

/** Y ticks: zero, the middle when it is a whole number, and the top. */
export function yTicks(top: number): number[] {
  return top % 2 === 0 ? [0, top / 2, top] : [0, top];
}

/** Spacings of x labels: round durations, so labels fall on round UTC times. */
const LABEL_SPACINGS = [
  MIN,
  2 * MIN,
  5 * MIN,
  10 * MIN,
  15 * MIN,
  30 * MIN,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  4 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

/**
 * Indices of the buckets whose start gets an x label: at most `maxLabels`, spaced by the smallest
 * round duration (a multiple of the bucket size) that keeps them apart, on multiples of that duration.
 */
export function tickIndices(firstStart: number, bucketMs: number, count: number, maxLabels = 7): number[] {
  const spacing =
    LABEL_SPACINGS.find((d) => d % bucketMs === 0 && Math.ceil((count * bucketMs) / d) <= maxLabels) ??
    bucketMs * Math.ceil(count / maxLabels);
  const out: number[] = [];
  for (let i = 0; i < count; i++) if ((firstStart + i * bucketMs) % spacing === 0) out.push(i);
  return out;
}

/** Where an instant falls along the axis, from 0 (first bucket start) to 1 (last bucket end). */
export function axisFraction(ms: number, firstStart: number, axisEnd: number): number {
  return Math.min(1, Math.max(0, (ms - firstStart) / (axisEnd - firstStart)));
}
