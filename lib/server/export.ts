import "server-only";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { AuditLog, FieldId } from "@/lib/audit-log";
import { CSV_BOM, csvHeader, csvRows } from "@/lib/csv";
import {
  activeFilters,
  MAX_LIMIT,
  pickQuery,
  validateSearch,
  type LogQuery,
  type LogSearch,
  type ParamError,
} from "@/lib/search-params";
import { accountLabel } from "./accounts";
import { archiveFirstSource, archiveIsOn } from "./archive/logs";
import type { Viewer } from "./auth";
import type { Config } from "./config";
import { EXPORT_RETRY_AFTER_SECONDS, MAX_CONCURRENT_EXPORTS, tryAcquireExportSlot } from "./export-limits";
import { checkExportId, ManifestWriter, mintExportId } from "./export-manifest";
import { getValueStore } from "./manifest-store";
import { invalidQuery, problemResponse, ProblemError } from "./problem";
import { dataRoute } from "./route";
import { INTERACTIVE_WAIT_MS } from "./budget";
import { logPage, spender } from "./gateway";
import { getSharedState } from "./shared-state";
import { requestNow, type LogPage } from "./upstream";
import { clientClosedResponse } from "./upstream-errors";

export type ExportFormat = "csv" | "ndjson";

/** Rows per upstream call: the API's maximum, so an export spends as few of the shared budget's calls as possible. */
export const EXPORT_PAGE_SIZE = MAX_LIMIT;
/** Rows serialized together, and the size from which serialized rows are sent as one chunk. */
const SLICE_ROWS = 25;
const CHUNK_CHARS = 32_768;
/** Deadline of one upstream page call. */
export const EXPORT_PAGE_DEADLINE_MS = 30_000;
/**
 * Wall-clock cap of a whole export. A 1,000,000-row export is 1,000 calls; at Cloudflare's usual
 * 0.3–0.6 s per page that is 5–10 minutes, so the cap leaves room for a slow page or a slow reader.
 */
export const EXPORT_DEADLINE_MS = 15 * 60_000;
/**
 * A download nobody has read for this long is ended and its slot freed: a client that stalls (or a
 * response whose body is never read) would otherwise hold one of the few export slots until the
 * deadline.
 */
export const EXPORT_IDLE_MS = 60_000;

export interface PageRequest {
  cursor: string | null;
  limit: number;
  signal: AbortSignal;
  /** The same instant for every page, so a relative range stays one fixed window for the whole walk. */
  now: Date;
  deadlineMs: number;
}

/** Where pages come from: the upstream client in production, a fake in unit tests. */
export type PageSource = (query: LogQuery, request: PageRequest) => Promise<LogPage>;

export interface ExportRequest {
  config: Config;
  search: LogSearch & { format: ExportFormat };
  viewer: Viewer;
  requestId: string;
  /** The HTTP request's signal: a client that goes away stops the export. */
  signal?: AbortSignal;
  now?: Date;
  fetchPage?: PageSource;
  /**
   * Problems of the window that only the local archive can overlook (older than Cloudflare's
   * retention): raised when the archive does not answer.
   */
  refused?: ParamError[];
  /** Defaults to `config.exportMaxRows` (EXPORT_MAX_ROWS). */
  maxRows?: number;
  deadlineMs?: number;
  /** Defaults to {@link EXPORT_IDLE_MS}. */
  idleMs?: number;
  /**
   * Stop once the first page is in: the export would start (the input, the slots, the upstream and the
   * size all allow it). The page answers with the problem while it can still show it, before the
   * browser's download begins.
   */
  check?: boolean;
  /** The id the check handed out for this download (`export_id`); a fresh one is made without it. */
  exportId?: string | null;
}

/** Why an export stopped after its headers were sent; the stream errors with it, so the download fails. */
export class ExportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ExportError";
  }
}

type Outcome = "complete" | "failed" | "cancelled" | "timeout" | "idle" | "checked";

interface Format {
  contentType: string;
  ext: string;
  /** What precedes the first row: the BOM and header for CSV. */
  prelude: (columns: readonly FieldId[]) => string;
  rows: (logs: readonly AuditLog[], columns: readonly FieldId[]) => string;
}

const FORMATS: Record<ExportFormat, Format> = {
  csv: {
    contentType: "text/csv; charset=utf-8",
    ext: "csv",
    prelude: (columns) => CSV_BOM + csvHeader(columns),
    rows: csvRows,
  },
  ndjson: {
    contentType: "application/x-ndjson",
    ext: "ndjson",
    prelude: () => "",
    rows: ndjsonRows,
  },
};

/**
 * One normalized entry per line, `raw` included, so nothing the upstream sent is lost. NDJSON is for
 * machines, so it ignores `columns` (a view setting) and always carries the whole entry.
 */
export function ndjsonRows(logs: readonly AuditLog[]): string {
  let out = "";
  for (const log of logs) out += JSON.stringify(log) + "\n";
  return out;
}

/**
 * `cf-audit-<account or sandbox>-<since>-<before>.<ext>`, from server-side values only and restricted
 * to `[A-Za-z0-9._-]`, so nothing a caller sends can reach the header.
 */
export function exportFilename(
  config: Parameters<typeof accountLabel>[0],
  meta: LogPage["meta"],
  ext: string,
): string {
  const stamp = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime())
      ? "unknown"
      : date
          .toISOString()
          .replace(/\.\d+Z$/, "Z")
          .replace(/[-:]/g, "");
  };
  const account = accountLabel(config);
  return `cf-audit-${account}-${stamp(meta.since)}-${stamp(meta.before)}.${ext}`.replace(
    /[^A-Za-z0-9._-]/g,
    "_",
  );
}

/**
 * One export's lifecycle: the upstream abort controller, the counters, the concurrency slot, the
 * deadline and the two log lines. Whatever ends the export first (completion, failure, the client,
 * the deadline) ends it once.
 */
class ExportRun {
  readonly upstream = new AbortController();
  controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  ended = false;
  rows = 0;
  pages = 0;
  /** Hashes what is sent and writes the manifest when the export ends (not for a check). */
  manifest: ManifestWriter | null = null;
  /** Settles once the manifest is stored, so the body ends only after its manifest can be read. */
  written: Promise<void> = Promise.resolve();
  /** Time spent waiting for the upstream budget, and how often (reported in the end log line). */
  budgetWaitMs = 0;
  budgetWaits = 0;
  private readonly started = Date.now();
  private readonly deadline: ReturnType<typeof setTimeout>;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private readonly onClientAbort = () => this.stop("cancelled", new ExportError("The client went away."));

  constructor(
    private readonly req: ExportRequest,
    private readonly release: () => void,
  ) {
    const deadlineMs = req.deadlineMs ?? EXPORT_DEADLINE_MS;
    const timeout = new ExportError(
      `The export exceeded its time limit of ${Math.round(deadlineMs / 1000)} s.`,
    );
    this.deadline = setTimeout(() => this.stop("timeout", timeout), deadlineMs);
    this.deadline.unref?.();
    req.signal?.addEventListener("abort", this.onClientAbort, { once: true });
  }

  /** The budget made the next page wait: say so once per pause, so operators see a slow export's cause. */
  waited(ms: number) {
    this.budgetWaits++;
    this.budgetWaitMs += ms;
    this.manifest?.paused(ms);
    if (this.budgetWaits === 1 || ms >= 5_000)
      this.log("paused", { reason: "upstream budget", rows: this.rows, waitMs: Math.round(ms) });
  }

  log(event: "start" | "end" | "paused", fields: Record<string, unknown>) {
    const line = JSON.stringify({ viewer: this.req.viewer.id, ...fields });
    console.info(`[${this.req.requestId}] export ${event} ${line}`);
  }

  /** Release everything and log the outcome; false when the export had already ended. */
  finish(outcome: Outcome, error?: unknown): boolean {
    if (this.ended) return false;
    this.ended = true;
    clearTimeout(this.deadline);
    clearTimeout(this.idle);
    this.req.signal?.removeEventListener("abort", this.onClientAbort);
    this.upstream.abort();
    this.release();
    if (this.manifest && outcome !== "checked") this.written = this.manifest.finish(outcome);
    const message = error === undefined ? undefined : messageOf(error);
    this.log("end", {
      outcome,
      rows: this.rows,
      pages: this.pages,
      ms: Date.now() - this.started,
      budgetWaitMs: this.budgetWaitMs ? Math.round(this.budgetWaitMs) : undefined,
      error: message,
      // The upstream detail for operators (already scrubbed of credentials by the upstream client).
      cause: rootCause(error),
    });
    return true;
  }

  /** The body has stopped being read: end the export unless the reader asks again in time. */
  awaitReader() {
    if (this.ended) return;
    clearTimeout(this.idle);
    const idleMs = this.req.idleMs ?? EXPORT_IDLE_MS;
    const stalled = new ExportError(`Nobody read the export for ${Math.round(idleMs / 1000)} s.`);
    this.idle = setTimeout(() => this.stop("idle", stalled), idleMs);
    this.idle.unref?.();
  }

  /** The reader asked for more. */
  readerAsked() {
    clearTimeout(this.idle);
    this.idle = undefined;
  }

  /** End from outside `pull()`: the call in flight is aborted and the body's reader sees the error. */
  stop(outcome: Outcome, error: Error) {
    if (!this.finish(outcome, error)) return;
    try {
      this.controller?.error(error);
    } catch {
      // The stream had already closed.
    }
  }
}

/**
 * Export every entry matching a search as CSV or NDJSON, streamed as the reader reads it.
 *
 * The first page is fetched before the response exists, so an immediate upstream failure is a proper
 * problem+json status. Later failures, the row cap, the page cap and the deadline error the stream, so
 * a cut-short download fails visibly instead of looking complete. A client that goes away (stream
 * cancel or request abort) aborts the in-flight call and stops paging.
 */
export async function exportLogs(req: ExportRequest): Promise<Response> {
  const { config, search } = req;
  const maxRows = req.maxRows ?? config.exportMaxRows;
  const query = pickQuery(search);
  const store = getValueStore(config);
  if (req.exportId) await checkExportId(store, req.viewer, req.exportId);

  const deadlineMs = req.deadlineMs ?? EXPORT_DEADLINE_MS;
  const slot = await tryAcquireExportSlot(
    getSharedState(config),
    req.viewer.method === "none" ? null : req.viewer.id,
    deadlineMs + 60_000,
  );
  if (!slot.ok) {
    throw new ProblemError({
      status: 429,
      slug: "too-many-exports",
      title: "Too many exports",
      detail:
        slot.reason === "viewer-busy"
          ? "Your previous export is still running: let it finish or cancel it first."
          : `The dashboard runs at most ${MAX_CONCURRENT_EXPORTS} exports at a time to stay within Cloudflare's API budget.`,
      retryAfter: EXPORT_RETRY_AFTER_SECONDS,
    });
  }
  const run = new ExportRun(req, slot.release);
  run.log("start", {
    format: search.format,
    api: config.api,
    range: query.since ? undefined : query.range,
    since: query.since ?? undefined,
    before: query.before ?? undefined,
    direction: query.direction,
    filters: Object.fromEntries(activeFilters(query).map(({ key, values }) => [key, values])),
    columns: search.format === "csv" ? search.columns : undefined,
    maxRows,
  });

  const now = req.now ?? new Date();
  // Exports are background work: they wait for the budget (the download stays open and runs slower)
  // and never take the calls kept for people. The first page goes through the cache, so the check's
  // first page is the export's first page, not a second call.
  const ctx = {
    ...spender("export", req.viewer),
    onWait: (ms: number) => run.waited(ms),
    // A check has a person waiting in the export menu: it waits for the budget no longer than they would.
    ...(req.check ? { maxWaitMs: INTERACTIVE_WAIT_MS } : {}),
  };
  // The archive answers when it holds the whole window, with no upstream call.
  const fetchPage: PageSource =
    req.fetchPage ??
    archiveFirstSource(
      config,
      (q, page) => logPage(config, q, { ...page, cache: page.cursor === null }, ctx),
      req.refused,
    );
  const nextPage = (cursor: string | null) => {
    run.pages++;
    return fetchPage(query, {
      cursor,
      limit: EXPORT_PAGE_SIZE,
      signal: run.upstream.signal,
      now,
      deadlineMs: EXPORT_PAGE_DEADLINE_MS,
    });
  };

  let first: LogPage;
  try {
    if (req.signal?.aborted) throw new ExportError("The client went away.");
    first = await nextPage(null);
    if (first.data.length > maxRows) throw new ProblemError(tooLarge(maxRows));
  } catch (error) {
    const gone = req.signal?.aborted === true;
    run.finish(gone ? "cancelled" : "failed", error);
    if (gone) return clientClosedResponse();
    throw error;
  }

  const format = FORMATS[search.format];
  const filename = exportFilename(config, first.meta, format.ext);
  const { since, before } = first.meta;
  if (req.check) {
    run.finish("checked");
    const exportId = await mintExportId(store, req.viewer);
    return Response.json({ filename, since, before, exportId }, { headers: { "cache-control": "no-store" } });
  }
  try {
    run.manifest = await ManifestWriter.open(store, req.exportId ?? null, {
      config,
      viewer: req.viewer,
      query,
      window: { since, before },
      format: search.format,
      columns: search.columns,
      deadlineMs: req.deadlineMs ?? EXPORT_DEADLINE_MS,
    });
  } catch (error) {
    run.finish("failed", error);
    throw error;
  }
  return new Response(pageStream(run, first, nextPage, format, search.columns, maxRows), {
    status: 200,
    headers: {
      "content-type": format.contentType,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-export-id": run.manifest.id,
    },
  });
}

/**
 * The handler of `GET /api/logs/export` (the file) and, with `check`, of `GET /api/logs/export/check`
 * (whether that file would start now): the URL model plus `format` and `columns`.
 */
export function exportRoute({ check = false } = {}) {
  return dataRoute(async ({ request, requestId, config, viewer }) => {
    const now = requestNow(config);
    const params = new URL(request.url).searchParams;
    const options = { api: config.api, now, accept: ["format", "export_id"] } as const;
    // With the archive on, a window older than Cloudflare's retention may still be exported from it.
    const beyondRetention = archiveIsOn();
    const search = validateSearch(params, { ...options, beyondRetention });
    if (!search.ok) return problemResponse(invalidQuery(search.errors), requestId);
    const strict = beyondRetention ? validateSearch(params, options) : null;
    return exportLogs({
      config,
      search: search.value,
      viewer,
      requestId,
      signal: request.signal,
      now,
      check,
      exportId: search.value.export_id,
      refused: strict && !strict.ok ? strict.errors : [],
    });
  });
}

function tooLarge(maxRows: number) {
  return {
    status: 422,
    slug: "export-too-large",
    title: "Export too large",
    detail: `More than ${maxRows} entries match (EXPORT_MAX_ROWS); narrow the time range or the filters.`,
  } as const;
}

/**
 * The body: the first page already in hand, then the next pages, a chunk per `pull()` while the reader
 * keeps up. The call for the next page starts as soon as its cursor is known and is on the wire before
 * this page is serialized, so the upstream's work overlaps ours and the client's reading; nothing runs
 * further ahead, so a reader that stops stops the serializing and the paging (backpressure).
 */
function pageStream(
  run: ExportRun,
  first: LogPage,
  nextPage: (cursor: string) => Promise<LogPage>,
  format: Format,
  columns: readonly FieldId[],
  maxRows: number,
): ReadableStream<Uint8Array> {
  // An upstream that keeps paging (even with empty pages) is stopped, never followed forever.
  const maxPages = Math.ceil(maxRows / EXPORT_PAGE_SIZE) + 1;
  const encoder = new TextEncoder();
  let current: LogPage | null = first;
  // The next page's call, or null when the last page has been seen.
  let ahead: Promise<LogPage> | null = null;
  let text = format.prelude(columns);
  // Rows in `text`, not sent yet: a manifest counts only the rows of what was sent.
  let textRows = 0;
  // Every byte of the body passes here, so the manifest hashes exactly what the client receives.
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, chunk: string) => {
    const bytes = encoder.encode(chunk);
    run.manifest?.add(bytes, textRows);
    run.manifest?.progress();
    textRows = 0;
    controller.enqueue(bytes);
  };

  const requestNext = (cursor: string | null) => {
    if (cursor === null) {
      ahead = null;
      return;
    }
    ahead =
      run.pages >= maxPages
        ? Promise.reject(
            new ExportError(
              `The upstream was still paging after ${run.pages} calls; the export stopped (EXPORT_MAX_ROWS is ${maxRows}).`,
            ),
          )
        : nextPage(cursor);
    // Awaited by the next pull; if the export ends first, its failure is of no interest.
    ahead.catch(() => {});
  };

  // The page being serialized and the next row of it to write, or null between pages.
  let page: LogPage | null = null;
  let offset = 0;

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        run.controller = controller;
        run.awaitReader();
      },
      async pull(controller) {
        run.readerAsked();
        try {
          while (!run.ended) {
            if (!page) {
              const next = current ?? (ahead ? await ahead : null);
              current = null;
              if (run.ended) return;
              if (!next) {
                if (text) send(controller, text);
                run.finish("complete");
                await run.written;
                controller.close();
                return;
              }
              if (next.data.length > maxRows - run.rows) throw new ExportError(tooLarge(maxRows).detail);
              requestNext(next.nextCursor);
              // Let the next call leave before this page is serialized: the request is only written to
              // the socket once this task yields, and serializing first would make the walk sequential.
              await yieldToEventLoop();
              if (run.ended) return;
              // An empty page enqueues nothing, and a pull that enqueues nothing is never called again.
              if (next.data.length === 0) continue;
              page = next;
              offset = 0;
            }
            // A slice at a time, in chunks of about CHUNK_CHARS, and only while the reader wants more:
            // however large one page is, at most a chunk waits in memory for a reader that has stopped.
            // (Small strings and buffers die young, where one per page would sit in the large-object
            // space until a full collection: a larger peak RSS.)
            while (page) {
              const slice = page.data.slice(offset, offset + SLICE_ROWS);
              text += format.rows(slice, columns);
              textRows += slice.length;
              offset += SLICE_ROWS;
              if (offset >= page.data.length) {
                run.rows += page.data.length;
                page = null;
              }
              if (text.length >= CHUNK_CHARS || !page) {
                send(controller, text);
                text = "";
                if ((controller.desiredSize ?? 0) <= 0) return;
              }
            }
          }
        } catch (error) {
          if (run.ended) return;
          const reason =
            error instanceof ExportError
              ? error
              : new ExportError(`The export failed after ${run.rows} entries: ${messageOf(error)}`, {
                  cause: error,
                });
          run.finish("failed", reason);
          await run.written;
          controller.error(reason);
        } finally {
          // Returning with the export still running means the reader has what it asked for.
          run.awaitReader();
        }
      },
      cancel() {
        run.finish("cancelled");
      },
    },
    // Pull only when the client asks: the call already running ahead is all the read-ahead there is.
    { highWaterMark: 0 },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The message of the innermost `cause` of an error, when it has one. */
function rootCause(error: unknown): string | undefined {
  let cause: unknown = error instanceof Error ? error.cause : undefined;
  if (cause === undefined) return undefined;
  for (let depth = 0; depth < 5 && cause instanceof Error && cause.cause !== undefined; depth++)
    cause = cause.cause;
  return messageOf(cause);
}
