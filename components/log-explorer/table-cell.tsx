"use client";

import type { Cell } from "@tanstack/react-table";
import { useState, type FocusEvent, type KeyboardEvent, type ReactNode } from "react";
import { getFilterForField, isFieldId, type AuditLog } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import { formatValue } from "@/lib/format";
import { checkFilterValue } from "@/lib/search-params";
import { CellActions } from "./cell-actions";
import { valueLabel } from "./cell-value";
import { useExplorer } from "./explorer-context";
import type { Features } from "./table-features";

export interface TableCellProps {
  cell: Cell<Features, AuditLog, unknown>;
  /** The highlighted row (j/k): its filterable cells are reached with Tab. */
  active: boolean;
  children: ReactNode;
}

/**
 * The filter a cell's value can be added to under the active API, with the value; null if none. Cheap:
 * it runs for every visible cell on every render, so the value itself is checked only on use.
 */
function useCellFilter(cell: TableCellProps["cell"]) {
  const { api } = useExplorer();
  const field = cell.column.id;
  if (!isFieldId(field)) return null;
  const filter = getFilterForField(field);
  const raw = cell.row.original[field];
  const caps = capabilities(api);
  if (!filter || raw === null || raw === undefined || raw === "" || !caps.supports(filter)) return null;
  const value = formatValue(raw);
  return {
    filter,
    value,
    shown: valueLabel(field, value),
    canExclude: caps.canExclude(filter),
    // Some stored values are no valid filter (a control character, an address the API would refuse).
    accepted: () => checkFilterValue(filter, value, api) === null,
  };
}

/**
 * One table cell. A filterable one offers include, exclude and copy while the pointer is over it or it
 * has keyboard focus (`+` and `-` work on it too, ← and → move along the row); only that cell renders
 * the buttons, so a screen of rows costs no more than before. The highlighted row's filterable cells
 * are in the Tab order; other rows' are not, so Tab does not walk the whole table.
 */
export function TableCell({ cell, active, children }: TableCellProps) {
  const { search } = useExplorer();
  const target = useCellFilter(cell);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);

  const filter = (exclude: boolean) => {
    if (target?.accepted()) search.addFilter(target.filter.param, exclude, target.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!target || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "+" || (event.key === "-" && target.canExclude)) {
      event.preventDefault();
      filter(event.key === "-");
    } else if (
      (event.key === "ArrowRight" || event.key === "ArrowLeft") &&
      event.target === event.currentTarget
    ) {
      // Between the values of the row, as in a spreadsheet; the row's own cells only.
      const row = [...(event.currentTarget.parentElement?.children ?? [])].filter(
        (el): el is HTMLElement => el instanceof HTMLElement && el.tabIndex === 0,
      );
      const next = row[row.indexOf(event.currentTarget) + (event.key === "ArrowRight" ? 1 : -1)];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  };
  const onBlur = (event: FocusEvent) => {
    if (!event.currentTarget.contains(event.relatedTarget)) setFocused(false);
  };

  return (
    <div
      role="cell"
      data-col={cell.column.id}
      // Focusable in every row, so the focus can stay put while j/k move the highlight away from it.
      tabIndex={target ? (active ? 0 : -1) : undefined}
      onPointerEnter={target ? () => setHovered(true) : undefined}
      onPointerLeave={target ? () => setHovered(false) : undefined}
      onFocus={target ? () => setFocused(true) : undefined}
      onBlur={target ? onBlur : undefined}
      onKeyDown={target ? onKeyDown : undefined}
      className="relative flex min-w-0 items-center px-3 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-accent"
    >
      {children}
      {target && (hovered || focused) && (
        <CellActions
          shown={target.shown}
          value={target.value}
          canFilter={target.accepted()}
          canExclude={target.canExclude}
          onFilter={filter}
        />
      )}
    </div>
  );
}
