/**
 * Query keys and options for the dashboard's data. The filters and time window form the key; the
 * cursor is the page parameter, never part of the key. The server page prefetches the first page with
 * these same options, so a shared link paints rows on first load.
 */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { AuditLog } from "./audit-log";
import { withAccount } from "./account-param";
import { serializeApi, type LogQuery } from "./search-params";

/** Rows per request: large enough to fill a screen several times, small enough to arrive quickly. */
export const PAGE_SIZE = 100;

/** One page of `GET /api/logs`. */
export interface LogPage {
  data: AuditLog[];
  nextCursor: string | null;
  meta: {
    api: "v2" | "v1";
    mode: "sandbox" | "cloudflare";
    since: string;
    before: string;
    /** The upstream's own counts disagree with what it sent (v1 `total_count`). */
    dataQuality?: { message: string; totalCount: number; expected: number; received: number };
    /**
     * Other sentences about this page's data that the view shows above the table, with
     * `dataQuality` (e.g. the upstream needed retries): one sentence each, without a leading label.
     */
    notices?: string[];
    /** The local archive answered instead of the API. */
    source?: "archive";
    /** The archive answered as of its last sync pass: later entries are not shown yet. */
    asOf?: string;
    /** Entries older than this are no longer kept by Cloudflare: the archive holds the only copy. */
    retainedSince?: string;
  };
}

/**
 * Where the next page starts. Later pages pin the absolute window of the first page, so a relative
 * range (`24h`) does not slide while the user scrolls.
 */
export type PageParam = { cursor: string; since: string; before: string } | null;

export type HistoryStatus = "exact" | "approximate" | "unavailable";

/** `GET /api/logs/{id}/history`. */
export interface HistoryPage {
  data: AuditLog[];
  nextCursor: string | null;
  historyStatus: HistoryStatus;
}

/** An `application/problem+json` answer of the dashboard's API. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: { parameter: string; message: string }[];
  /** Seconds to wait before retrying (rate limiting). */
  retryAfter?: number;
}

/** A failed API call, carrying the problem the server described. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = "ApiError";
    this.problem = problem;
  }
}

/** The problem behind any error a query may throw (network failures included). */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return {
    title: "Network error",
    status: 0,
    detail: error instanceof Error ? error.message : "The request failed.",
  };
}

async function readProblem(res: Response): Promise<ApiError> {
  let body: Partial<Problem> = {};
  try {
    body = (await res.json()) as Partial<Problem>;
  } catch {
    // Not JSON (a proxy's HTML error page, for instance): the status line is all there is.
  }
  const header = Number(res.headers.get("retry-after"));
  return new ApiError({
    type: body.type,
    title: typeof body.title === "string" ? body.title : res.statusText || `HTTP ${res.status}`,
    status: res.status,
    detail: typeof body.detail === "string" ? body.detail : "",
    errors: Array.isArray(body.errors) ? body.errors : undefined,
    retryAfter:
      typeof body.retryAfter === "number"
        ? body.retryAfter
        : Number.isFinite(header) && header > 0
          ? header
          : undefined,
  });
}

async function getJson<T extends { data: unknown }>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" } });
  if (!res.ok) throw await readProblem(res);
  const body = (await res.json()) as T;
  if (!body || !Array.isArray(body.data)) {
    throw new ApiError({
      title: "Unexpected response",
      status: 502,
      detail: "The server sent no list of entries.",
    });
  }
  return body;
}

/**
 * Whether an export would start now (`GET /api/logs/export/check`): resolves with the id the download
 * is to use (its manifest's id) when it would, throws the {@link ApiError} it would answer otherwise. A
 * browser download shows none of an error's text.
 */
export async function checkExport(url: string): Promise<{ exportId: string }> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw await readProblem(res);
  const body: unknown = await res.json();
  const exportId =
    typeof body === "object" && body !== null && "exportId" in body ? body.exportId : undefined;
  if (typeof exportId !== "string") throw new Error("The export check answered without an export id.");
  return { exportId };
}

/** The `/api/logs` URL of one page of a query. */
export function logsUrl(query: LogQuery, page: PageParam, limit: number = PAGE_SIZE): string {
  const pinned = page
    ? { ...query, range: null, since: page.since, before: page.before, cursor: page.cursor }
    : query;
  return `/api/logs${serializeApi({ ...pinned, limit })}`;
}

/** Query keys, from one factory. */
export const logKeys = {
  all: ["logs"] as const,
  list: (query: LogQuery) => ["logs", "list", query] as const,
  entry: (id: string, query: LogQuery) => ["logs", "entry", id, query] as const,
  history: (id: string, actionTime: string, days: number, account: string | null) =>
    ["logs", "history", id, actionTime, days, account] as const,
  productCategories: (account: string | null) => ["logs", "product-categories", account] as const,
};

/** The paged list of entries matching a query. */
export function logsQueryOptions(query: LogQuery) {
  return infiniteQueryOptions({
    queryKey: logKeys.list(query),
    queryFn: ({ pageParam, signal }) => getJson<LogPage>(logsUrl(query, pageParam), signal),
    initialPageParam: null as PageParam,
    getNextPageParam: (last: LogPage): PageParam | undefined =>
      last.nextCursor
        ? { cursor: last.nextCursor, since: last.meta.since, before: last.meta.before }
        : undefined,
    // Refetching an infinite list repeats every loaded page against a rate-limited upstream: refresh
    // is explicit instead.
    staleTime: Infinity,
  });
}

/**
 * One entry by id, for a `log=` link whose entry is not among the loaded rows: first within the
 * link's own filters and window, then anywhere in the last 90 days.
 */
export function logEntryQueryOptions(id: string, query: LogQuery) {
  return queryOptions({
    queryKey: logKeys.entry(id, query),
    queryFn: async ({ signal }): Promise<AuditLog | null> => {
      const scoped = { ...query, id: [id], "id.not": [] };
      const first = await getJson<LogPage>(logsUrl(scoped, null, 1), signal);
      if (first.data[0]) return first.data[0];
      const wide = await getJson<LogPage>(
        `/api/logs${serializeApi({ id: [id], range: "90d", limit: 1, account: query.account })}`,
        signal,
      );
      return wide.data[0] ?? null;
    },
    staleTime: Infinity,
  });
}

const DAY_MS = 86_400_000;
/** Lookup windows offered around an entry, in days either side; 548 is the 18-month retention. */
export const HISTORY_WINDOWS = [7, 30, 90, 180, 365, 548] as const;
export const DEFAULT_HISTORY_DAYS = 90;
/** Pages of 1,000 changes followed at most: a resource changed more often is summarised as cut short. */
const HISTORY_MAX_PAGES = 20;

/**
 * The change history of an entry's resource (v2) over `days` either side of it (up to now), every
 * page followed through its cursor. `truncated` says the page cap stopped the walk.
 */
export function historyQueryOptions(
  entry: Pick<AuditLog, "id" | "time">,
  days: number = DEFAULT_HISTORY_DAYS,
  account: string | null = null,
) {
  return queryOptions({
    queryKey: logKeys.history(entry.id, entry.time, days, account),
    queryFn: async ({ signal }): Promise<HistoryPage & { truncated: boolean }> => {
      const at = new Date(entry.time).getTime();
      const params = new URLSearchParams({
        action_time: entry.time,
        since: new Date(at - days * DAY_MS).toISOString(),
        before: new Date(Math.min(Date.now(), at + days * DAY_MS)).toISOString(),
        limit: "1000",
      });
      if (account) params.set("account", account);
      const data: AuditLog[] = [];
      let status: HistoryStatus | undefined;
      let cursor: string | null = null;
      for (let n = 0; n < HISTORY_MAX_PAGES; n++) {
        if (cursor) params.set("cursor", cursor);
        const body: HistoryPage = await getJson<HistoryPage>(
          `/api/logs/${encodeURIComponent(entry.id)}/history?${params}`,
          signal,
        );
        data.push(...body.data);
        status ??= body.historyStatus ?? (body as { history_status?: HistoryStatus }).history_status;
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      return { data, nextCursor: cursor, historyStatus: status ?? "exact", truncated: cursor !== null };
    },
    staleTime: 5 * 60_000,
  });
}

/** One `product_category` value with its label and the products it stands for. */
export interface ProductCategory {
  value: string;
  label: string;
  products: { value: string; label: string }[];
}

/** The account's product categories (v2): they change with Cloudflare's products, so hours fresh. */
export function productCategoriesQueryOptions(account: string | null = null) {
  return queryOptions({
    queryKey: logKeys.productCategories(account),
    queryFn: async ({ signal }) =>
      (
        await getJson<{ data: ProductCategory[] }>(
          withAccount("/api/logs/product-categories", account),
          signal,
        )
      ).data,
    staleTime: 6 * 3_600_000,
  });
}
