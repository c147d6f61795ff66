import type { StatsBucket } from "@/lib/stats";

/** Result series, bottom to top, with their theme colours (CSS variables, so dark mode follows). */
export const SERIES = [
  { key: "success", label: "Success", fill: "fill-success", swatch: "bg-success" },
  { key: "failure", label: "Failure", fill: "fill-danger", swatch: "bg-danger" },
  { key: "other", label: "Other", fill: "fill-warning", swatch: "bg-warning" },
] as const;

const MIN_HEIGHT = 1.2;

interface ChartBarsProps {
  buckets: StatsBucket[];
  /** The count at the top of the plot. */
  top: number;
  ticks: number[];
  label: string;
}

/**
 * The stacked bars as one SVG in a unit coordinate space (one unit per bucket, 100 units high),
 * stretched to the plot's size; text lives in HTML around it so it never distorts.
 */
export function ChartBars({ buckets, top, ticks, label }: ChartBarsProps) {
  const n = buckets.length;
  const gap = n > 120 ? 0.08 : 0.18;
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${n} 100`}
      preserveAspectRatio="none"
      className="absolute inset-0 h-full w-full overflow-visible"
    >
      {ticks.map((t) => (
        <line
          key={t}
          x1={0}
          x2={n}
          y1={100 - (t / top) * 100}
          y2={100 - (t / top) * 100}
          className="stroke-line"
          vectorEffect="non-scaling-stroke"
        />
      ))}
      {buckets.map((b, i) => {
        let y = 100;
        return (
          <g key={b.start}>
            {SERIES.map(({ key, fill }) => {
              if (b[key] <= 0) return null;
              // A handful of entries under a tall maximum still shows as a sliver.
              const h = Math.max(MIN_HEIGHT, (b[key] / top) * 100);
              y -= h;
              return <rect key={key} x={i + gap / 2} width={1 - gap} y={y} height={h} className={fill} />;
            })}
          </g>
        );
      })}
    </svg>
  );
}
