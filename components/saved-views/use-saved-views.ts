"use client";

import { useCallback, useMemo } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import {
  mergeViews,
  parseViewsFile,
  savedViewsKey,
  startingViews,
  toFile,
  type SavedView,
} from "@/lib/saved-views";
import { useStoredValue } from "@/lib/use-stored-value";

export interface SavedViews {
  views: SavedView[];
  /** Nothing stored yet: the list is the starting set, offered until the first change. */
  starting: boolean;
  /** The stored set could not be read (edited by hand, or written by another version). */
  unreadable: string | null;
  save: (view: SavedView) => void;
  rename: (from: string, to: string) => void;
  remove: (name: string) => void;
  add: (views: readonly SavedView[]) => void;
}

/** One account's saved views in this browser (localStorage), in step across tabs. */
export function useSavedViews(account: string, api: ApiVersion): SavedViews {
  const [stored, setStored] = useStoredValue(savedViewsKey(account));
  const { views, unreadable } = useMemo(() => {
    if (stored === null || stored === undefined) return { views: startingViews(api), unreadable: null };
    const parsed = parseViewsFile(stored);
    return parsed.ok ? { views: parsed.views, unreadable: null } : { views: [], unreadable: parsed.error };
  }, [stored, api]);

  const write = useCallback((next: SavedView[]) => setStored(JSON.stringify(toFile(next))), [setStored]);
  return {
    views,
    starting: stored === null,
    unreadable,
    save: (view) => write(mergeViews(views, [view])),
    // A name taken by another view replaces that view, as saving under it would.
    rename: (from, to) =>
      write(
        views
          .filter((v) => v.name !== to || v.name === from)
          .map((v) => (v.name === from ? { ...v, name: to } : v)),
      ),
    remove: (name) => write(views.filter((v) => v.name !== name)),
    add: (added) => write(mergeViews(views, added)),
  };
}
