"use client";

import { useLayoutEffect, useRef } from "react";
import { formatCount, type DisplayZone } from "@/lib/format";
import { tickIndices } from "./chart-scale";
import { formatTick } from "./time-labels";

/** Y labels in the gutter left of the plot, at the same heights as the SVG's grid lines. */
export function YAxis({ ticks, top }: { ticks: number[]; top: number }) {
  return (
    <div aria-hidden="true" className="relative w-10 shrink-0 text-right text-2xs text-muted tabular-nums">
      {ticks.map((t) => (
        <span
          key={t}
          className="absolute right-1.5 -translate-y-1/2"
          style={{ top: `${100 - (t / top) * 100}%` }}
        >
          {formatCount(t)}
        </span>
      ))}
    </div>
  );
}

interface XAxisProps {
  firstStart: number;
  bucketMs: number;
  count: number;
  tz: DisplayZone;
}

/** Space kept between two labels, in pixels. */
const LABEL_GAP = 6;

/**
 * Hides every label that would touch the one before it (or run past the axis), so labels never print
 * over each other whatever the chart's width and the labels' lengths. Every box is read before any
 * label is hidden again (hiding moves nothing), so the page is laid out once, not once per label.
 */
function hideCrowdedLabels(axis: HTMLElement) {
  const labels = Array.from(axis.children) as HTMLElement[];
  for (const label of labels) label.style.visibility = "";
  const end = axis.getBoundingClientRect().right;
  const boxes = labels.map((label) => label.getBoundingClientRect());
  let lastRight = -Infinity;
  labels.forEach((label, i) => {
    const box = boxes[i];
    const fits = box.left >= lastRight + LABEL_GAP && box.right <= end;
    if (!fits) label.style.visibility = "hidden";
    if (fits) lastRight = box.right;
  });
}

/** Time labels under the plot, on round bucket boundaries, in the display zone. */
export function XAxis({ firstStart, bucketMs, count, tz }: XAxisProps) {
  const ref = useRef<HTMLDivElement>(null);
  const indices = tickIndices(firstStart, bucketMs, count);

  // Again when the labels change (not on every render of the chart), and when the axis is resized.
  useLayoutEffect(() => {
    const axis = ref.current;
    if (!axis) return;
    hideCrowdedLabels(axis);
    const observer = new ResizeObserver(() => hideCrowdedLabels(axis));
    observer.observe(axis);
    return () => observer.disconnect();
  }, [firstStart, bucketMs, count, tz]);

  return (
    <div
      ref={ref}
      aria-hidden="true"
      data-testid="chart-x-axis"
      className="relative ml-10 h-4 text-2xs whitespace-nowrap text-muted tabular-nums"
    >
      {indices.map((i, k) => {
        const ms = firstStart + i * bucketMs;
        const previous = k === 0 ? null : firstStart + indices[k - 1] * bucketMs;
        return (
          <span
            key={i}
            className={`absolute top-0.5 ${i === 0 ? "" : "-translate-x-1/2"}`}
            style={{ left: `${(i / count) * 100}%` }}
          >
            {formatTick(ms, previous, tz)}
          </span>
        );
      })}
    </div>
  );
}
