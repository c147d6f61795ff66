"use client";

import type { Ref } from "react";
import { ArrowDownIcon, ArrowUpIcon } from "@/components/ui/icons";
import { getField } from "@/lib/audit-log";
import { zoneLabel } from "@/lib/format";
import { useExplorer, useIsClient } from "./explorer-context";
import { ColumnResizer } from "./column-resizer";
import type { ColumnWidthsState } from "./use-column-widths";
import type { LogTableInstance } from "./use-log-table";

/** In local time, which zone that is: "Asia/Kolkata, UTC+05:30" (known only in the browser). */
function useLocalZoneName(): string | null {
  const { zone } = useExplorer();
  const isClient = useIsClient();
  if (zone !== "local" || !isClient) return null;
  return `${Intl.DateTimeFormat().resolvedOptions().timeZone}, ${zoneLabel("local")}`;
}

interface TableHeaderProps {
  table: LogTableInstance;
  gridTemplate: string;
  direction: "asc" | "desc";
  onToggleDirection: () => void;
  widths: ColumnWidthsState;
  /** A point at the header's right end: in view once the table is scrolled (or fits) to its right edge. */
  endRef?: Ref<HTMLSpanElement>;
}

/** The sticky header row; the timestamp header toggles the server-side sort direction. */
export function TableHeader({
  table,
  gridTemplate,
  direction,
  onToggleDirection,
  widths,
  endRef,
}: TableHeaderProps) {
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const localZone = useLocalZoneName();
  return (
    <div role="rowgroup" className="sticky top-0 z-10 border-b border-line bg-subtle">
      <span
        ref={endRef}
        aria-hidden="true"
        className="pointer-events-none absolute top-0 right-0 h-px w-px"
      />
      <div role="row" aria-rowindex={1} className="grid h-8" style={{ gridTemplateColumns: gridTemplate }}>
        {headers.map((header) => {
          const label = <table.FlexRender header={header} />;
          const base = "relative flex min-w-0 items-center px-3 text-xs font-medium text-muted select-none";
          const id = header.column.id;
          const resizer = (
            <ColumnResizer
              size={widths.sizeOf(id, header.column.getSize())}
              onPreview={(px) => widths.preview(id, px)}
              onCommit={(px) => widths.commit(id, px)}
              onReset={() => widths.reset(id)}
            />
          );
          if (header.column.id !== "time") {
            return (
              <div
                key={header.id}
                role="columnheader"
                className={base}
                title={getField(header.column.id)?.hint}
              >
                <span className="truncate">{label}</span>
                {resizer}
              </div>
            );
          }
          const Arrow = direction === "desc" ? ArrowDownIcon : ArrowUpIcon;
          return (
            <div
              key={header.id}
              role="columnheader"
              aria-sort={direction === "desc" ? "descending" : "ascending"}
              className={base}
            >
              <button
                type="button"
                onClick={onToggleDirection}
                title={
                  direction === "desc" ? "Newest first: show oldest first" : "Oldest first: show newest first"
                }
                className="-mx-1 inline-flex min-w-0 items-center gap-1 rounded px-1 py-0.5 hover:bg-hover hover:text-fg"
              >
                <span className="truncate">
                  {label}
                  {localZone && ` (${localZone})`}
                </span>
                <Arrow className="shrink-0 text-accent" />
              </button>
              {resizer}
            </div>
          );
        })}
      </div>
    </div>
  );
}
