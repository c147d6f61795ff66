"use client";

import { useState } from "react";
import { FIELD_IDS } from "@/lib/audit-log";
import { formatWindow } from "@/lib/format";
import { serializeApi } from "@/lib/search-params";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { DownloadIcon } from "@/components/ui/icons";
import { Popover } from "@/components/ui/popover";
import { useExplorer } from "./explorer-context";
import { describeFilters } from "./filter-summary";

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
 * absolute window the table shows and downloads natively: the file streams from the server.
 */
export function ExportMenu({ window: shown }: { window: { since: string; before: string } | null }) {
  const { zone, search } = useExplorer();
  const [format, setFormat] = useState<"csv" | "ndjson">("csv");
  const [scope, setScope] = useState<"visible" | "all">("visible");
  const columns = scope === "all" ? FIELD_IDS : search.search.columns;
  const href = shown
    ? `/api/logs/export${serializeApi({ ...search.query, range: null, ...shown, format, columns })}`
    : undefined;

  return (
    <Popover
      label="Export entries"
      align="end"
      className="w-80 space-y-3 p-3"
      trigger={
        <Button>
          <DownloadIcon className="text-muted" />
          Export
        </Button>
      }
    >
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
      <a
        href={href}
        download
        aria-disabled={!href}
        className={cn(
          "flex h-8 items-center justify-center gap-2 rounded-md bg-accent text-sm font-medium text-accent-fg hover:opacity-90",
          !href && "pointer-events-none opacity-50",
        )}
      >
        <DownloadIcon /> Download {format.toUpperCase()}
      </a>
    </Popover>
  );
}
