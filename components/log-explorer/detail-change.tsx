"use client";

import type { AuditLog } from "@/lib/audit-log";
import { formatJson } from "@/lib/format";
import { CopyButton } from "./copy-button";
import { JsonView } from "./json-view";
import { LastKnownState } from "./last-known-state";
import { ValueDiff } from "./value-diff";

const present = (v: unknown) =>
  v !== null && v !== undefined && !(typeof v === "object" && Object.keys(v).length === 0);

/** Whether an entry records what changed (v1 old/new values and metadata, v2 request/response bodies). */
export function hasChange(entry: AuditLog): boolean {
  return [entry.oldValue, entry.newValue, entry.request, entry.response, entry.metadata].some(present);
}

function Block({ title, value }: { title: string; value: unknown }) {
  return (
    <section className="space-y-1.5">
      <div className="flex items-center justify-between">
        <h3 className="text-2xs font-semibold tracking-wide text-faint uppercase">{title}</h3>
        <CopyButton text={formatJson(value)} label={`Copy ${title.toLowerCase()}`} />
      </div>
      <JsonView value={value} label={title} />
    </section>
  );
}

/**
 * What the action changed: a readable old → new diff (v1), the request and response bodies (v2). A
 * delete also shows what was deleted, when the resource's history (`onHistory` is given) can tell.
 */
export function DetailChange({ entry, onHistory }: { entry: AuditLog; onHistory?: () => void }) {
  const diff = present(entry.oldValue) || present(entry.newValue);
  return (
    <div className="space-y-5">
      {entry.actionType === "delete" && onHistory && <LastKnownState entry={entry} onHistory={onHistory} />}
      {diff && (
        <section className="space-y-1.5">
          <h3 className="text-2xs font-semibold tracking-wide text-faint uppercase">Old value → new value</h3>
          <ValueDiff before={entry.oldValue} after={entry.newValue} />
        </section>
      )}
      {present(entry.request) && <Block title="Request body" value={entry.request} />}
      {present(entry.response) && <Block title="Response body" value={entry.response} />}
      {present(entry.metadata) && <Block title="Metadata" value={entry.metadata} />}
      {!hasChange(entry) && <p className="text-xs text-muted">This entry records no change details.</p>}
    </div>
  );
}
