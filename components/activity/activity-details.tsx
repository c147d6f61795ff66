"use client";

import { memo } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import type { DisplayZone } from "@/lib/format";
import type { StatsResponse } from "@/lib/stats";
import { ActivityChart as Chart } from "./activity-chart";
import { SummaryCards as Cards, SummaryFigures as Figures } from "./summary-cards";
import type { OnFilter } from "./top-values";

export interface ActivityDetailsProps {
  stats: StatsResponse;
  api: ApiVersion;
  tz: DisplayZone;
  /** The counts are the previous query's, shown while the new ones load. */
  stale: boolean;
  onZoom: (since: string, before: string) => void;
  onFilter: OnFilter;
}

// Memoized: a filter change dims the previous counts while the next load, without drawing them again.
const ActivityChart = memo(Chart);
const SummaryCards = memo(Cards);
const SummaryFigures = memo(Figures);

/**
 * The counted activity: totals, the chart and the top values. Loaded apart from the page's
 * first bundle: it can only show once the counts arrive, which is after the rows.
 */
export function ActivityDetails({ stats, api, tz, stale, onZoom, onFilter }: ActivityDetailsProps) {
  return (
    <div className={`mt-1 space-y-2 transition-opacity ${stale ? "opacity-60" : ""}`}>
      <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="min-w-0 space-y-2">
          <SummaryFigures stats={stats} />
          <ActivityChart stats={stats} tz={tz} onZoom={onZoom} />
        </div>
        <SummaryCards stats={stats} api={api} onFilter={onFilter} />
      </div>
    </div>
  );
}
