"use client";

import { useQuery } from "@tanstack/react-query";
import type { AuditLog } from "@/lib/audit-log";
import { historyQueryOptions } from "@/lib/queries";
import { useAccountParam } from "@/lib/use-account-param";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Timestamp } from "./cell-value";
import { JsonView } from "./json-view";

const present = (v: unknown) =>
  v !== null && v !== undefined && !(typeof v === "object" && Object.keys(v).length === 0);

/** The newest change before `entry` that carries a body: what the resource looked like last. */
export function lastKnown(entry: AuditLog, history: AuditLog[]): { from: AuditLog; body: unknown } | null {
  const earlier = history
    .filter((h) => h.id !== entry.id && h.time <= entry.time && h.actionType !== "delete")
    .sort((a, b) => b.time.localeCompare(a.time));
  for (const h of earlier) {
    // The response is the state after that change; a request body is the next best thing.
    if (present(h.response)) return { from: h, body: h.response };
    if (present(h.request)) return { from: h, body: h.request };
  }
  return null;
}

/**
 * A delete's response is only `{ "id": … }`: what was deleted is the resource's state before it, from
 * its history (the same lookup the History tab makes, so opening that tab costs nothing more).
 */
export function LastKnownState({ entry, onHistory }: { entry: AuditLog; onHistory: () => void }) {
  const history = useQuery(historyQueryOptions(entry, undefined, useAccountParam()));
  const found = history.data ? lastKnown(entry, history.data.data) : null;
  return (
    <section aria-label="Last known state" className="space-y-1.5">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-2xs font-semibold tracking-wide text-faint uppercase">
          Last known state, before the delete
        </h3>
        <Button variant="ghost" onClick={onHistory}>
          Open History
        </Button>
      </div>
      {history.isPending ? (
        <Skeleton className="h-16 w-full" />
      ) : history.isError ? (
        <p className="text-xs text-muted">The resource&apos;s history could not be loaded.</p>
      ) : found ? (
        <>
          <p className="text-xs text-muted">
            As of the {found.from.actionType ?? "change"} at <Timestamp value={found.from.time} />
          </p>
          <JsonView value={found.body} label="Body of the last change before the delete" />
        </>
      ) : (
        <p className="text-xs text-muted">No earlier state of this resource was found in its history.</p>
      )}
    </section>
  );
}
