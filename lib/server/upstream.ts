import "server-only";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "cloudflare";
import type { AuditLog } from "@/lib/audit-log";
import { getFilter } from "@/lib/audit-log";
import { activeFilters, resolveTimeWindow, upstreamFilters, type LogQuery } from "@/lib/search-params";
import { badCursor, decodeCursor, encodeCursor } from "./cursor";
import { ATTEMPT_TIMEOUT_MS, getCloudflareClient, sandboxNow } from "./cloudflare";
import type { Config } from "./config";
import { InvalidUpstreamBody, parseV1Page, parseV2Page } from "./normalize";
import { checkProductCategories } from "./product-categories";
import { invalidQuery, ProblemError } from "./problem";
import { countUpstreamCall } from "./request-context";
import {
  ClientAbortError,
  logCause,
  notFound,
  safeUpstreamMessage,
  upstreamAuth,
  upstreamInvalid,
  upstreamRateLimited,
  upstreamRejected,
  upstreamTimeout,
  upstreamUnavailable,
} from "./upstream-errors";
import { refusedFilter } from "./upstream-refusal";
import { v1PageOutcome, type DataQuality } from "./v1-paging";

/** One page of normalized entries, as `/api/logs` returns it. */
export interface LogPage {
  data: AuditLog[];
  /** Opaque: the v2 cursor, or the next v1 page number; null after the last page. */
  nextCursor: string | null;
  meta: {
    api: "v2" | "v1";
    mode: "sandbox" | "cloudflare";
    since: string;
    before: string;
    /** Set when the upstream's own counts disagree with what it sent (v1 `total_count`). */
    dataQuality?: DataQuality;
    /** Set when the local archive answered instead of the API. */
    source?: "archive";
    /** The archive's last complete pass, when the window ends after it: later entries are not shown yet. */
    asOf?: string;
    /** Set when the window reaches past Cloudflare's retention: older entries are in the archive only. */
    retainedSince?: string;
    /** Sentences for the notice above the table (e.g. that the upstream needed retries for this page). */
    notices?: string[];
  };
}

export interface PageOptions {
  cursor?: string | null;
  limit: number;
  /** The caller's request signal: aborting it aborts the upstream call. */
  signal?: AbortSignal;
  /** The instant relative ranges are resolved against (default {@link requestNow}). */
  now?: Date;
  /** Bound on the whole call, retries and body included (default: `UPSTREAM_TIMEOUT_MS`, 15 s). */
  deadlineMs?: number;
}

/** The health probe's deadline; mutable so tests can shorten it. */
export const upstreamDefaults = { healthDeadlineMs: 3_000 };
/** At most this many retries (three attempts). */
export const MAX_RETRIES = 2;
/** Full-jitter backoff between attempts: random(0, min(cap, base · 2^attempt)). */
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 2_000;
/** A longer upstream Retry-After is not waited for: the caller gets 503 with that Retry-After. */
export const MAX_RETRY_AFTER_MS = 5_000;
/** Retry-After sent on a 429 that did not say how long to wait. */
const DEFAULT_RETRY_AFTER_S = 60;
/** A page of 1,000 entries is a few MB; anything far larger is not an audit-log page. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The clock a request runs on: the sandbox's own in sandbox mode (so relative ranges find its data,
 * new entries included, even when SANDBOX_NOW pins its start in the past), the real time otherwise.
 */
export function requestNow(config: Config): Date {
  return config.mode === "sandbox" ? sandboxNow(config) : new Date();
}

type QueryValue = string | number | string[];
export type UpstreamQuery = Record<string, QueryValue>;

/**
 * The v2 `logs/audit` query for a URL-model query: absolute since/before, direction, limit, cursor, and
 * each active filter as a repeated key (`action_type=…`) or its exclusion (`action_type.not=…`).
 */
export function buildV2Query(
  query: LogQuery,
  window: { since: Date; before: Date },
  page: { cursor?: string | null; limit: number },
): UpstreamQuery {
  const out: UpstreamQuery = {
    since: window.since.toISOString(),
    before: window.before.toISOString(),
    direction: query.direction,
    limit: page.limit,
  };
  if (page.cursor) out.cursor = page.cursor;
  // Literal dotted keys stay as they are in the SDK's serializer; arrays become repeated keys.
  for (const f of upstreamFilters(query)) out[f.key] = f.values;
  return out;
}

/** The v1 `audit_logs` query: dotted names, one value per filter, page/per_page paging. */
export function buildV1Query(
  query: LogQuery,
  window: { since: Date; before: Date },
  page: { page: number; perPage: number },
): UpstreamQuery {
  const out: UpstreamQuery = {
    since: window.since.toISOString(),
    before: window.before.toISOString(),
    direction: query.direction,
    page: page.page,
    per_page: page.perPage,
  };
  if (query.hide_user_logs) out.hide_user_logs = "true";
  for (const f of activeFilters(query)) {
    const v1 = getFilter(f.param)?.v1;
    // validateSearch refuses these already; a direct caller must not get a silently wider query.
    if (!v1 || f.negated || f.values.length > 1)
      throw new ProblemError(
        invalidQuery([{ parameter: f.key, message: "The v1 audit logs API does not support this filter." }]),
      );
    out[v1] = f.values[0];
  }
  return out;
}

function v1PageNumber(next: string | undefined): number {
  if (next === undefined) return 1;
  if (!/^[1-9]\d{0,6}$/.test(next)) throw badCursor();
  return Number(next);
}

/** Sends one upstream call: the gateway's (budget, breaker, transport), or the bare transport in tests. */
export type Send = <T>(call: UpstreamCall<T>) => Promise<T>;

/**
 * Fetch one page of the audit logs matching a query, normalized, with the cursor of the next page.
 * `send` makes the call: only the gateway passes one in production, so every call is counted.
 */
export async function fetchLogPage(
  config: Config,
  query: LogQuery,
  options: PageOptions,
  send: Send,
): Promise<LogPage> {
  // The API has no text search: dropping `q` would answer a wider query than was asked.
  if (query.q)
    throw new ProblemError(
      invalidQuery([
        { parameter: "q", message: "Text search is answered by the archive only (ARCHIVE=on)." },
      ]),
    );
  const now = options.now ?? requestNow(config);
  const resume = options.cursor ? decodeCursor(config, query, options.cursor, now) : null;
  const window = resume?.window ?? resolveTimeWindow(query, now);
  const meta = {
    api: config.api,
    mode: config.mode,
    since: window.since.toISOString(),
    before: window.before.toISOString(),
  };
  let retries = 0;
  const call = {
    signal: options.signal,
    deadlineMs: options.deadlineMs ?? config.upstreamTimeoutMs,
    onRetry: () => void retries++,
  };
  const account = encodeURIComponent(config.accountId);
  // Read once the calls are done: a page that needed retries says so, and keeps saying it while cached.
  const withNotices = <M extends LogPage["meta"]>(m: M): M =>
    retries > 0 ? { ...m, notices: [retriesNotice(retries)] } : m;

  if (config.api === "v2") {
    if (query.product_category?.length)
      await checkProductCategories(config, query.product_category, send, call);
    // The SDK's own pager reads `result_info.cursors.after`, which the API does not send: page ourselves.
    const page = await send({
      ...call,
      path: `/accounts/${account}/logs/audit`,
      query: buildV2Query(query, window, { cursor: resume?.next, limit: options.limit }),
      parse: parseV2Page,
    }).catch((error: unknown) => {
      const refused = refusedFilter(error, query);
      if (refused !== error) throw refused;
      // Every parameter but the opaque cursor is checked before the call, so a rejected query with a
      // cursor means a stale, foreign or edited cursor: the caller's mistake, not an upstream fault.
      if (resume && error instanceof ProblemError && error.init.slug === "upstream-rejected")
        throw new ProblemError(
          invalidQuery([
            { parameter: "cursor", message: "Not a cursor of this query: start again from the first page." },
          ]),
          { cause: error },
        );
      throw error;
    });
    return {
      data: page.data,
      nextCursor: page.cursor ? encodeCursor(config, query, page.cursor, window) : null,
      meta: withNotices(meta),
    };
  }

  const pageNo = v1PageNumber(resume?.next);
  const page = await send({
    ...call,
    path: `/accounts/${account}/audit_logs`,
    query: buildV1Query(query, window, { page: pageNo, perPage: options.limit }),
    parse: parseV1Page,
  }).catch((error: unknown) => {
    throw refusedFilter(error, query);
  });
  const { more, dataQuality } = v1PageOutcome(pageNo, options.limit, page.data.length, page.totalCount);
  if (dataQuality)
    console.warn(`v1 audit_logs page ${pageNo}: result_info.total_count disagrees. ${dataQuality.message}`);
  return {
    data: page.data,
    nextCursor: more ? encodeCursor(config, query, String(pageNo + 1), window) : null,
    meta: withNotices(dataQuality ? { ...meta, dataQuality } : meta),
  };
}

/** What the notice above the table says of a page the upstream sent only on a later attempt. */
export function retriesNotice(retries: number): string {
  return `Cloudflare's API needed ${retries === 1 ? "a retry" : `${retries} retries`} to send part of this view: every row arrived, but the API is struggling, so answers may be slow.`;
}

export interface UpstreamCall<T> {
  /** Path under the base URL, e.g. `/accounts/{id}/logs/audit`. */
  path: string;
  query: UpstreamQuery;
  /** Checks and converts the JSON body; throws {@link InvalidUpstreamBody} when it is unusable. */
  parse: (body: unknown) => T;
  signal?: AbortSignal;
  deadlineMs: number;
  /** Detail of the 404 problem when the resource may legitimately be missing (history). */
  notFoundDetail?: string;
  /** Told before each retry, so a page can say that the upstream needed them. */
  onRetry?: () => void;
}

type Failure =
  | { kind: "status"; status: number; headers: Headers; body: unknown; log: string }
  | { kind: "connection" | "timeout" | "invalid"; log: string };

export interface TransportHooks {
  /** Before each retry: a retry is an upstream call too, so it is paid for like the first. */
  beforeRetry?: () => Promise<void>;
  /** Every answer's status and headers, errors included (the upstream's rate-limit signals). */
  onHeaders?: (status: number, headers: Headers) => void;
}

/**
 * The transport: one upstream GET through the SDK (auth header, typed errors) with our own policy
 * around it: at most {@link MAX_RETRIES} retries on 408/429/5xx/connection errors with full-jitter
 * backoff, a Retry-After honoured only up to 5 s, the whole call (body included) bounded by
 * `deadlineMs`, the body read and checked here, and every failure mapped to a problem. Only the gateway
 * calls it, behind the budget and the circuit breaker.
 */
export function transportOnly(config: Config): Send {
  return (call) => attemptGet(config, call);
}

export async function attemptGet<T>(
  config: Config,
  call: UpstreamCall<T>,
  hooks: TransportHooks = {},
): Promise<T> {
  const client = getCloudflareClient(config);
  const deadline = AbortSignal.timeout(call.deadlineMs);
  const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
  const endAt = Date.now() + call.deadlineMs;
  const where = `GET ${call.path}`;
  const stopped = (error: unknown) => {
    if (call.signal?.aborted) return new ClientAbortError();
    return upstreamTimeout(
      logCause(`${where}: no complete answer within ${call.deadlineMs} ms (${String(error)})`, config.token),
    );
  };

  for (let attempt = 0; ; attempt++) {
    let failure: Failure;
    if (attempt > 0) {
      call.onRetry?.();
      await hooks.beforeRetry?.();
    }
    try {
      const remaining = Math.max(1, Math.ceil(endAt - Date.now()));
      countUpstreamCall();
      const request = client.get(call.path, {
        query: call.query,
        signal,
        maxRetries: 0,
        timeout: Math.min(ATTEMPT_TIMEOUT_MS, remaining),
      });
      // A transport that ignores the abort signal (a custom fetch) must not outlive the deadline either.
      const response = await untilAborted(request.asResponse(), signal);
      hooks.onHeaders?.(response.status, response.headers);
      const text = await readBody(response, signal);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new InvalidUpstreamBody(
          `body is not JSON (${response.headers.get("content-type") ?? "no content type"}, ${text.length} characters)`,
        );
      }
      return call.parse(json);
    } catch (error) {
      if (signal.aborted) throw stopped(error);
      failure = classify(error);
      if (failure.kind === "status") hooks.onHeaders?.(failure.status, failure.headers);
    }

    const retryAfterMs = failure.kind === "status" ? retryAfterOf(failure.headers) : null;
    const retryable =
      failure.kind === "connection" ||
      failure.kind === "timeout" ||
      (failure.kind === "status" &&
        (failure.status === 408 || failure.status === 429 || failure.status >= 500));
    const wait = retryAfterMs ?? Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
    const canWait =
      (retryAfterMs === null || retryAfterMs <= MAX_RETRY_AFTER_MS) && Date.now() + wait < endAt;
    if (!retryable || attempt >= MAX_RETRIES || !canWait)
      throw toProblem(failure, call, config.token, retryAfterMs);
    try {
      await sleep(wait, signal);
    } catch (error) {
      throw stopped(error);
    }
  }
}

function classify(error: unknown): Failure {
  if (error instanceof InvalidUpstreamBody) return { kind: "invalid", log: error.message };
  if (error instanceof APIConnectionTimeoutError) return { kind: "timeout", log: "attempt timed out" };
  if (error instanceof APIConnectionError) {
    const cause = (error as { cause?: unknown }).cause;
    return { kind: "connection", log: `connection failed: ${String(cause ?? error.message)}` };
  }
  if (error instanceof APIError && typeof error.status === "number" && error.headers) {
    const body: unknown = error.error;
    // A non-JSON error body (an HTML error page) is only in the SDK's message.
    const text = body === undefined ? error.message.replace(/^\d+\s*/, "") : bodyText(body);
    return {
      kind: "status",
      status: error.status,
      headers: error.headers,
      body,
      log: `${error.status} ${text}`,
    };
  }
  throw error;
}

function bodyText(body: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(body) ?? "";
  } catch {
    text = String(body);
  }
  return text.slice(0, 1000);
}

function toProblem(
  failure: Failure,
  call: UpstreamCall<unknown>,
  token: string | null,
  retryAfterMs: number | null,
) {
  const cause = logCause(`GET ${call.path} → ${failure.log}`, token);
  switch (failure.kind) {
    case "invalid":
      return upstreamInvalid(cause);
    case "timeout":
      return upstreamTimeout(cause);
    case "connection":
      return upstreamUnavailable(cause);
  }
  const seconds = retryAfterMs === null ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000));
  const { status } = failure;
  if (status === 401 || status === 403) return upstreamAuth(cause);
  if (status === 404 && call.notFoundDetail) return notFound(call.notFoundDetail, cause);
  if (status === 429) return upstreamRateLimited(seconds ?? DEFAULT_RETRY_AFTER_S, cause);
  if (status === 408) return upstreamTimeout(cause);
  if (status >= 500) return upstreamUnavailable(cause, seconds);
  return upstreamRejected(cause, safeUpstreamMessage(failure.body, Object.keys(call.query), token));
}

/** `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date; null when absent or garbage. */
export function retryAfterOf(headers: Headers, now = Date.now()): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms.trim());
  const value = headers.get("retry-after")?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Read a body to text, giving up as soon as `signal` aborts (the SDK's timeout stops at headers). */
async function readBody(response: Response, signal: AbortSignal): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const onAbort = () => void reader.cancel().catch(() => {});
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) throw error;
        throw new InvalidUpstreamBody(`body could not be read: ${String(error)}`);
      }
      if (signal.aborted) throw signal.reason;
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > MAX_BODY_BYTES) {
        void reader.cancel().catch(() => {});
        throw new InvalidUpstreamBody(`body larger than ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(chunk.value);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Settle with `promise`, or reject with the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
