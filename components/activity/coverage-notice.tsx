import { formatCount, type DisplayZone } from "@/lib/format";
import type { StatsCoverage } from "@/lib/stats";
import { formatInstant } from "./time-labels";

/** Says plainly when the counts cover only the newest part of the matching entries. */
export function CoverageNotice({ coverage, tz }: { coverage: StatsCoverage; tz: DisplayZone }) {
  if (coverage.complete) return null;
  const back = coverage.oldestCovered
    ? `, back to ${formatInstant(Date.parse(coverage.oldestCovered), tz)}`
    : "";
  return (
    <p
      role="note"
      className="rounded-md border border-warning/30 bg-warning-soft/60 px-2.5 py-1 text-xs text-fg"
    >
      Based on the newest {formatCount(coverage.entries)} of the matching entries{back}. Older entries in this
      range are not counted (the shaded part of the chart);{" "}
      {coverage.stoppedBy === "budget"
        ? "the dashboard's Cloudflare API budget is spent for now: try again in a minute."
        : "narrow the range or the filters for full counts."}
    </p>
  );
}
