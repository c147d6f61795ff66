/**
 * The activity overview's query: `GET /api/logs/stats` for the filters and window of the URL model.
 * The key holds the normalized query (sorted keys and values, without `direction` and view parameters,
 * which do not change the counts) and the bucket count.
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { ApiError, type Problem } from "./queries";
import { DEFAULT_RANGE, pickQuery, serializeQuery, type LogQuery } from "./search-params";
import type { StatsResponse } from "./stats";

/** Bars the chart asks for: one per minute over an hour, per half hour over a day, per 3 h over a week. */
export const CHART_BUCKETS = 60;

/**
 * The query pinned to the table's window, once the table has one: the overview then counts exactly the
 * entries the table lists (a relative range resolved a moment later, or rounded to a bar, would not).
 */
export function pinnedToWindow(query: LogQuery, window: { since: string; before: string } | null): LogQuery {
  return window ? { ...query, range: DEFAULT_RANGE, since: window.since, before: window.before } : query;
}

/** The query string of a stats request: the query's own parameters, sorted, plus `buckets`. */
export function statsSearch(query: LogQuery, buckets: number): string {
  const params = new URLSearchParams(serializeQuery({ ...pickQuery(query), direction: null }));
  const pairs = [...params].sort(([ka, va], [kb, vb]) =>
    ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0,
  );
  pairs.push(["buckets", String(buckets)]);
  return new URLSearchParams(pairs).toString();
}

export const statsKeys = {
  all: ["stats"] as const,
  query: (query: LogQuery, buckets: number) => ["stats", statsSearch(query, buckets)] as const,
};

async function fetchStats(search: string, signal: AbortSignal): Promise<StatsResponse> {
  const res = await fetch(`/api/logs/stats?${search}`, { signal, headers: { accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({
      title: typeof body.title === "string" ? body.title : `HTTP ${res.status}`,
      status: res.status,
      detail: typeof body.detail === "string" ? body.detail : "",
      retryAfter: typeof body.retryAfter === "number" ? body.retryAfter : undefined,
    });
  }
  const body = (await res.json()) as Partial<StatsResponse> | null;
  if (!body || !Array.isArray(body.buckets) || !body.totals || !body.coverage || !body.top) {
    throw new ApiError({
      title: "Unexpected response",
      status: 502,
      detail: "The server sent no activity counts.",
    });
  }
  return body as StatsResponse;
}

/** Activity counts for a query; kept for as long as the server caches them. */
export function statsQueryOptions(query: LogQuery, buckets: number = CHART_BUCKETS) {
  const search = statsSearch(query, buckets);
  return queryOptions({
    queryKey: statsKeys.query(query, buckets),
    queryFn: ({ signal }) => fetchStats(search, signal),
    staleTime: 30_000,
    // The walk is expensive upstream: a failure is shown with a retry button, not retried blindly.
    retry: false,
    // Keep the previous chart on screen while the next window loads.
    placeholderData: keepPreviousData,
  });
}
