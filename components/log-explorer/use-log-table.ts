"use client";

import { useTable, type Updater } from "@tanstack/react-table";
import { useMemo } from "react";
import { FIELD_IDS, type AuditLog, type FieldId } from "@/lib/audit-log";
import type { ColumnWidths } from "@/lib/column-widths";
import { columns } from "./columns";
import { features } from "./table-features";

const apply = <T>(updater: Updater<T>, current: T): T =>
  typeof updater === "function" ? (updater as (old: T) => T)(current) : updater;

/**
 * The table instance. Column visibility and order are controlled by the URL's `columns` (visible
 * columns, in order): the table's own setters write back to it. Widths come from the URL's `widths`.
 */
export function useLogTable(
  rows: AuditLog[],
  visible: FieldId[],
  setColumns: (columns: FieldId[]) => void,
  widths: ColumnWidths | null = null,
) {
  const columnVisibility = useMemo(
    () => Object.fromEntries(FIELD_IDS.map((id) => [id, visible.includes(id)])),
    [visible],
  );
  const columnOrder = useMemo(
    () => [...visible, ...FIELD_IDS.filter((id) => !visible.includes(id))],
    [visible],
  );
  const columnSizing = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(widths ?? {}).filter((e): e is [string, number] => typeof e[1] === "number"),
      ),
    [widths],
  );

  return useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { columnVisibility, columnOrder, columnSizing },
    onColumnVisibilityChange: (updater) => {
      const next = apply(updater, columnVisibility);
      const shown = columnOrder.filter((id) => next[id] !== false) as FieldId[];
      if (shown.length > 0) setColumns(shown);
    },
    onColumnOrderChange: (updater) => {
      const next = apply(updater, columnOrder);
      setColumns(next.filter((id) => columnVisibility[id]) as FieldId[]);
    },
  });
}

export type LogTableInstance = ReturnType<typeof useLogTable>;
