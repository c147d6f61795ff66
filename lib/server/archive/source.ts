import "server-only";
import type { LogQuery } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import { logPage } from "@/lib/server/gateway";
import type { LogPage } from "@/lib/server/upstream";

export interface SourcePageOptions {
  cursor: string | null;
  limit: number;
  /** The sync's clock, which the upstream path checks windows and cursors against. */
  now: Date;
  signal?: AbortSignal;
}

/**
 * The archive's only way upstream: one page of entries. The sync is background work, so every call it
 * makes goes through here, and through the gateway at the lowest priority: it waits for the budget
 * and never takes the calls kept for people. Its pages are read once, so they are not cached.
 */
export function fetchArchivePage(
  config: Config,
  query: LogQuery,
  options: SourcePageOptions,
): Promise<LogPage> {
  return logPage(config, query, { ...options, cache: false }, { priority: "export", viewer: null });
}

export type FetchArchivePage = typeof fetchArchivePage;
