/**
 * The server's upstream call budget, as signed-in `GET /api/health` reports it. Polled slowly: the
 * figure is for people deciding whether to start something large, not a live meter.
 */
import { queryOptions } from "@tanstack/react-query";
import { withAccount } from "./account-param";

/** The budget as health reports it; the server's budget module fills in this shape. */
export interface BudgetStatus {
  limit: number;
  windowSeconds: number;
  used: number;
  remaining: number;
  /** Calls waiting for room in the budget or the end of a pause: on every instance sharing the store (Redis), else on the answering one. */
  waiting: number;
  /** When an upstream rate limit pauses every call (ISO), or null. */
  throttledUntil: string | null;
  store: "memory" | "redis" | "local-fallback";
}

/** Entries per upstream call: an export and the activity overview ask for full pages. */
export const ENTRIES_PER_CALL = 1000;

async function fetchBudget(signal: AbortSignal, account: string | null): Promise<BudgetStatus | null> {
  const res = await fetch(withAccount("/api/health", account), {
    signal,
    headers: { accept: "application/json" },
  });
  const body = (await res.json().catch(() => null)) as { budget?: BudgetStatus } | null;
  const budget = body?.budget;
  return budget && typeof budget.limit === "number" && typeof budget.used === "number" ? budget : null;
}

/** The budget of the account read (each token has its own); null: the viewer's first account. */
export function budgetQueryOptions(account: string | null = null) {
  return queryOptions({
    queryKey: ["budget", account] as const,
    queryFn: ({ signal }) => fetchBudget(signal, account),
    staleTime: 30_000,
    refetchInterval: 60_000,
    retry: false,
  });
}

/** `5 min` or `30 s`: the budget's window as people say it. */
export function formatWindowSeconds(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
