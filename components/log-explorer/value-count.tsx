"use client";

import { formatCount } from "@/lib/format";
import { overviewCounts } from "@/lib/value-hints";
import { CoverageNotice } from "@/components/activity/coverage-notice";
import { useExplorer } from "./explorer-context";
import { useOverviewStats } from "./use-overview-stats";

/**
 * How many entries of the current window have this value, from the activity overview's counts (the
 * filter being edited applies to them too). Nothing while the overview has not counted this field.
 */
export function ValueCount({ param, value }: { param: string; value: string }) {
  const { search } = useExplorer();
  const counts = overviewCounts(param, useOverviewStats(search.query));
  if (!counts) return null;
  const count = counts.get(value) ?? 0;
  return (
    <span
      className="ml-auto pl-2 text-2xs text-faint tabular-nums"
      aria-label={`${formatCount(count)} ${count === 1 ? "entry" : "entries"}`}
    >
      {formatCount(count)}
    </span>
  );
}

/** Under counted values: the overview's notice when its counts cover only the newest entries. */
export function ValueCountsNote({ param }: { param: string }) {
  const { search, zone } = useExplorer();
  const stats = useOverviewStats(search.query);
  if (!overviewCounts(param, stats) || !stats) return null;
  return <CoverageNotice coverage={stats.coverage} tz={zone} />;
}
