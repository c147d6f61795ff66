"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { logsQueryOptions } from "@/lib/queries";
import type { LogQuery } from "@/lib/search-params";
import { pinnedToWindow, statsQueryOptions } from "@/lib/stats-query";

const NO_ROWS: AuditLog[] = [];

/**
 * The activity overview's counts for a query, when it has them: read from its cache, never fetched
 * here (the walk behind them is the most expensive request the page makes). The overview counts the
 * table's exact window, so they are looked up under that window, as the table's first page gave it;
 * a previous view's counts kept on screen meanwhile are not this view's.
 */
export function useOverviewStats(query: LogQuery) {
  const meta = useInfiniteQuery({ ...logsQueryOptions(query), enabled: false }).data?.pages[0]?.meta;
  const counted = useMemo(
    () => pinnedToWindow(query, meta ? { since: meta.since, before: meta.before } : null),
    [query, meta],
  );
  const stats = useQuery({ ...statsQueryOptions(counted), enabled: false });
  return stats.isPlaceholderData ? undefined : stats.data;
}

/** The loaded rows of a query, read from the table's cache without fetching. */
export function useLoadedRows(query: LogQuery): AuditLog[] {
  const pages = useInfiniteQuery({ ...logsQueryOptions(query), enabled: false }).data?.pages;
  return useMemo(() => pages?.flatMap((p) => p.data) ?? NO_ROWS, [pages]);
}
