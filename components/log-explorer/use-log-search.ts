"use client";

import { useQueryStates } from "nuqs";
import { useCallback, useMemo } from "react";
import type { ApiVersion, FieldId } from "@/lib/audit-log";
import {
  activeFilters,
  pickQuery,
  querySearchParams,
  searchParams,
  type FilterKey,
} from "@/lib/search-params";

const filterKey = (param: string, negated: boolean) => (negated ? `${param}.not` : param) as FilterKey;

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

/**
 * The page's URL state (the one URL model of lib/search-params.ts) and the edits the UI makes to it.
 * Filter and time changes push a history entry, so Back and Forward step through them; view changes
 * (columns, zone, open entry) replace the current one.
 */
export function useLogSearch(api: ApiVersion) {
  const [search, setSearch] = useQueryStates(searchParams, { history: "push", shallow: true, scroll: false });
  const query = useMemo(() => pickQuery(search), [search]);
  const filters = useMemo(() => activeFilters(query), [query]);

  const setValues = useCallback(
    (key: FilterKey, values: string[]) => void setSearch({ [key]: values.length > 0 ? values : null }),
    [setSearch],
  );

  const addFilter = useCallback(
    (param: string, negated: boolean, value: string) => {
      const key = filterKey(param, negated);
      const other = filterKey(param, !negated);
      const current = search[key] ?? [];
      // v1 takes one value per filter: a new value replaces the old one.
      const next = api === "v1" ? [value] : current.includes(value) ? current : [...current, value];
      const update: Record<string, string[] | null> = { [key]: next };
      if (other in search) update[other] = (search[other] ?? []).filter((v) => v !== value);
      for (const k of Object.keys(update)) if (update[k]?.length === 0) update[k] = null;
      void setSearch(update);
    },
    [api, search, setSearch],
  );

  const removeFilter = useCallback(
    (key: FilterKey, value: string) =>
      setValues(
        key,
        (search[key] ?? []).filter((v) => v !== value),
      ),
    [search, setValues],
  );

  const flipFilter = useCallback(
    (param: string, negated: boolean, value: string) => addFilter(param, !negated, value),
    [addFilter],
  );

  return {
    search,
    query,
    filters,
    setValues,
    addFilter,
    removeFilter,
    flipFilter,
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
    setColumns: useCallback(
      (columns: FieldId[]) => void setSearch({ columns }, { history: "replace" }),
      [setSearch],
    ),
    setZone: useCallback(
      (tz: "utc" | "local") => void setSearch({ tz }, { history: "replace" }),
      [setSearch],
    ),
    setLog: useCallback((log: string | null) => void setSearch({ log }, { history: "replace" }), [setSearch]),
  };
}

export type LogSearchState = ReturnType<typeof useLogSearch>;
