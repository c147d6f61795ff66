"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { logsQueryOptions } from "@/lib/queries";
import type { LogQuery } from "@/lib/search-params";
import { statsQueryOptions } from "@/lib/stats-query";

const NO_ROWS: AuditLog[] = [];

/**
 * The activity overview's counts for a query, when it has them: read from its cache, never fetched
 * here (the walk behind them is the most expensive request the page makes).
 */
export function useOverviewStats(query: LogQuery) {
  return useQuery({ ...statsQueryOptions(query), enabled: false }).data;
}

/** The loaded rows of a query, read from the table's cache without fetching. */
export function useLoadedRows(query: LogQuery): AuditLog[] {
  const pages = useInfiniteQuery({ ...logsQueryOptions(query), enabled: false }).data?.pages;
  return useMemo(() => pages?.flatMap((p) => p.data) ?? NO_ROWS, [pages]);
}
