"use client";

import { useCallback, useState } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import { DEFAULT_RANGE } from "@/lib/search-params";
import { useLogSearch } from "@/components/log-explorer/use-log-search";

/**
 * The overview's view of the page URL and the edits it makes, through the page's one URL writer:
 * pinning the window to a zoomed range (remembering the preset it replaced), resetting it, and adding
 * a filter value. Zooms and filters push a history entry: they are steps the user may go back from.
 */
export function useActivityUrl(api: ApiVersion) {
  const { search, query, setWindow, setRange, addFilter } = useLogSearch(api);
  // The preset that was active before the first zoom, for "Reset zoom".
  const [presetBeforeZoom, setPresetBeforeZoom] = useState<string | null>(null);

  const zoom = useCallback(
    (since: string, before: string) => {
      if (!search.since) setPresetBeforeZoom(search.range);
      setWindow(since, before);
    },
    [search.since, search.range, setWindow],
  );

  const resetZoom = useCallback(() => {
    setRange(presetBeforeZoom ?? DEFAULT_RANGE);
    setPresetBeforeZoom(null);
  }, [presetBeforeZoom, setRange]);

  return {
    query,
    tz: search.tz,
    pinned: search.since !== null,
    presetBeforeZoom: presetBeforeZoom ?? DEFAULT_RANGE,
    zoom,
    resetZoom,
    addFilter: useCallback(
      (param: string, value: string, exclude: boolean) => addFilter(param, exclude, value),
      [addFilter],
    ),
  };
}
