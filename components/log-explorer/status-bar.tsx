"use client";

import { formatCount, formatWindow } from "@/lib/format";
import { BudgetIndicator } from "./budget-indicator";
import { useExplorer, useIsClient } from "./explorer-context";

export interface StatusBarProps {
  loaded: number;
  hasMore: boolean;
  /** Entries matching in all: exact, or a lower bound. */
  matching: { total: number; exact: boolean };
  window: { since: string; before: string } | null;
}

/** How many rows are loaded out of how many match, and the exact window they come from. */
export function StatusBar({ loaded, hasMore, matching, window }: StatusBarProps) {
  const { zone, search } = useExplorer();
  const isClient = useIsClient();
  return (
    <footer className="flex h-8 shrink-0 items-center gap-3 border-t border-line bg-subtle px-4 text-xs text-muted">
      <span role="status" data-testid="row-count" className="tabular-nums">
        {formatCount(loaded)}
        {hasMore && ` of ${matching.exact ? "" : "at least "}${formatCount(matching.total)}`}{" "}
        {(hasMore ? matching.total : loaded) === 1 ? "row" : "rows"} loaded
        {hasMore ? " · more available" : loaded > 0 ? " · all loaded" : ""}
      </span>
      <BudgetIndicator />
      {window && (zone === "utc" || isClient) && (
        <span className="ml-auto truncate tabular-nums" title="The absolute window of these rows">
          {formatWindow(window.since, window.before, zone)} ·{" "}
          {search.query.direction === "asc" ? "oldest" : "newest"} first
        </span>
      )}
    </footer>
  );
}
