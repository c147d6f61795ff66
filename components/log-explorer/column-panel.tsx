"use client";

import { DEFAULT_COLUMNS, getField } from "@/lib/audit-log";
import { Button } from "@/components/ui/button";
import { ChevronDownIcon, ChevronUpIcon, MinusIcon, PlusIcon } from "@/components/ui/icons";
import { DensityToggle } from "./density-toggle";
import { useExplorer } from "./explorer-context";
import { useColumnWidths } from "./use-column-widths";
import type { LogTableInstance } from "./use-log-table";

/** How much one press of "narrower" or "wider" changes a column. */
const WIDTH_STEP = 24;

/**
 * The column menu's list: show, hide, reorder and size columns, and pick the row density; every field
 * of the row model is available. The widths here are the keyboard's way to what the header's drag
 * handles do.
 */
export function ColumnPanel({ table }: { table: LogTableInstance }) {
  const { search } = useExplorer();
  const widths = useColumnWidths();
  const columns = table.getAllLeafColumns();
  const visible = columns.filter((c) => c.getIsVisible()).map((c) => c.id);

  const move = (id: string, step: -1 | 1) => {
    const order = columns.map((c) => c.id);
    const from = order.indexOf(id);
    const to = from + step;
    if (to < 0 || to >= visible.length) return;
    const next = [...order];
    [next[from], next[to]] = [next[to], next[from]];
    table.setColumnOrder(next);
  };

  return (
    <>
      <div className="flex items-center justify-between px-2 py-1.5">
        <h3 className="text-xs font-semibold">Columns</h3>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => search.setView({ columns: DEFAULT_COLUMNS, widths: null })}
        >
          Reset
        </Button>
      </div>
      <div className="flex items-center justify-between px-2 pb-1.5">
        <span className="text-xs text-muted">Rows</span>
        <DensityToggle />
      </div>
      <ul aria-label="Columns" className="max-h-96 overflow-auto">
        {columns.map((column) => {
          const shown = column.getIsVisible();
          const index = visible.indexOf(column.id);
          const label = getField(column.id)?.label ?? column.id;
          return (
            <li key={column.id} className="group flex items-center gap-2 rounded px-2 py-1 hover:bg-hover">
              <label className="flex min-w-0 flex-1 cursor-pointer items-center gap-2">
                <input
                  type="checkbox"
                  checked={shown}
                  disabled={shown && visible.length === 1}
                  onChange={() => column.toggleVisibility(!shown)}
                  className="h-3.5 w-3.5 accent-[var(--accent)]"
                />
                <span className="truncate">{label}</span>
              </label>
              {shown && (
                <span className="flex">
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-label={`Make ${label} narrower`}
                    title={`${column.getSize()} px`}
                    onClick={() => widths.commit(column.id, column.getSize() - WIDTH_STEP)}
                  >
                    <MinusIcon className="h-3 w-3" />
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-label={`Make ${label} wider`}
                    title={`${column.getSize()} px`}
                    onClick={() => widths.commit(column.id, column.getSize() + WIDTH_STEP)}
                  >
                    <PlusIcon className="h-3 w-3" />
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-label={`Move ${label} left`}
                    disabled={index === 0}
                    onClick={() => move(column.id, -1)}
                  >
                    <ChevronUpIcon className="h-3 w-3" />
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-label={`Move ${label} right`}
                    disabled={index === visible.length - 1}
                    onClick={() => move(column.id, 1)}
                  >
                    <ChevronDownIcon className="h-3 w-3" />
                  </Button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
