"use client";

import { useQuery } from "@tanstack/react-query";
import { memo, Suspense, useEffect, useMemo, useState } from "react";
import { useCachedQuery } from "@/components/log-explorer/use-cached-query";
import { Button } from "@/components/ui/button";
import { lazyWithPreload } from "@/components/ui/lazy";
import type { ApiVersion } from "@/lib/audit-log";
import { formatRange, formatWindow } from "@/lib/format";
import { logKeys, toProblem } from "@/lib/queries";
import { validateSearch, type LogQuery } from "@/lib/search-params";
import { CHART_BUCKETS, pinnedToWindow, statsQueryOptions, statsSearch } from "@/lib/stats-query";
import { ActivitySkeleton } from "./activity-skeleton";
import { useActivityUrl } from "./use-activity-url";
import { usePanelOpen } from "./use-panel-open";

// The chart and the top values show only once the counts arrive, after the rows: their code loads
// meanwhile, apart from the page's first bundle.
const ActivityDetails = lazyWithPreload(() => import("./activity-details").then((m) => m.ActivityDetails));

export interface ActivityOverviewProps {
  /** The active audit-log API: which filters a click may add, and which links are valid. */
  api?: ApiVersion;
  /** Bars to ask for (the server picks a bucket size that yields at most this many). */
  buckets?: number;
  /** The table's absolute window, once known: the counts cover exactly that window. */
  window?: { since: string; before: string } | null;
  className?: string;
}

/**
 * Whether the table's list of `query` has its first answer (rows or an error). Until it has, the
 * overview waits: the walk behind the chart costs the server far more than a page of rows, so the
 * rows go first, after a filter change too (when nothing is fetching yet as this renders).
 */
function useListAnswered(query: LogQuery): "success" | "error" | null {
  return useCachedQuery(
    logKeys.list(query),
    (state) => (state?.status === "success" || state?.status === "error" ? state.status : null),
    () => null,
  );
}

/**
 * True once `ready` has held for a painted frame for this `subject`: work that may wait for the screen
 * to show the last change (a frame, then the task after it) starts only then.
 */
function usePaintedSince(ready: boolean, subject: unknown): boolean {
  const [painted, setPainted] = useState<unknown>(null);
  useEffect(() => {
    if (!ready) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(subject));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready, subject]);
  return ready && painted === subject;
}

/**
 * Activity over the current filters and window, above the table: a stacked bar chart by result, totals
 * and top values. It reads and writes the page URL (the one URL model), so the table follows a zoom
 * or a click-to-filter here. Memoized: new rows in the table do not redraw it.
 */
export const ActivityOverview = memo(function ActivityOverview({
  api = "v2",
  buckets = CHART_BUCKETS,
  window = null,
  className = "",
}: ActivityOverviewProps) {
  const url = useActivityUrl(api);
  const counted = useMemo(() => pinnedToWindow(url.query, window), [url.query, window]);
  const [stored, toggleOpen] = usePanelOpen();
  const open = stored !== false;
  // A link the server would refuse is reported by the page; the overview just waits for a valid one.
  const valid = useMemo(
    () =>
      validateSearch(new URLSearchParams(statsSearch(url.query, buckets)), { api, accept: ["buckets"] }).ok,
    [url.query, buckets, api],
  );
  const listAnswered = useListAnswered(url.query);
  // After rows, wait for their window too, so the counts are asked once, for exactly that window; and
  // for the rows to be on screen, so the server's counting does not compete with drawing them.
  const rowsShown = usePaintedSince(
    stored === true && valid && (listAnswered === "error" || (listAnswered === "success" && !!window)),
    counted,
  );
  const stats = useQuery({ ...statsQueryOptions(counted, buckets), enabled: rowsShown });
  const data = valid ? stats.data : undefined;
  const { tz } = url;
  // Fetched while the counts are: by the time they arrive, the chart's code is here.
  useEffect(() => {
    if (open) void ActivityDetails.preload().catch(() => undefined);
  }, [open]);

  return (
    <section
      aria-labelledby="activity-heading"
      className={`border-b border-line bg-subtle px-4 py-2 ${className}`}
    >
      <div className="flex min-h-7 flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id="activity-heading" className="text-xs font-semibold text-fg">
          Activity
        </h2>
        {open && data && (
          <span className="text-xs text-muted">
            {formatWindow(data.window.since, data.window.before, tz)}
          </span>
        )}
        {open && valid && stats.isFetching && (
          <span role="status" className="text-xs text-muted">
            Counting entries…
          </span>
        )}
        <div className="ml-auto flex items-center gap-1">
          {url.pinned && (
            <Button size="sm" onClick={url.resetZoom} title={`Back to ${formatRange(url.presetBeforeZoom)}`}>
              Reset zoom
            </Button>
          )}
          <Button variant="ghost" size="sm" aria-expanded={open} onClick={toggleOpen}>
            {open ? "Hide activity" : "Show activity"}
          </Button>
        </div>
      </div>
      {open && valid && stats.isError && !data && (
        <p role="alert" className="mt-1 text-xs text-danger">
          Activity could not be counted: {toProblem(stats.error).detail || toProblem(stats.error).title}{" "}
          <button type="button" className="underline" onClick={() => void stats.refetch()}>
            Retry
          </button>
        </p>
      )}
      {open && valid && !data && stats.isPending && <ActivitySkeleton />}
      {open && data && (
        <Suspense fallback={<ActivitySkeleton />}>
          <ActivityDetails
            stats={data}
            api={api}
            tz={tz}
            stale={stats.isPlaceholderData}
            onZoom={url.zoom}
            onFilter={url.addFilter}
          />
        </Suspense>
      )}
    </section>
  );
});
