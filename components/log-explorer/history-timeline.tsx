"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { formatTimestamp } from "@/lib/format";
import { DEFAULT_HISTORY_DAYS, historyQueryOptions, toProblem } from "@/lib/queries";
import { useAccountParam } from "@/lib/use-account-param";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { AlertIcon, HistoryIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { ResultBadge, Timestamp } from "./cell-value";
import { useExplorer } from "./explorer-context";
import { HistoryWindow } from "./history-window";
import { SideBySideDiff } from "./value-diff";

const COMPARE = { request: "Request body", response: "Response body", raw: "Raw entry" } as const;
type Compared = keyof typeof COMPARE;

/**
 * The resource's change history (v2) as a timeline over a chosen window around the entry, every page
 * of it. Two ticked entries are compared side by side (request, response or the whole entry), older on
 * the left; by default the open entry and the one before it. The open entry is always listed.
 */
export function HistoryTimeline({ entry }: { entry: AuditLog }) {
  const [days, setDays] = useState(DEFAULT_HISTORY_DAYS);
  return (
    <div className="space-y-3">
      <HistoryWindow days={days} onChange={setDays} />
      <HistoryBody key={days} entry={entry} days={days} />
    </div>
  );
}

function HistoryBody({ entry, days }: { entry: AuditLog; days: number }) {
  const { zone } = useExplorer();
  const history = useQuery(historyQueryOptions(entry, days, useAccountParam()));
  const [picked, setPicked] = useState<string[] | null>(null);
  const [what, setWhat] = useState<Compared>("request");

  if (history.isPending) return <Skeleton className="h-32 w-full" />;
  if (history.isError) {
    const problem = toProblem(history.error);
    return (
      <div
        role="alert"
        className="space-y-2 rounded-md border border-danger/30 bg-danger-soft/50 p-3 text-xs"
      >
        <p className="font-medium">{problem.title}</p>
        <p className="text-muted">{problem.detail}</p>
        <Button onClick={() => history.refetch()}>Retry</Button>
      </div>
    );
  }
  const { data, historyStatus, truncated } = history.data;
  if (historyStatus === "unavailable") {
    return (
      <div className="flex flex-col items-center gap-2 py-10 text-center text-muted">
        <HistoryIcon className="h-5 w-5" />
        <p className="font-medium text-fg">No history available</p>
        <p className="max-w-sm text-xs">Cloudflare could not identify earlier changes to this resource.</p>
      </div>
    );
  }

  // The open entry belongs to its own history even when the upstream's lookup left it out.
  const all = data.some((h) => h.id === entry.id) ? data : [...data, entry];
  const items = [...all].sort((a, b) => b.time.localeCompare(a.time));
  const at = items.findIndex((h) => h.id === entry.id);
  const defaults = [items[Math.max(at, 0)]?.id, items[Math.max(at, 0) + 1]?.id].filter(Boolean) as string[];
  const selected = picked ?? defaults;
  const chosen = items.filter((h) => selected.includes(h.id)).sort((a, b) => a.time.localeCompare(b.time));
  const toggle = (id: string) =>
    setPicked(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id].slice(-2));
  const body = (h: AuditLog) => (what === "raw" ? h.raw : (h[what] ?? null));

  return (
    <div className="space-y-4">
      {historyStatus === "approximate" && (
        <p
          role="status"
          className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning-soft p-2.5 text-xs"
        >
          <AlertIcon className="mt-0.5 shrink-0 text-warning" />
          This history is approximate: Cloudflare matched these entries to the resource on a best-effort
          basis.
        </p>
      )}
      <ol aria-label="Change history" className="relative space-y-1 border-l border-line pl-4">
        {items.map((h) => (
          <li
            key={h.id}
            className={cn("relative rounded-md px-2 py-1.5", h.id === entry.id && "bg-accent-soft")}
          >
            <span className="absolute top-3 -left-[1.3rem] h-2 w-2 rounded-full border-2 border-surface bg-accent" />
            <label className="flex cursor-pointer items-center gap-2 text-xs">
              <input
                type="checkbox"
                checked={selected.includes(h.id)}
                onChange={() => toggle(h.id)}
                aria-label={`Compare the ${h.actionType} at ${formatTimestamp(h.time, zone)}`}
                className="accent-[var(--accent)]"
              />
              <span className="font-mono text-muted">
                <Timestamp value={h.time} />
              </span>
              <span className="font-medium">{h.actionType}</span>
              <ResultBadge value={h.actionResult} />
              <span className="truncate text-muted">{h.actorEmail ?? h.actorType ?? ""}</span>
              {h.id === entry.id && <span className="ml-auto text-2xs text-accent">this entry</span>}
            </label>
          </li>
        ))}
      </ol>
      <p className="text-2xs text-faint">
        {items.length} {items.length === 1 ? "change" : "changes"} in the window
        {truncated ? ", cut short: choose a narrower window to see the rest" : ""}.
      </p>
      {chosen.length === 2 ? (
        <div className="space-y-2">
          <div role="group" aria-label="Compare" className="flex gap-1 text-xs">
            {(Object.keys(COMPARE) as Compared[]).map((w) => (
              <Button
                key={w}
                variant={what === w ? "default" : "ghost"}
                aria-pressed={what === w}
                onClick={() => setWhat(w)}
              >
                {COMPARE[w]}
              </Button>
            ))}
          </div>
          <SideBySideDiff
            left={body(chosen[0])}
            right={body(chosen[1])}
            leftTitle={`${formatTimestamp(chosen[0].time, zone)} · ${chosen[0].actionType}`}
            rightTitle={`${formatTimestamp(chosen[1].time, zone)} · ${chosen[1].actionType}`}
          />
        </div>
      ) : (
        <p className="text-xs text-muted">Tick two entries to compare them side by side.</p>
      )}
    </div>
  );
}
