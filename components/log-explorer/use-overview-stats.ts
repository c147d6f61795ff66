"use client";

import type { InfiniteData, QueryState } from "@tanstack/react-query";
import { useMemo } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { logKeys, type LogPage, type PageParam } from "@/lib/queries";
import type { LogQuery } from "@/lib/search-params";
import type { StatsResponse } from "@/lib/stats";
import { CHART_BUCKETS, pinnedToWindow, statsKeys } from "@/lib/stats-query";
import { useCachedQuery } from "./use-cached-query";

const NO_ROWS: AuditLog[] = [];

type LogsData = InfiniteData<LogPage, PageParam>;

const pagesOf = (state: QueryState | undefined) => (state?.data as LogsData | undefined)?.pages;

/**
 * The activity overview's counts for a query, when it has them: read from its cache, never fetched
 * here (the walk behind them is the most expensive request the page makes). The overview counts the
 * table's exact window, so they are looked up under that window, as the table's first page gave it;
 * a previous view's counts kept on screen meanwhile are not this view's.
 */
export function useOverviewStats(query: LogQuery): StatsResponse | undefined {
  const meta = useCachedQuery(logKeys.list(query), (state) => pagesOf(state)?.[0]?.meta);
  const counted = useMemo(
    () => pinnedToWindow(query, meta ? { since: meta.since, before: meta.before } : null),
    [query, meta],
  );
  return useCachedQuery(
    statsKeys.query(counted, CHART_BUCKETS),
    (state) => state?.data as StatsResponse | undefined,
  );
}

/** The loaded rows of a query, read from the table's cache without fetching. */
export function useLoadedRows(query: LogQuery): AuditLog[] {
  const pages = useCachedQuery(logKeys.list(query), pagesOf);
  return useMemo(() => pages?.flatMap((p) => p.data) ?? NO_ROWS, [pages]);
}
