"use client";

import { withAccount } from "@/lib/account-param";
import { useRef, useState, type MouseEvent } from "react";
import { flushSync } from "react-dom";
import { FIELD_IDS } from "@/lib/audit-log";
import { formatWindow } from "@/lib/format";
import { checkExport, toProblem, type Problem } from "@/lib/queries";
import { serializeApi } from "@/lib/search-params";
import { cn } from "@/components/ui/cn";
import { AlertIcon, DownloadIcon } from "@/components/ui/icons";
import { useExplorer } from "./explorer-context";
import { ExportCost } from "./export-cost";
import { ExportProgress } from "./export-progress";
import { describeFilters } from "./filter-summary";

/** What the export menu remembers between openings of its panel. */
export interface ExportChoices {
  format: "csv" | "ndjson";
  scope: "visible" | "all";
  /** The last export started, whose progress and manifest the panel offers. */
  lastExport: string | null;
}

export interface ExportPanelProps {
  window: { since: string; before: string } | null;
  choices: ExportChoices;
  onChoices: (change: Partial<ExportChoices>) => void;
}

function Choice<T extends string>(props: {
  legend: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
}) {
  return (
    <fieldset className="space-y-1">
      <legend className="text-2xs font-medium text-muted">{props.legend}</legend>
      <div className="flex gap-1">
        {props.options.map((o) => (
          <label
            key={o.value}
            className={cn(
              "flex flex-1 cursor-pointer items-center gap-1.5 rounded-md border px-2 py-1.5 text-xs",
              props.value === o.value ? "border-accent bg-accent-soft text-fg" : "border-line hover:bg-hover",
            )}
          >
            <input
              type="radio"
              name={props.legend}
              checked={props.value === o.value}
              onChange={() => props.onChange(o.value)}
              className="accent-[var(--accent)]"
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Export every matching entry (not just the loaded rows) as CSV or NDJSON. The link pins the same
 * absolute window the table shows and downloads natively: the file streams from the server. A click
 * first asks the server whether the export would start, since a refused download shows the browser's
 * "Failed" and nothing of why: a refusal (too many exports, too many entries, an upstream fault) is
 * shown here instead. The menu keeps the choices, so they outlive the panel, which mounts while open.
 */
export function ExportPanel({ window: shown, choices, onChoices }: ExportPanelProps) {
  const { zone, search } = useExplorer();
  const { format, scope, lastExport } = choices;
  const setFormat = (value: ExportChoices["format"]) => onChoices({ format: value });
  const setScope = (value: ExportChoices["scope"]) => onChoices({ scope: value });
  const setLastExport = (value: string) => onChoices({ lastExport: value });
  const columns = scope === "all" ? FIELD_IDS : search.search.columns;
  const params = shown ? serializeApi({ ...search.query, range: null, ...shown, format, columns }) : null;
  // The id the check handed out: in the link only for the replayed click, since it can be used once.
  const [armed, setArmed] = useState<string | null>(null);
  const href = params === null ? undefined : `/api/logs/export${params}${armed ? `&export_id=${armed}` : ""}`;
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const link = useRef<HTMLAnchorElement>(null);
  // Set just before the checked click is replayed, so that click downloads.
  const approved = useRef(false);

  const download = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (approved.current) {
      approved.current = false;
      return;
    }
    // "Save link as" and modified clicks stay the browser's.
    if (
      params === null ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    if (checking) return;
    setChecking(true);
    setProblem(null);
    try {
      const { exportId } = await checkExport(`/api/logs/export/check${params}`);
      // Replay the click once the link carries the id, then offer that export's manifest.
      flushSync(() => setArmed(exportId));
      approved.current = true;
      link.current?.click();
      setArmed(null);
      setLastExport(exportId);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setChecking(false);
    }
  };

  return (
    <>
      <h3 className="text-xs font-semibold">Export entries</h3>
      <Choice
        legend="Format"
        value={format}
        onChange={setFormat}
        options={[
          { value: "csv", label: "CSV" },
          { value: "ndjson", label: "NDJSON" },
        ]}
      />
      <Choice
        legend="Fields"
        value={scope}
        onChange={setScope}
        options={[
          { value: "visible", label: `Visible (${search.search.columns.length})` },
          { value: "all", label: `All fields (${FIELD_IDS.length})` },
        ]}
      />
      <p className="text-xs text-muted" data-testid="export-summary">
        Every entry from{" "}
        <span className="text-fg">
          {shown ? formatWindow(shown.since, shown.before, zone) : "the current range"}
        </span>
        , {search.query.direction === "asc" ? "oldest" : "newest"} first, with{" "}
        {describeFilters(search.filters)}.
      </p>
      <ExportCost query={search.query} />
      <a
        ref={link}
        href={href}
        download
        onClick={download}
        aria-disabled={!href || checking}
        aria-describedby={problem ? "export-problem" : undefined}
        className={cn(
          "flex h-8 items-center justify-center gap-2 rounded-md bg-accent text-sm font-medium text-accent-fg hover:opacity-90",
          !href && "pointer-events-none opacity-50",
          checking && "cursor-progress opacity-70",
        )}
      >
        <DownloadIcon /> {checking ? "Starting…" : `Download ${format.toUpperCase()}`}
      </a>
      {lastExport && !problem && (
        <ExportProgress key={lastExport} exportId={lastExport} account={search.query.account} />
      )}
      {lastExport && !problem && (
        <p className="text-xs text-muted">
          When the download ends, its{" "}
          <a
            href={withAccount(`/api/logs/export/${lastExport}/manifest`, search.query.account)}
            target="_blank"
            rel="noreferrer"
            className="font-medium text-accent underline underline-offset-2"
          >
            Manifest
          </a>{" "}
          lists its rows, size and SHA-256, for 24 hours.
        </p>
      )}
      {problem && (
        <div id="export-problem" role="alert" className="flex gap-2 text-xs">
          <AlertIcon className="mt-0.5 h-3.5 w-3.5 shrink-0 text-danger" />
          <p className="min-w-0 text-muted">
            <span className="font-medium text-fg">{problem.title}.</span> {problem.detail}
            {problem.retryAfter !== undefined && ` Try again in ${problem.retryAfter} s.`}
          </p>
        </div>
      )}
    </>
  );
}
