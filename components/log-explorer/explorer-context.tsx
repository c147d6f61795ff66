"use client";

import { createContext, useContext, useSyncExternalStore } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import type { DisplayZone } from "@/lib/format";
import type { LogSearchState } from "./use-log-search";

export interface ExplorerContextValue {
  api: ApiVersion;
  zone: DisplayZone;
  search: LogSearchState;
  /** Open an entry in the detail view. */
  openEntry: (id: string) => void;
  /** The page URL that opens an entry (for links that also work in a new tab). */
  entryHref: (id: string) => string;
  /**
   * Entries older than this instant are no longer kept by Cloudflare and come from the local archive
   * only; null when the view does not reach that far back.
   */
  retainedSince: string | null;
}

/** Whether an entry is older than Cloudflare's retention, so only the local archive still holds it. */
export function isArchivedOnly(time: string, retainedSince: string | null): boolean {
  return retainedSince !== null && Date.parse(time) < Date.parse(retainedSince);
}

export const ExplorerContext = createContext<ExplorerContextValue | null>(null);

/** The explorer's shared state: URL model, API version, display zone. */
export function useExplorer(): ExplorerContextValue {
  const value = useContext(ExplorerContext);
  if (!value) throw new Error("useExplorer must be used inside <LogExplorer>");
  return value;
}

const noop = () => () => {};

/**
 * False during server rendering and hydration, true afterwards: local-time text is only known in the
 * browser, so it is rendered after hydration rather than mismatching the server's HTML.
 */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
