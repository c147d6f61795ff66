"use client";

import { VALUE_LABELS, type AuditLog } from "@/lib/audit-log";
import { ResultBadge } from "./cell-value";
import { TimeCell } from "./time-cell";

/** Who acted, in words: an API token's name, else the email, else the kind of actor. */
function actorOf(row: AuditLog): string {
  return (
    (row.actorTokenId ? row.actorTokenName : null) ??
    row.actorEmail ??
    row.actorTokenName ??
    (row.actorType ? (VALUE_LABELS[row.actorType] ?? row.actorType) : null) ??
    row.actorId ??
    "—"
  );
}

/** What was acted on: the resource's type, with its product when that says more. */
function resourceOf(row: AuditLog): string {
  const parts = [row.resourceProduct, row.resourceType ?? row.resourceId].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : "—";
}

const part = "min-w-0 truncate";

/**
 * One entry as a card, for a phone's width where eight columns cannot fit: time and result, then the
 * action and who did it, then the resource. Each part is a cell of the row, so the table stays a table.
 */
export function LogCard({ row }: { row: AuditLog }) {
  const actor = actorOf(row);
  const resource = resourceOf(row);
  return (
    <div className="flex h-full min-w-0 flex-col justify-center gap-0.5 px-3">
      <div className="flex items-center justify-between gap-2">
        <span role="cell" data-card-part="time" className={part}>
          <TimeCell row={row} />
        </span>
        <span role="cell" data-card-part="result" className="shrink-0">
          <ResultBadge value={row.actionResult} />
        </span>
      </div>
      <div className="flex min-w-0 items-baseline gap-2">
        <span role="cell" data-card-part="action" className="shrink-0 font-medium text-fg">
          {row.actionType}
        </span>
        <span role="cell" data-card-part="actor" title={actor} className={`${part} text-muted`}>
          {actor}
        </span>
      </div>
      <span role="cell" data-card-part="resource" title={resource} className={`${part} text-xs text-muted`}>
        {resource}
      </span>
    </div>
  );
}
