"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useQueryStates, type Options } from "nuqs";
import { useCallback, useEffect, useMemo, useRef } from "react";
import type { ApiVersion, FieldId } from "@/lib/audit-log";
import { logsQueryOptions } from "@/lib/queries";
import {
  activeFilters,
  addFilterValue,
  pickQuery,
  querySearchParams,
  searchParams,
  viewSearchParams,
  type FilterKey,
  type LogQuery,
  type LogSearch,
} from "@/lib/search-params";

// Clearing the filters or the query keeps the account being read.
const QUERY_RESET = Object.fromEntries(
  Object.keys(querySearchParams)
    .filter((k) => k !== "account")
    .map((k) => [k, null]),
);
const FILTER_RESET = Object.fromEntries(
  Object.keys(querySearchParams)
    .filter((k) => !["range", "since", "before", "direction", "account"].includes(k))
    .map((k) => [k, null]),
);

type SearchUpdate = { [K in keyof LogSearch]?: LogSearch[K] | null };

/**
 * The query the URL state holds once `update` is applied (a null value is the parameter's default, as
 * the URL state reads it), or null when the update leaves the query as it is.
 */
export function queryAfter(search: LogSearch, update: SearchUpdate): LogQuery | null {
  const next: Record<string, unknown> = { ...search };
  let changed = false;
  for (const [key, value] of Object.entries(update)) {
    if (!(key in querySearchParams)) continue;
    const parser = querySearchParams[key as keyof typeof querySearchParams] as { defaultValue?: unknown };
    next[key] = value ?? parser.defaultValue ?? null;
    changed ||= JSON.stringify(next[key]) !== JSON.stringify(search[key as keyof LogSearch]);
  }
  return changed ? pickQuery(next as LogSearch) : null;
}

/** The parameters of the view (columns, widths, density, zone, open entry, live), each nullable. */
export type ViewUpdate = { [K in keyof typeof viewSearchParams]?: LogSearch[K] | null };

/**
 * The page's URL state (the one URL model of lib/search-params.ts) and every edit the UI makes to it:
 * the only writer of the page URL. Filter and time changes push a history entry, so Back and Forward
 * step through them; view changes (columns, widths, zone, open entry, live) replace the current one.
 */
export function useLogSearch(api: ApiVersion) {
  const [search, setUrlState] = useQueryStates(searchParams, {
    history: "push",
    shallow: true,
    scroll: false,
  });
  const query = useMemo(() => pickQuery(search), [search]);
  const client = useQueryClient();
  // The edits below read the view as last rendered without depending on it: they keep their identity
  // while the view changes, so the memoized parts of the page given them do not render again for it.
  const latest = useRef(search);
  useEffect(() => {
    latest.current = search;
  });

  /**
   * Every URL edit goes through here. One that changes the query asks for its first page at once,
   * before the page renders the change: the table then finds the request already under way under the
   * same key, instead of starting it only after that render. An account switch that reloads the page
   * leaves the request to the server's render.
   */
  const setSearch = useCallback(
    (update: SearchUpdate, options?: Options) => {
      const next = queryAfter(latest.current, update);
      if (next && !(options?.shallow === false))
        void client.prefetchInfiniteQuery(logsQueryOptions(next)).catch(() => undefined);
      return setUrlState(update, options);
    },
    [client, setUrlState],
  );
  const filters = useMemo(() => activeFilters(query), [query]);

  const setValues = useCallback(
    (key: FilterKey, values: string[]) => void setSearch({ [key]: values.length > 0 ? values : null }),
    [setSearch],
  );

  /** Replace every filter at once (keys left out are cleared), as applying query text does. */
  const setFilters = useCallback(
    (next: Partial<Record<FilterKey, string[]>>) =>
      void setSearch(
        Object.fromEntries(
          Object.entries(next).map(([key, values]) => [key, values && values.length > 0 ? values : null]),
        ),
      ),
    [setSearch],
  );

  const addFilter = useCallback(
    (param: string, negated: boolean, value: string) =>
      void setSearch(addFilterValue(latest.current, param, negated, value, api)),
    [api, setSearch],
  );

  const removeFilter = useCallback(
    (key: FilterKey, value: string) =>
      setValues(
        key,
        (latest.current[key] ?? []).filter((v) => v !== value),
      ),
    [setValues],
  );

  const flipFilter = useCallback(
    (param: string, negated: boolean, value: string) => addFilter(param, !negated, value),
    [addFilter],
  );

  const setView = useCallback(
    (view: ViewUpdate) => void setSearch(view, { history: "replace" }),
    [setSearch],
  );

  return {
    search,
    query,
    filters,
    setValues,
    setFilters,
    addFilter,
    removeFilter,
    flipFilter,
    setView,
    clearFilters: useCallback(() => void setSearch(FILTER_RESET), [setSearch]),
    resetQuery: useCallback(() => void setSearch(QUERY_RESET), [setSearch]),
    setRange: useCallback(
      (range: string) => void setSearch({ range, since: null, before: null }),
      [setSearch],
    ),
    setWindow: useCallback(
      (since: string, before: string) => void setSearch({ range: null, since, before }),
      [setSearch],
    ),
    setAutomation: useCallback(
      (automation: "exclude" | "only" | null) => void setSearch({ automation }),
      [setSearch],
    ),
    setDirection: useCallback((direction: "asc" | "desc") => void setSearch({ direction }), [setSearch]),
    setHideUserLogs: useCallback(
      (hide: boolean) => void setSearch({ hide_user_logs: hide || null }),
      [setSearch],
    ),
    setColumns: useCallback((columns: FieldId[]) => setView({ columns }), [setView]),
    setZone: useCallback((tz: "utc" | "local") => setView({ tz }), [setView]),
    setLog: useCallback((log: string | null) => setView({ log }), [setView]),
    /**
     * Read another account: the filters, range and columns stay; the open entry belongs to the account
     * left. `reload` asks the server to render the page again (another API version has other filters).
     */
    setAccount: useCallback(
      (account: string | null, reload: boolean) =>
        void setSearch({ account, log: null }, { shallow: !reload }),
      [setSearch],
    ),
  };
}

export type LogSearchState = ReturnType<typeof useLogSearch>;
