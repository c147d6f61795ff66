"use client";

import { formatCount, type DisplayZone } from "@/lib/format";
import { isoAt, type StatsResponse } from "@/lib/stats";
import { XAxis, YAxis } from "./chart-axes";
import { ChartBars, SERIES } from "./chart-bars";
import { ChartOverlay } from "./chart-overlay";
import { formatSpan } from "./time-labels";
import { axisFraction, bucketTotal, niceMax, yTicks } from "./chart-scale";

interface ActivityChartProps {
  stats: StatsResponse;
  tz: DisplayZone;
  /** Called with the absolute window (ISO UTC) of the bars the user dragged across. */
  onZoom: (since: string, before: string) => void;
}

function describe(stats: StatsResponse, tz: DisplayZone): string {
  const { buckets, totals } = stats;
  const first = Date.parse(buckets[0].start);
  const last = Date.parse(buckets[buckets.length - 1].end);
  const busiest = buckets.reduce((a, b) => (bucketTotal(b) > bucketTotal(a) ? b : a), buckets[0]);
  const peak =
    totals.entries > 0
      ? ` Busiest: ${formatSpan(Date.parse(busiest.start), Date.parse(busiest.end), tz)} with ${formatCount(bucketTotal(busiest))}.`
      : "";
  return (
    `Activity chart: ${formatCount(totals.entries)} entries (${formatCount(totals.success)} success, ` +
    `${formatCount(totals.failure)} failure) in ${buckets.length} bars, ${formatSpan(first, last, tz)}.${peak}`
  );
}

/**
 * Stacked bars of entries per time bucket by result, with hover and focus details, drag to zoom, and
 * the part of the window the counts do not reach shaded.
 */
export function ActivityChart({ stats, tz, onZoom }: ActivityChartProps) {
  const { buckets, coverage, window } = stats;
  if (buckets.length === 0) return null;
  const firstStart = Date.parse(buckets[0].start);
  const axisEnd = Date.parse(buckets[buckets.length - 1].end);
  const top = niceMax(Math.max(...buckets.map(bucketTotal)));
  const ticks = yTicks(top);
  // Newest-first walk: what was not reached is the oldest part of the window, up to the oldest entry seen.
  const uncovered = coverage.complete
    ? 0
    : axisFraction(
        coverage.oldestCovered ? Date.parse(coverage.oldestCovered) : axisEnd,
        firstStart,
        axisEnd,
      );

  const zoom = ({ from, to }: { from: number; to: number }) => {
    const since = Math.max(Date.parse(buckets[from].start), Date.parse(window.since));
    const before = Math.min(Date.parse(buckets[to].end), Date.parse(window.before));
    onZoom(isoAt(since), isoAt(before));
  };

  return (
    <figure className="min-w-0">
      <div className="flex h-24">
        <YAxis ticks={ticks} top={top} />
        <div className="relative min-w-0 flex-1" data-testid="activity-plot">
          <ChartBars buckets={buckets} top={top} ticks={ticks} label={describe(stats, tz)} />
          {uncovered > 0 && (
            <div
              data-testid="activity-uncovered"
              title="Not counted: older than the entries the overview walked"
              className="pointer-events-none absolute inset-y-0 left-0 border-r border-dashed border-line-strong bg-[repeating-linear-gradient(135deg,var(--hover)_0_4px,transparent_4px_8px)]"
              style={{ width: `${uncovered * 100}%` }}
            />
          )}
          <ChartOverlay buckets={buckets} tz={tz} onZoom={zoom} />
        </div>
      </div>
      <XAxis firstStart={firstStart} bucketMs={stats.bucketMs} count={buckets.length} tz={tz} />
      <figcaption className="mt-1 ml-10 flex flex-wrap items-center gap-x-3 text-2xs text-muted">
        {SERIES.filter((s) => s.key !== "other" || stats.totals.other > 0).map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className={`h-2 w-2 rounded-sm ${s.swatch}`} />
            {s.label}
          </span>
        ))}
        <span className="text-muted">Drag across bars to zoom</span>
      </figcaption>
    </figure>
  );
}
