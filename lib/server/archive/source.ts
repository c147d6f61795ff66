import "server-only";
import type { LogQuery } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import { fetchLogPage, type LogPage } from "@/lib/server/upstream";

export interface SourcePageOptions {
  cursor: string | null;
  limit: number;
  /** The sync's clock, which the upstream path checks windows and cursors against. */
  now: Date;
  signal?: AbortSignal;
}

/**
 * The archive's only way upstream: one page of entries. The sync is background work, so every call it
 * makes goes through here.
 */
export function fetchArchivePage(
  config: Config,
  query: LogQuery,
  options: SourcePageOptions,
): Promise<LogPage> {
  return fetchLogPage(config, query, options);
}

export type FetchArchivePage = typeof fetchArchivePage;
