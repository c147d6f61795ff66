"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { ApiVersion, AuditLog } from "@/lib/audit-log";
import { dataNotices, unknownValues } from "@/lib/data-notices";
import type { DisplayZone } from "@/lib/format";
import { historyQueryOptions, type LogPage } from "@/lib/queries";
import type { LogQuery } from "@/lib/search-params";
import { formatInstant } from "@/components/activity/time-labels";
import { useOverviewStats } from "@/components/log-explorer/use-overview-stats";
import { DataNoticeList } from "./data-notice-list";

const NO_ENTRY = { id: "", time: "" };

/**
 * Above the table: says when the view's data is partial or approximate. It reads what the page has
 * already fetched (the overview's counts, the open entry's history) and never fetches on its own.
 */
export function DataNotice({
  api,
  query,
  zone,
  rows,
  pages,
  openEntry,
}: {
  api: ApiVersion;
  query: LogQuery;
  zone: DisplayZone;
  rows: readonly AuditLog[];
  pages: readonly LogPage[] | undefined;
  openEntry: AuditLog | null;
}) {
  const stats = useOverviewStats(query);
  const history = useQuery({
    ...historyQueryOptions(openEntry ?? NO_ENTRY, undefined, query.account),
    enabled: false,
  });
  const unknown = useMemo(() => unknownValues(rows, api), [rows, api]);
  const server = useMemo(
    () =>
      (pages ?? []).flatMap((page) => [
        ...(page.meta.dataQuality ? [page.meta.dataQuality.message] : []),
        ...(page.meta.notices ?? []).filter((n) => typeof n === "string"),
      ]),
    [pages],
  );
  const notices = dataNotices({
    coverage: stats?.coverage,
    formatInstant: (iso) => formatInstant(Date.parse(iso), zone),
    historyApproximate: openEntry !== null && history.data?.historyStatus === "approximate",
    unknown,
    server,
  });
  return <DataNoticeList notices={notices} />;
}
