"use client";

import { Button } from "@/components/ui/button";
import { AutomationToggle } from "./automation-toggle";
import { RefreshIcon } from "@/components/ui/icons";
import { ColumnMenu } from "./column-menu";
import { ExportMenu } from "./export-menu";
import { FilterChips } from "./filter-chips";
import { FilterControls } from "./filter-control";
import { FilterInput } from "./filter-input";
import { LiveToggle } from "./live-toggle";
import { QueryTextBox } from "./query-text-box";
import { ShareMenu } from "./share-menu";
import { TimeRangePicker } from "./time-range-picker";
import type { LogTableInstance } from "./use-log-table";
import { ZoneToggle } from "./zone-toggle";

export interface ToolbarProps {
  table: LogTableInstance;
  /** The absolute window of the loaded entries, once known. */
  window: { since: string; before: string } | null;
  refreshing: boolean;
  onRefresh: () => void;
}

/** Filters, time range, display zone, and the view's actions (refresh, columns, share, export). */
export function Toolbar({ table, window, refreshing, onRefresh }: ToolbarProps) {
  return (
    <div className="shrink-0 bg-surface">
      <div className="flex flex-wrap items-center gap-2 px-4 pt-3 pb-2">
        <FilterInput />
        <TimeRangePicker window={window} />
        <ZoneToggle />
        <AutomationToggle />
        <LiveToggle />
        <div className="ml-auto flex items-center gap-1.5">
          <Button
            variant="ghost"
            size="icon"
            onClick={onRefresh}
            disabled={refreshing}
            aria-label="Refresh"
            title="Reload the first page"
          >
            <RefreshIcon className={refreshing ? "animate-spin" : undefined} />
          </Button>
          <ColumnMenu table={table} />
          <ShareMenu window={window} />
          <ExportMenu window={window} />
        </div>
      </div>
      <div
        role="group"
        aria-label="Filters"
        className="flex flex-wrap items-center gap-1.5 border-b border-line px-4 pb-2.5"
      >
        <FilterControls />
        <QueryTextBox />
      </div>
      <FilterChips />
    </div>
  );
}
