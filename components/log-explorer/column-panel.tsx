"use client";

import { DEFAULT_COLUMNS, getField } from "@/lib/audit-log";
import { Button } from "@/components/ui/button";
import { ChevronDownIcon, ChevronUpIcon } from "@/components/ui/icons";
import { useExplorer } from "./explorer-context";
import type { LogTableInstance } from "./use-log-table";

/** The column menu's list: show, hide and reorder columns; every field of the row model is available. */
export function ColumnPanel({ table }: { table: LogTableInstance }) {
  const { search } = useExplorer();
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
        <Button variant="ghost" size="sm" onClick={() => search.setColumns(DEFAULT_COLUMNS)}>
          Reset
        </Button>
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
