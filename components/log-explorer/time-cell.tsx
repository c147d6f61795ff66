"use client";

import type { MouseEvent } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { ArchivedOnlyBadge } from "./archived-only-badge";
import { Timestamp } from "./cell-value";
import { useExplorer } from "./explorer-context";

/**
 * The timestamp cell links to the entry's detail view: a plain click opens the side sheet, a middle
 * click or "open in new tab" gets the shareable URL.
 */
export function TimeCell({ row }: { row: AuditLog }) {
  const { openEntry, entryHref } = useExplorer();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    openEntry(row.id);
  };
  return (
    <span className="flex min-w-0 items-center gap-1.5">
      <a
        href={entryHref(row.id)}
        onClick={onClick}
        tabIndex={-1}
        data-entry-link
        className="truncate font-mono text-xs text-fg hover:underline focus-visible:underline"
      >
        <Timestamp value={row.time} />
      </a>
      <ArchivedOnlyBadge time={row.time} />
    </span>
  );
}
