"use client";

import { useQuery } from "@tanstack/react-query";
import { budgetQueryOptions, ENTRIES_PER_CALL, formatWindowSeconds } from "@/lib/budget-query";
import { formatCount } from "@/lib/format";
import { useAccountParam } from "@/lib/use-account-param";
import type { LogQuery } from "@/lib/search-params";
import { useOverviewStats } from "./use-overview-stats";

/**
 * Roughly how many Cloudflare API calls an export will take (one per 1,000 entries), from the activity
 * overview's count when it has one, and how that compares with the dashboard's budget: a large export
 * shares the token's limit with everyone, so it runs at the pace the budget allows.
 */
export function ExportCost({ query }: { query: LogQuery }) {
  // Only what the overview already fetched: the menu never starts a walk of its own.
  const stats = useOverviewStats(query);
  const { data: budget } = useQuery(budgetQueryOptions(useAccountParam()));
  if (!stats) return null;
  const entries = stats.totals.entries;
  const calls = Math.max(1, Math.ceil(entries / ENTRIES_PER_CALL));
  const exact = stats.coverage.complete;
  // Exports may use half of each of the window's ten slices of an eleventh of the budget: the rest stays
  // for people and the overview.
  const perWindow = budget ? Math.max(1, 10 * Math.floor(Math.floor(budget.limit / 11) / 2)) : null;
  const windows = perWindow ? Math.ceil(calls / perWindow) : 0;
  return (
    <p className="text-xs text-muted" data-testid="export-cost">
      {exact ? "About" : "At least"} {formatCount(calls)} Cloudflare API {calls === 1 ? "call" : "calls"} (
      {exact ? "" : "over "}
      {formatCount(entries)} entries, one call per {formatCount(ENTRIES_PER_CALL)})
      {budget && perWindow && windows > 1
        ? `: exports may spend about ${formatCount(perWindow)} per ${formatWindowSeconds(budget.windowSeconds)}, so this one takes at least ${formatWindowSeconds(budget.windowSeconds * (windows - 1))}.`
        : "."}
    </p>
  );
}
