"use client";

import type { Row } from "@tanstack/react-table";
import { memo } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { cn } from "@/components/ui/cn";
import { LogCard } from "./log-card";
import { TableCell } from "./table-cell";
import type { LogTableInstance } from "./use-log-table";
import type { Features } from "./table-features";

export interface LogRowProps {
  table: LogTableInstance;
  row: Row<Features, AuditLog>;
  index: number;
  /** Where the row sits in the scrolled list, in pixels from the first row. */
  top: number;
  height: number;
  active: boolean;
  open: boolean;
  cards: boolean;
  compact: boolean;
  gridTemplate: string;
  /** The visible columns in order: the cells change with them even when the grid's widths do not. */
  columnsKey: string;
  onOpen: (id: string, index: number) => void;
}

/**
 * One entry of the table (or a card on a phone). Memoized: scrolling renders the rows that come into
 * view, not every row on screen again.
 */
export const LogRow = memo(function LogRow(props: LogRowProps) {
  const { table, row, index, active, cards } = props;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-current={active ? "true" : undefined}
      data-row-id={row.id}
      onClick={() => {
        if (!window.getSelection()?.toString()) props.onOpen(row.id, index);
      }}
      className={cn(
        "absolute inset-x-0 top-0 cursor-pointer border-b border-line/70 hover:bg-hover",
        props.compact && !cards ? "text-xs" : "text-[13px]",
        !cards && "grid",
        active && "bg-hover shadow-[inset_2px_0_0_var(--accent)]",
        props.open && "bg-accent-soft hover:bg-accent-soft",
      )}
      style={{
        height: props.height,
        transform: `translateY(${props.top}px)`,
        gridTemplateColumns: cards ? undefined : props.gridTemplate,
      }}
    >
      {cards ? (
        <LogCard row={row.original} />
      ) : (
        row.getVisibleCells().map((cell) => (
          <TableCell key={cell.id} cell={cell} active={active}>
            <table.FlexRender cell={cell} />
          </TableCell>
        ))
      )}
    </div>
  );
});
