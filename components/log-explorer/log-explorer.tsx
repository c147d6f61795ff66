"use client";

import { Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import { ActivityOverview } from "@/components/activity/activity-overview";
import { DataNotice } from "@/components/data-notice/data-notice";
import { toProblem } from "@/lib/queries";
import { entryHrefs, type LogQuery, type ParamError } from "@/lib/search-params";
import { AppHeader, type AppHeaderProps } from "./app-header";
import { lazyWithPreload, useOpenedOnce, usePreloadWhenIdle } from "@/components/ui/lazy";
import { ArchiveNotice } from "./archive-notice";
import { DetailSheetLoading } from "./detail-sheet-loading";
import { EmptyState } from "./empty-state";
import { ExplorerContext, useIsClient, type ExplorerContextValue } from "./explorer-context";
import { focusTable, LogTable, TABLE_ID } from "./log-table";
import { StatusBar } from "./status-bar";
import { Toolbar } from "./toolbar";
import { useKeyboard } from "./use-keyboard";
import { useLinkErrors } from "./use-link-errors";
import { useLogData } from "./use-log-data";
import { useLogSearch } from "./use-log-search";
import { useLogTable } from "./use-log-table";
import { useOverviewStats } from "./use-overview-stats";

// Not needed for the first rows: their code loads when first opened (and ahead of that, when idle).
const DetailSheet = lazyWithPreload(() => import("./detail-sheet").then((m) => m.DetailSheet));
const ShortcutsDialog = lazyWithPreload(() => import("./shortcuts-dialog").then((m) => m.ShortcutsDialog));
// Shown instead of rows only when something is off (a bad link, an error, nothing found).
const InvalidLink = lazyWithPreload(() => import("./invalid-link").then((m) => m.InvalidLink));
const ErrorState = lazyWithPreload(() => import("./error-state").then((m) => m.ErrorState));
const ValueSuggestions = lazyWithPreload(() => import("./value-suggestions").then((m) => m.ValueSuggestions));

export interface LogExplorerProps extends Omit<AppHeaderProps, "onShowShortcuts"> {
  api: ApiVersion;
  /** Problems the server found in the page's URL (some, like a bad `direction`, the client parser drops). */
  linkErrors: ParamError[];
}

/** The audit-log explorer: URL-driven filters, a virtualized table of entries and the detail view. */
export function LogExplorer({ linkErrors, ...header }: LogExplorerProps) {
  const { api } = header;
  const search = useLogSearch(api);
  const { query } = search;
  const { errors } = useLinkErrors(search.search, api, linkErrors);

  const openId = search.search.log;
  const data = useLogData(query, errors.length === 0, openId);
  const { logs, rows } = data;
  const table = useLogTable(rows, search.search.columns, search.setColumns, search.search.widths);
  const queryHash = JSON.stringify(query);
  const matching = useMatchCount(query, rows.length, !!logs.hasNextPage);

  const [active, setActive] = useState({ hash: queryHash, index: -1 });
  const activeIndex = active.hash === queryHash ? active.index : -1;
  const [shortcuts, setShortcuts] = useState(false);
  const hydrated = useIsClient();
  // The detail view first: a row is the first thing most people click.
  usePreloadWhenIdle([DetailSheet]);
  const sheetMounted = useOpenedOnce(hydrated && openId !== null);
  const shortcutsMounted = useOpenedOnce(shortcuts);

  const { setLog } = search;
  // Read when a row is opened, not a dependency: every row is given this function, and a new one on
  // each filter change would draw every row on screen again while their rows are still the old ones.
  const loaded = useRef({ indexById: data.indexById, queryHash });
  useEffect(() => {
    loaded.current = { indexById: data.indexById, queryHash };
  });
  const openEntry = useCallback(
    (id: string) => {
      setLog(id);
      const index = loaded.current.indexById.get(id);
      if (index !== undefined) setActive({ hash: loaded.current.queryHash, index });
    },
    [setLog],
  );
  const entryHref = useMemo(() => entryHrefs(search.search), [search.search]);
  const move = (step: 1 | -1) => {
    const from = activeIndex < 0 ? (step === 1 ? -1 : rows.length) : activeIndex;
    const index = Math.min(rows.length - 1, Math.max(0, from + step));
    if (rows.length > 0) setActive({ hash: queryHash, index });
  };
  const moveOpen = (step: 1 | -1) => {
    const next = rows[data.openIndex + step];
    if (data.openIndex >= 0 && next) openEntry(next.id);
  };

  useKeyboard({
    move,
    openActive: () => rows[activeIndex] && openEntry(rows[activeIndex].id),
    showShortcuts: () => setShortcuts(true),
  });

  const retainedSince = logs.data?.pages[0]?.meta.retainedSince ?? null;
  const context = useMemo<ExplorerContextValue>(
    () => ({ api, zone: search.search.tz, search, openEntry, entryHref, retainedSince }),
    [api, search, openEntry, entryHref, retainedSince],
  );

  const loading = errors.length === 0 && logs.isPending;
  let placeholder: ReactNode = null;
  if (errors.length > 0) {
    placeholder = <InvalidLink errors={errors} onRepair={(rename) => repairLink(errors, rename)} />;
  } else if (logs.isError) {
    const problem = toProblem(logs.error);
    // A cursor the upstream no longer accepts (expired, or the server restarted) cannot be retried:
    // start again from the first page instead.
    const staleCursor = problem.status === 400 && !!problem.errors?.some((e) => e.parameter === "cursor");
    placeholder = (
      <ErrorState
        key={logs.errorUpdatedAt}
        problem={problem}
        failedAt={logs.errorUpdatedAt}
        onRetry={() =>
          logs.isFetchNextPageError && !staleCursor
            ? logs.fetchNextPage()
            : staleCursor
              ? data.refresh()
              : logs.refetch()
        }
      />
    );
  } else if (logs.isSuccess && !logs.isPlaceholderData && rows.length === 0) {
    placeholder = (
      <EmptyState>
        <Suspense fallback={null}>
          <ValueSuggestions window={data.window} />
        </Suspense>
      </EmptyState>
    );
  }

  return (
    <ExplorerContext.Provider value={context}>
      <div className="flex h-dvh flex-col overflow-y-auto" data-hydrated={hydrated || undefined}>
        <a
          href={`#${TABLE_ID}`}
          onClick={(event) => {
            event.preventDefault();
            focusTable();
          }}
          className="sr-only z-50 rounded-md bg-accent px-3 py-1.5 text-xs font-medium text-accent-fg focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
        >
          Skip to entries
        </a>
        <AppHeader
          {...header}
          // The URL names the account once switched; without it, the viewer's first account is read.
          account={search.search.account ?? header.accounts?.[0]?.id ?? header.account}
          onShowShortcuts={() => setShortcuts(true)}
        />
        <Toolbar table={table} window={data.window} refreshing={logs.isRefetching} onRefresh={data.refresh} />
        {errors.length === 0 && <ActivityOverview api={api} window={data.window} />}
        {errors.length === 0 && (
          <DataNotice
            api={api}
            query={query}
            zone={search.search.tz}
            rows={rows}
            pages={logs.isPlaceholderData ? undefined : logs.data?.pages}
            openEntry={data.openEntry}
          />
        )}
        {/* However much the header and the overview take, the table keeps room for a screen of rows: the
            page scrolls instead. */}
        <main className="flex min-h-[max(16rem,50dvh)] flex-1 flex-col">
          <ArchiveNotice pages={logs.isPlaceholderData ? undefined : logs.data?.pages} />
          <LogTable
            table={table}
            direction={query.direction}
            onToggleDirection={() => search.setDirection(query.direction === "desc" ? "asc" : "desc")}
            queryHash={queryHash}
            loading={loading}
            stale={logs.isPlaceholderData}
            hasMore={!!logs.hasNextPage}
            fetchingMore={logs.isFetchingNextPage}
            onLoadMore={data.loadMore}
            activeIndex={activeIndex}
            openId={openId}
            onOpen={openEntry}
            placeholder={placeholder && <Suspense fallback={null}>{placeholder}</Suspense>}
          />
        </main>
        <StatusBar
          loaded={rows.length}
          hasMore={!!logs.hasNextPage}
          matching={matching}
          window={data.window}
        />
      </div>
      {sheetMounted && (
        <Suspense fallback={openId !== null && <DetailSheetLoading onClose={() => setLog(null)} />}>
          <DetailSheet
            openId={openId}
            entry={data.openEntry}
            status={data.openStatus}
            position={
              data.openIndex >= 0 ? { index: data.openIndex, loaded: rows.length, ...matching } : null
            }
            onMove={moveOpen}
            onClose={() => setLog(null)}
          />
        </Suspense>
      )}
      {shortcutsMounted && (
        <Suspense fallback={null}>
          <ShortcutsDialog open={shortcuts} onOpenChange={setShortcuts} />
        </Suspense>
      )}
    </ExplorerContext.Provider>
  );
}

/**
 * How many entries match, as far as is known: exactly when the activity overview counted the table's
 * whole window, otherwise a lower bound (the overview's partial count, or the loaded rows and one more).
 * Reads the overview's counts from the cache; it never starts a count of its own.
 */
function useMatchCount(query: LogQuery, loaded: number, hasMore: boolean): { total: number; exact: boolean } {
  const stats = useOverviewStats(query);
  if (stats?.coverage.complete) return { total: stats.totals.entries, exact: true };
  if (!hasMore) return { total: loaded, exact: true };
  return { total: Math.max(loaded + 1, stats?.totals.entries ?? 0), exact: false };
}

/**
 * Remove the parameters named in `errors` from the page URL (or rename them, for a mistyped name), and
 * keep every other parameter as it was: a reload then shows the repaired view, not the error again.
 */
function repairLink(errors: ParamError[], rename: Record<string, string>) {
  const params = new URLSearchParams(window.location.search);
  for (const { parameter } of errors) {
    const values = params.getAll(parameter);
    params.delete(parameter);
    const to = rename[parameter];
    if (to) for (const v of values) params.append(to, v);
  }
  const qs = params.toString();
  // A fresh load of the repaired link: the server checks it again and the URL state starts from it,
  // unknown parameters included (the client's URL state never holds those, so it cannot drop them).
  window.location.replace(`${window.location.pathname}${qs ? `?${qs}` : ""}`);
}
