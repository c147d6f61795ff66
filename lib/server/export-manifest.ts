import "server-only";
import { createHash, randomUUID, type Hash } from "node:crypto";
import packageJson from "@/package.json";
import type { FieldId } from "@/lib/audit-log";
import { canonicalFilters, type LogQuery } from "@/lib/search-params";
import type { Viewer } from "./auth";
import { accountLabel } from "./accounts";
import type { Config } from "./config";
import type { ValueStore } from "./manifest-store";
import { ProblemError } from "./problem";

/** How long a manifest can be fetched after its export ended. */
export const MANIFEST_TTL_MS = 24 * 60 * 60_000;
/** How long an id handed out by the export check waits for its download. */
export const EXPORT_ID_TTL_MS = 10 * 60_000;

/** Export ids are random UUIDs (122 random bits), so one viewer cannot guess another's. */
const EXPORT_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const isExportId = (value: string) => EXPORT_ID_RE.test(value);

const reservationKey = (id: string) => `export-id:${id}`;
const manifestKey = (id: string) => `export-manifest:${id}`;

/** How an export ended: in full, or cut short (an upstream fault, the client, the time limit, no reader). */
export type ExportOutcome = "complete" | "failed" | "cancelled" | "timeout" | "idle";

/** What a recipient checks a file against; `lines` is what `wc -l` counts (LF bytes). */
export interface ExportManifest {
  id: string;
  account: string;
  api: Config["api"];
  /** The URL model as asked, in canonical order: the window as given, direction, sorted filters. */
  query: string;
  /** The absolute window the export walked, pinned when it started. */
  window: { since: string; before: string };
  format: "csv" | "ndjson";
  /** CSV's columns; null for NDJSON, which carries whole entries. */
  columns: FieldId[] | null;
  /** Entries in the file (CSV: records after the header). */
  rows: number;
  lines: number;
  bytes: number;
  sha256: string;
  startedAt: string;
  finishedAt: string;
  complete: boolean;
  /** Why an incomplete export stopped; null when complete. */
  stoppedBy: Exclude<ExportOutcome, "complete"> | null;
  version: string;
  viewer: string;
}

/** What the store holds under an id: a running export (no manifest yet), or its manifest. */
type Stored =
  | {
      state: "running";
      viewer: string;
      /** The account exported (absent in marks written before accounts were recorded). */
      account?: string;
      startedAt: string;
      /** Rows sent so far, and until when the export waits for the API budget (progress, see below). */
      rows?: number;
      pausedUntil?: string | null;
    }
  | { state: "done"; manifest: ExportManifest };

/** How often a running export's progress is written to the store at most. */
const PROGRESS_EVERY_MS = 1_000;

/** `range=24h&direction=desc&action_type=update…`: equal queries give equal strings. */
export function canonicalQueryString(query: LogQuery): string {
  const params = new URLSearchParams();
  if (query.since) {
    params.set("since", query.since);
    if (query.before) params.set("before", query.before);
  } else params.set("range", query.range);
  params.set("direction", query.direction);
  for (const [key, values] of canonicalFilters(query)) for (const v of values) params.append(key, v);
  return params.toString();
}

function badExportId(detail: string): ProblemError {
  return new ProblemError({
    status: 400,
    slug: "invalid-query",
    title: "Invalid query parameters",
    detail: `1 parameter is invalid: export_id.`,
    errors: [{ parameter: "export_id", message: detail }],
  });
}

/** A fresh id for a download the check just approved, bound to the viewer who asked. */
export async function mintExportId(store: ValueStore, viewer: Viewer): Promise<string> {
  const id = randomUUID();
  await store.set(reservationKey(id), viewer.id, EXPORT_ID_TTL_MS);
  return id;
}

/**
 * Refuse, before any upstream call, an `export_id` that this viewer was not handed (unknown, expired,
 * or another viewer's): nobody can write a manifest under an id they did not get.
 */
export async function checkExportId(store: ValueStore, viewer: Viewer, id: string): Promise<void> {
  if ((await store.get(reservationKey(id))) !== viewer.id)
    throw badExportId("Unknown or expired export id: ask /api/logs/export/check for a new one.");
}

export interface ManifestStart {
  config: Config;
  viewer: Viewer;
  query: LogQuery;
  window: { since: string; before: string };
  format: "csv" | "ndjson";
  columns: readonly FieldId[];
  /** How long the export may run: the "running" mark outlives it only briefly if the process dies. */
  deadlineMs: number;
}

/**
 * Counts and hashes the bytes of one export as they are sent, and writes its manifest once, when the
 * export has ended. Until then the id is marked running, so no manifest ever describes a file that
 * was still being written.
 */
export class ManifestWriter {
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;
  private lines = 0;
  private rows = 0;
  private readonly startedAt = new Date().toISOString();
  private written: Promise<void> | null = null;
  private progressAt = 0;
  private pausedUntil: string | null = null;

  private constructor(
    readonly id: string,
    private readonly store: ValueStore,
    private readonly start: ManifestStart,
  ) {}

  /**
   * Take the id for this export: the one the check handed out (used once), or a fresh one for a caller
   * that did not ask first.
   */
  static async open(store: ValueStore, requested: string | null, start: ManifestStart) {
    const id = requested ?? randomUUID();
    const writer = new ManifestWriter(id, store, start);
    const mark: Stored = {
      state: "running",
      viewer: start.viewer.id,
      account: accountLabel(start.config),
      startedAt: writer.startedAt,
    };
    if (!(await store.claim(manifestKey(id), JSON.stringify(mark), start.deadlineMs + 60_000)))
      throw badExportId("This export id was already used: ask /api/logs/export/check for a new one.");
    if (requested) await store.delete(reservationKey(requested));
    return writer;
  }

  /** Bytes exactly as the body sends them (before any HTTP content-encoding), and the rows they hold. */
  add(chunk: Uint8Array, rows: number) {
    this.rows += rows;
    this.hash.update(chunk);
    this.bytes += chunk.byteLength;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
  }

  /**
   * The export waits for the API budget for `ms`: said at once, so the export menu can show the pause.
   */
  paused(ms: number) {
    this.pausedUntil = new Date(Date.now() + ms).toISOString();
    this.progressAt = 0;
    this.progress();
  }

  /**
   * Write the rows sent so far into the running mark, at most once a second (and at once after a
   * pause), for the export menu's status; never throws, never delays the download.
   */
  progress() {
    const now = Date.now();
    if (this.written || now - this.progressAt < PROGRESS_EVERY_MS) return;
    this.progressAt = now;
    if (this.pausedUntil && Date.parse(this.pausedUntil) <= now) this.pausedUntil = null;
    const mark: Stored = {
      state: "running",
      viewer: this.start.viewer.id,
      account: accountLabel(this.start.config),
      startedAt: this.startedAt,
      rows: this.rows,
      pausedUntil: this.pausedUntil,
    };
    // The manifest may have been written meanwhile: a late progress write must not replace it.
    void this.store
      .set(manifestKey(this.id), JSON.stringify(mark), this.start.deadlineMs + 60_000)
      .then(async () => {
        if (this.written) await this.written.then(() => this.rewrite());
      })
      .catch((error: unknown) => console.warn(`export ${this.id}: progress not stored: ${String(error)}`));
  }

  private stored: Stored | null = null;

  private async rewrite() {
    if (this.stored) await this.store.set(manifestKey(this.id), JSON.stringify(this.stored), MANIFEST_TTL_MS);
  }

  /** Write the manifest (once); never throws: a store failure is logged, the export's outcome stands. */
  finish(outcome: ExportOutcome): Promise<void> {
    this.written ??= this.write(outcome);
    return this.written;
  }

  private async write(outcome: ExportOutcome) {
    const { config, viewer, query, window, format, columns } = this.start;
    const manifest: ExportManifest = {
      id: this.id,
      account: accountLabel(config),
      api: config.api,
      query: canonicalQueryString(query),
      window,
      format,
      columns: format === "csv" ? [...columns] : null,
      rows: this.rows,
      lines: this.lines,
      bytes: this.bytes,
      sha256: this.hash.digest("hex"),
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      complete: outcome === "complete",
      stoppedBy: outcome === "complete" ? null : outcome,
      version: packageJson.version,
      viewer: viewer.id,
    };
    const stored: Stored = { state: "done", manifest };
    this.stored = stored;
    try {
      await this.store.set(manifestKey(this.id), JSON.stringify(stored), MANIFEST_TTL_MS);
    } catch (error) {
      console.warn(`export ${this.id}: manifest not stored: ${String(error)}`);
    }
  }
}

export interface ExportStatus {
  /** "starting": the check handed out the id and the download has not begun yet. */
  state: "starting" | "running" | "done";
  rows: number;
  /** Until when a running export waits for the API budget, or null. */
  pausedUntil: string | null;
  /** Done only: whether every row was sent. */
  complete?: boolean;
}

/** Whether a stored export is this viewer's, in this account (when the caller names one). */
function owns(stored: Stored, viewer: Viewer, account: string | undefined): boolean {
  const mark = stored.state === "done" ? stored.manifest : stored;
  return mark.viewer === viewer.id && (account === undefined || mark.account === account);
}

/**
 * How far an export of this viewer (in `account`, when given) has got: rows so far and whether it is
 * paused for the API budget, or null (unknown, expired, or another viewer's or account's).
 */
export async function readExportStatus(
  store: ValueStore,
  viewer: Viewer,
  id: string,
  now = Date.now(),
  account?: string,
): Promise<ExportStatus | null> {
  // The browser asks as soon as it starts the download, which may be before the server has begun it: an
  // id handed to this viewer is a known export, not a missing one. The reservation is read first because
  // an export marks itself running before it drops its reservation, so one of the two is always seen.
  const reservedFor = await store.get(reservationKey(id));
  const text = await store.get(manifestKey(id));
  if (text === null)
    return reservedFor === viewer.id ? { state: "starting", rows: 0, pausedUntil: null } : null;
  const stored = JSON.parse(text) as Stored;
  if (!owns(stored, viewer, account)) return null;
  if (stored.state === "done") {
    const { manifest } = stored;
    return { state: "done", rows: manifest.rows, pausedUntil: null, complete: manifest.complete };
  }
  const paused = stored.pausedUntil && Date.parse(stored.pausedUntil) > now ? stored.pausedUntil : null;
  return { state: "running", rows: stored.rows ?? 0, pausedUntil: paused };
}

/**
 * The manifest of an export for the viewer who ran it (in `account`, when given): the manifest,
 * "running" while the file is still being written, or null (unknown, expired, or another viewer's or
 * account's: indistinguishable on purpose).
 */
export async function readManifest(
  store: ValueStore,
  viewer: Viewer,
  id: string,
  account?: string,
): Promise<ExportManifest | "running" | null> {
  const text = await store.get(manifestKey(id));
  if (text === null) return null;
  const stored = JSON.parse(text) as Stored;
  if (!owns(stored, viewer, account)) return null;
  return stored.state === "running" ? "running" : stored.manifest;
}
