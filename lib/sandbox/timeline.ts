/**
 * When things happen in the sandbox account: ~120 days before `now`, denser on weekdays and in
 * working hours (Europe, then the US), slowly growing, with a few bursts of automation (a Terraform
 * apply, a CI deploy, certificate renewals) where one identity makes many changes within minutes.
 *
 * Times come out sorted without sorting a million numbers: sorted uniform samples (normalized sums
 * of exponential gaps) are mapped through the inverse of the hourly activity curve, then merged
 * with the (few, sorted) burst times.
 */
import type { Identity } from "./actors";

export const SPAN_DAYS = 120;

/** Relative activity by UTC hour on a weekday. */
const WEEKDAY = [
  0.05, 0.04, 0.04, 0.04, 0.05, 0.08, 0.2, 0.6, 0.9, 1, 1, 0.9, 0.8, 1, 1, 0.95, 0.9, 0.8, 0.6, 0.5, 0.4, 0.3,
  0.15, 0.08,
];
const WEEKEND = 0.06;

export interface Times {
  time: Float64Array;
  /** Burst number of each entry (0 = regular activity). */
  burst: Uint8Array;
  /** Identity index of each burst number. */
  burstIdentity: number[];
}

/** `count` sorted activity times in seconds, following the hourly curve over the span. */
function regularTimes(rand: () => number, count: number, startSec: number, hours: number): Float64Array {
  const cumulative = new Float64Array(hours);
  let total = 0;
  for (let k = 0; k < hours; k++) {
    const t = startSec + k * 3600 + 1800;
    const day = Math.floor(t / 86_400);
    const dow = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const weight = dow === 0 || dow === 6 ? WEEKEND : WEEKDAY[Math.floor((t - day * 86_400) / 3600)];
    total += weight * (0.7 + (0.3 * k) / hours);
    cumulative[k] = total;
  }
  const out = new Float64Array(count);
  let sum = 0;
  for (let j = 0; j < count; j++) {
    sum -= Math.log(1 - rand());
    out[j] = sum;
  }
  const scale = total / (sum - Math.log(1 - rand()));
  let bucket = 0;
  for (let j = 0; j < count; j++) {
    const target = out[j] * scale;
    while (bucket < hours - 1 && cumulative[bucket] < target) bucket++;
    const below = bucket === 0 ? 0 : cumulative[bucket - 1];
    const fraction = Math.min(1, (target - below) / (cumulative[bucket] - below));
    out[j] = startSec + bucket * 3600 + Math.floor(fraction * 3599);
  }
  return out;
}

export function buildTimes(rand: () => number, size: number, now: number, identities: Identity[]): Times {
  const nowSec = Math.floor(now / 1000);
  const spanSec = SPAN_DAYS * 86_400;
  const startSec = nowSec - spanSec;
  const byToken = (name: string) =>
    Math.max(
      0,
      identities.findIndex((x) => x.tokenName === name),
    );
  const burstIdentity = [
    0,
    byToken("terraform-prod"),
    byToken("ci-workers-deploy"),
    byToken("cert-manager"),
    0,
    byToken("terraform-prod"),
    byToken("zt-sync"),
  ];
  const bursts = size >= 500 ? burstIdentity.length - 1 : 0;
  const burstSize = Math.floor(size * 0.004);

  // Burst entries as (seconds × 16 + burst number): one small numeric sort orders both.
  const burstKeys = new Float64Array(bursts * burstSize);
  let n = 0;
  for (let b = 1; b <= bursts; b++) {
    const at = startSec + Math.floor(rand() * (spanSec - 3600));
    const length = 300 + Math.floor(rand() * 900);
    for (let k = 0; k < burstSize; k++) burstKeys[n++] = (at + Math.floor(rand() * length)) * 16 + b;
  }
  burstKeys.sort();
  const regular = regularTimes(rand, size - n, startSec, SPAN_DAYS * 24);

  const time = new Float64Array(size);
  const burst = new Uint8Array(size);
  let r = 0;
  let b = 0;
  for (let i = 0; i < size; i++) {
    const burstSec = b < n ? Math.floor(burstKeys[b] / 16) : Infinity;
    if (r < regular.length && regular[r] <= burstSec) {
      time[i] = regular[r++] * 1000;
    } else {
      time[i] = burstSec * 1000;
      burst[i] = burstKeys[b++] - burstSec * 16;
    }
  }
  // The newest entry is a few seconds old, whatever the hour `now` falls on.
  if (size > 0) time[size - 1] = Math.max(time[size - 1], (nowSec - 5) * 1000);
  return { time, burst, burstIdentity };
}
