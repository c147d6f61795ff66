"use client";

import { memo } from "react";
import { cn } from "@/components/ui/cn";
import { LogCard } from "./log-card";
import type { LogTableInstance } from "./use-log-table";

export type LogTableRow = ReturnType<LogTableInstance["getRowModel"]>["rows"][number];

export interface LogRowProps {
  table: LogTableInstance;
  row: LogTableRow;
  index: number;
  /** Offset of the row inside the row group, in pixels. */
  top: number;
  height: number;
  cards: boolean;
  gridTemplate: string;
  /** The visible columns, in order: when they change, the row renders its cells again. */
  columnsKey: string;
  active: boolean;
  open: boolean;
  onOpen: (id: string, index: number) => void;
}

/**
 * One entry of the virtualized table. Memoized: while scrolling, only the rows coming into view render;
 * the ones already on screen keep their place and their cells.
 */
export const LogRow = memo(function LogRow({
  table,
  row,
  index,
  top,
  height,
  cards,
  gridTemplate,
  active,
  open,
  onOpen,
}: LogRowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-current={active ? "true" : undefined}
      data-row-id={row.id}
      onClick={() => {
        if (!window.getSelection()?.toString()) onOpen(row.id, index);
      }}
      className={cn(
        "absolute inset-x-0 top-0 cursor-pointer border-b border-line/70 text-[13px] hover:bg-hover",
        !cards && "grid",
        active && "bg-hover shadow-[inset_2px_0_0_var(--accent)]",
        open && "bg-accent-soft hover:bg-accent-soft",
      )}
      style={{
        height,
        transform: `translateY(${top}px)`,
        gridTemplateColumns: cards ? undefined : gridTemplate,
      }}
    >
      {cards ? (
        <LogCard row={row.original} />
      ) : (
        row.getVisibleCells().map((cell) => (
          <div key={cell.id} role="cell" className="flex min-w-0 items-center px-3">
            <table.FlexRender cell={cell} />
          </div>
        ))
      )}
    </div>
  );
});
