"use client";

import type { AuditLog } from "@/lib/audit-log";
import { formatJson } from "@/lib/format";
import { Skeleton } from "@/components/ui/skeleton";
import { AroundEntry } from "./around-entry";
import { CopyButton } from "./copy-button";
import { DetailChange } from "./detail-change";
import { DetailFields } from "./detail-fields";
import { HistoryTimeline } from "./history-timeline";
import { JsonView } from "./json-view";

export type DetailTab = "details" | "change" | "history" | "json";

/** The detail view's selected section for an entry (or its loading / not-found state). */
export function DetailPanel({
  tab,
  entry,
  status,
  onTab,
}: {
  tab: DetailTab;
  entry: AuditLog | null;
  status: "ready" | "loading" | "missing";
  /** Switch sections; given where a History tab exists. */
  onTab?: (tab: DetailTab) => void;
}) {
  if (!entry) {
    return status === "missing" ? (
      <p className="text-muted">
        No entry with this ID was found in the last 90 days or in the current filters.
      </p>
    ) : (
      <div className="space-y-2">
        <Skeleton className="h-4 w-2/3" />
        <Skeleton className="h-4 w-1/2" />
        <Skeleton className="h-24 w-full" />
      </div>
    );
  }
  if (tab === "details")
    return (
      <div className="space-y-5">
        <AroundEntry entry={entry} />
        <DetailFields entry={entry} />
      </div>
    );
  if (tab === "change") return <DetailChange entry={entry} onHistory={onTab && (() => onTab("history"))} />;
  if (tab === "history") return <HistoryTimeline key={entry.id} entry={entry} />;
  return (
    <section className="space-y-1.5">
      <div className="flex items-center justify-between">
        <h3 className="text-2xs font-semibold tracking-wide text-faint uppercase">
          Raw entry from Cloudflare
        </h3>
        <CopyButton text={formatJson(entry.raw)} label="Copy JSON" />
      </div>
      <JsonView value={entry.raw} label="Raw entry JSON" className="max-h-none" />
    </section>
  );
}
