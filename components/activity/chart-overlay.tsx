"use client";

import { useMemo } from "react";
import type { DisplayZone } from "@/lib/format";
import type { StatsBucket } from "@/lib/stats";
import { BucketTooltip, bucketLabel } from "./bucket-tooltip";
import { useBarSelection, type BarRange } from "./use-bar-selection";

interface ChartOverlayProps {
  buckets: StatsBucket[];
  tz: DisplayZone;
  onZoom: (range: BarRange) => void;
}

/**
 * One transparent button per bar over the SVG: hover and keyboard focus show a bar's details, and a
 * drag (or Shift+arrows, then Enter) across bars zooms into them.
 */
export function ChartOverlay({ buckets, tz, onZoom }: ChartOverlayProps) {
  const n = buckets.length;
  const bars = useBarSelection(n, onZoom);
  const active = bars.active !== null && bars.active < n ? bars.active : null;
  const pct = (i: number) => `${(i / n) * 100}%`;
  // Each label formats a dozen dates and counts: once per answer, not once per render.
  const labels = useMemo(() => buckets.map((b) => bucketLabel(b, tz)), [buckets, tz]);
  return (
    <div
      role="group"
      aria-label="Bars of the activity chart: arrow keys move between time buckets, Shift with arrows selects several, Enter zooms in"
      className="absolute inset-0 touch-none select-none"
      onKeyDown={bars.onKeyDown}
      {...bars.pointer}
    >
      {bars.selection && (
        <div
          data-testid="activity-selection"
          className="pointer-events-none absolute inset-y-0 rounded-sm bg-accent/15 ring-1 ring-accent/50"
          style={{ left: pct(bars.selection.from), width: pct(bars.selection.to - bars.selection.from + 1) }}
        />
      )}
      {buckets.map((b, i) => (
        <button
          key={b.start}
          ref={(el) => {
            bars.buttons.current[i] = el;
          }}
          type="button"
          tabIndex={i === bars.cursor ? 0 : -1}
          aria-label={labels[i]}
          className={`absolute inset-y-0 cursor-crosshair rounded-sm focus-visible:outline-offset-0 ${i === active ? "bg-fg/5" : ""}`}
          style={{ left: pct(i), width: pct(1) }}
          onFocus={(e) => bars.onFocusBar(i, e)}
          onBlur={bars.onBlurBar}
        />
      ))}
      {active !== null && <BucketTooltip bucket={buckets[active]} index={active} count={n} tz={tz} />}
    </div>
  );
}
