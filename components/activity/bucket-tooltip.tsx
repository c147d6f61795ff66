import { formatCount, type DisplayZone } from "@/lib/format";
import type { StatsBucket } from "@/lib/stats";
import { SERIES } from "./chart-bars";
import { bucketTotal } from "./chart-scale";
import { formatSpan } from "./time-labels";

/** Text for a bar's accessible name: its span and counts. */
export function bucketLabel(b: StatsBucket, tz: DisplayZone): string {
  const counts = SERIES.filter((s) => s.key !== "other" || b.other > 0).map(
    (s) => `${formatCount(b[s.key])} ${s.label.toLowerCase()}`,
  );
  return `${formatSpan(Date.parse(b.start), Date.parse(b.end), tz)}: ${formatCount(bucketTotal(b))} entries (${counts.join(", ")})`;
}

interface BucketTooltipProps {
  bucket: StatsBucket;
  index: number;
  count: number;
  tz: DisplayZone;
}

/** The details of the hovered or focused bar, above it (the bar's own label says the same to screen readers). */
export function BucketTooltip({ bucket, index, count, tz }: BucketTooltipProps) {
  const center = ((index + 0.5) / count) * 100;
  // Keep the box inside the plot: anchor it to the bar's left or right edge near the ends.
  const align = center < 25 ? "translate-x-0" : center > 75 ? "-translate-x-full" : "-translate-x-1/2";
  const left = center < 25 ? (index / count) * 100 : center > 75 ? ((index + 1) / count) * 100 : center;
  return (
    <div
      aria-hidden="true"
      className={`pointer-events-none absolute bottom-full z-10 mb-1 w-max max-w-64 rounded-md border border-line bg-surface px-2.5 py-1.5 text-xs shadow-pop ${align}`}
      style={{ left: `${left}%` }}
    >
      <div className="font-medium text-fg">
        {formatSpan(Date.parse(bucket.start), Date.parse(bucket.end), tz)}
      </div>
      <div className="mt-1 grid grid-cols-[auto_1fr_auto] items-center gap-x-2 gap-y-0.5 text-muted">
        {SERIES.filter((s) => s.key !== "other" || bucket.other > 0).map((s) => (
          <div key={s.key} className="contents">
            <span className={`h-2 w-2 rounded-sm ${s.swatch}`} />
            <span>{s.label}</span>
            <span className="text-right font-mono text-fg tabular-nums">{formatCount(bucket[s.key])}</span>
          </div>
        ))}
        <span />
        <span>Total</span>
        <span className="text-right font-mono text-fg tabular-nums">{formatCount(bucketTotal(bucket))}</span>
      </div>
    </div>
  );
}
