"use client";

import { useCallback, useState } from "react";
import { isFieldId } from "@/lib/audit-log";
import { clampWidth, type ColumnWidths } from "@/lib/column-widths";
import { useExplorer } from "./explorer-context";

/**
 * Column widths as the URL holds them (`widths`), and their edits. A dragged width shows before it is
 * written: the URL changes once, when the drag ends, not on every pointer move.
 */
export function useColumnWidths() {
  const { search } = useExplorer();
  const { setView } = search;
  const widths = search.search.widths;
  const [draft, setDraft] = useState<{ id: string; px: number } | null>(null);

  const write = useCallback(
    (next: ColumnWidths) => setView({ widths: Object.keys(next).length > 0 ? next : null }),
    [setView],
  );

  return {
    /** The width to lay a column out at: the one being dragged, else TanStack's (the URL's or the default). */
    sizeOf: (id: string, size: number) => (draft?.id === id ? draft.px : size),
    preview: useCallback((id: string, px: number) => setDraft({ id, px: clampWidth(px) }), []),
    commit: useCallback(
      (id: string, px: number) => {
        setDraft(null);
        if (isFieldId(id)) write({ ...widths, [id]: clampWidth(px) });
      },
      [widths, write],
    ),
    reset: useCallback(
      (id: string) => {
        setDraft(null);
        if (!isFieldId(id)) return;
        const next = { ...widths };
        delete next[id];
        write(next);
      },
      [widths, write],
    ),
  };
}

export type ColumnWidthsState = ReturnType<typeof useColumnWidths>;
