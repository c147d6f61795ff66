"use client";

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { logEntryQueryOptions, logKeys, logsQueryOptions, type LogPage } from "@/lib/queries";
import type { LogQuery } from "@/lib/search-params";

const NO_ROWS: AuditLog[] = [];

/** Entries of every loaded page, in order, each id once (pages can overlap while new entries arrive). */
function flatten(pages: LogPage[] | undefined): AuditLog[] {
  if (!pages) return NO_ROWS;
  const seen = new Set<string>();
  const rows: AuditLog[] = [];
  for (const page of pages)
    for (const row of page.data) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      rows.push(row);
    }
  return rows;
}

/**
 * The loaded entries of a query (infinite, cursor-paged), the window they cover, and the open entry:
 * taken from the loaded rows, or fetched by id when a link opens one that is not among them.
 */
export function useLogData(query: LogQuery, enabled: boolean, openId: string | null) {
  const client = useQueryClient();
  // While a changed filter loads, the previous rows stay (dimmed) instead of flashing a skeleton.
  const logs = useInfiniteQuery({ ...logsQueryOptions(query), enabled, placeholderData: keepPreviousData });
  const pages = enabled ? logs.data?.pages : undefined;
  const rows = useMemo(() => flatten(pages), [pages]);
  const indexById = useMemo(() => new Map(rows.map((r, i) => [r.id, i])), [rows]);
  const meta = logs.isPlaceholderData ? undefined : pages?.[0]?.meta;
  const window = useMemo(() => (meta ? { since: meta.since, before: meta.before } : null), [meta]);

  const openIndex = openId ? (indexById.get(openId) ?? -1) : -1;
  const lookup = useQuery({
    ...logEntryQueryOptions(openId ?? "", query),
    enabled: enabled && !!openId && openIndex < 0 && !logs.isPending,
  });
  const openEntry = openIndex >= 0 ? rows[openIndex] : (lookup.data ?? null);
  const openStatus: "ready" | "loading" | "missing" = openEntry
    ? "ready"
    : lookup.isSuccess || lookup.isError
      ? "missing"
      : "loading";

  const refresh = useCallback(
    () => client.resetQueries({ queryKey: logKeys.list(query), exact: true }),
    [client, query],
  );
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = logs;
  // After a failed page, scrolling does not retry by itself (that would hammer a rate-limited
  // upstream): the error's Retry button does.
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  return { logs, rows, indexById, window, openEntry, openIndex, openStatus, refresh, loadMore };
}
