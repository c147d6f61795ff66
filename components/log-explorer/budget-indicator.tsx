"use client";

import { useQuery } from "@tanstack/react-query";
import { budgetQueryOptions, formatWindowSeconds } from "@/lib/budget-query";
import { formatCount } from "@/lib/format";
import { useAccountParam } from "@/lib/use-account-param";

/**
 * The Cloudflare API calls this dashboard has spent of its budget, shown in the status bar: a reminder
 * that the token's limit is shared, and the reason when requests are paced or refused.
 */
export function BudgetIndicator() {
  const { data: budget } = useQuery(budgetQueryOptions(useAccountParam()));
  if (!budget) return null;
  // Set only while the pause lasted at the time of the answer.
  const throttled = budget.throttledUntil !== null;
  const low = budget.remaining < budget.limit * 0.1;
  const store =
    budget.store === "local-fallback"
      ? " Redis is unreachable: this instance runs on a smaller local share."
      : budget.store === "redis"
        ? " Shared by every instance through Redis."
        : "";
  const title =
    `Calls to the Cloudflare API in the last ${formatWindowSeconds(budget.windowSeconds)}, of the ` +
    `${formatCount(budget.limit)} this dashboard may spend (UPSTREAM_BUDGET).${store}`;
  return (
    <span
      data-testid="budget"
      title={title}
      className={`tabular-nums ${throttled || low || budget.store === "local-fallback" ? "text-warning" : ""}`}
    >
      {throttled
        ? "API calls paused by Cloudflare's rate limit"
        : `API budget ${formatCount(budget.used)}/${formatCount(budget.limit)} per ${formatWindowSeconds(budget.windowSeconds)}`}
    </span>
  );
}
