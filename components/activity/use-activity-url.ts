"use client";

import { useQueryStates } from "nuqs";
import { useCallback, useMemo, useState } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import { DEFAULT_RANGE, pickQuery, searchParams, type FilterKey } from "@/lib/search-params";

// Zooms and filters are steps the user may want to go back from: they push a history entry.
const URL_OPTIONS = { history: "push", scroll: false, shallow: true } as const;

/**
 * The overview's view of the page URL (the one URL model) and the edits it makes: pinning the window
 * to a zoomed range (remembering the preset it replaced), resetting it, and adding a filter value.
 */
export function useActivityUrl(api: ApiVersion) {
  const [search, setSearch] = useQueryStates(searchParams, URL_OPTIONS);
  const query = useMemo(() => pickQuery(search), [search]);
  // The preset that was active before the first zoom, for "Reset zoom".
  const [presetBeforeZoom, setPresetBeforeZoom] = useState<string | null>(null);

  const zoom = useCallback(
    (since: string, before: string) => {
      if (!search.since) setPresetBeforeZoom(search.range);
      void setSearch({ range: null, since, before });
    },
    [search.since, search.range, setSearch],
  );

  const resetZoom = useCallback(() => {
    void setSearch({ range: presetBeforeZoom ?? DEFAULT_RANGE, since: null, before: null });
    setPresetBeforeZoom(null);
  }, [presetBeforeZoom, setSearch]);

  const addFilter = useCallback(
    (param: string, value: string, exclude: boolean) => {
      const key = (exclude ? `${param}.not` : param) as FilterKey;
      const opposite = (exclude ? param : `${param}.not`) as FilterKey;
      const current = search[key] ?? [];
      // v1 takes one value per filter: a new value replaces the old one.
      const next = api === "v1" ? [value] : current.includes(value) ? current : [...current, value];
      const update: Partial<Record<FilterKey, string[] | null>> = { [key]: next };
      if (opposite in search) {
        const rest = (search[opposite] ?? []).filter((v) => v !== value);
        update[opposite] = rest.length > 0 ? rest : null;
      }
      void setSearch(update);
    },
    [api, search, setSearch],
  );

  return {
    query,
    tz: search.tz,
    pinned: search.since !== null,
    presetBeforeZoom: presetBeforeZoom ?? DEFAULT_RANGE,
    zoom,
    resetZoom,
    addFilter,
  };
}
