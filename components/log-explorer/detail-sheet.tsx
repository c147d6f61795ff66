"use client";

import { ArchivedOnlyBadge } from "./archived-only-badge";
import { useState, type KeyboardEvent } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import { errorMessageOf } from "@/lib/derived-fields";
import { formatCount } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ChevronDownIcon, ChevronUpIcon } from "@/components/ui/icons";
import { Sheet } from "@/components/ui/sheet";
import { ResultBadge, Timestamp } from "./cell-value";
import { hasChange } from "./detail-change";
import { DetailPanel, type DetailTab as Tab } from "./detail-panel";
import { useExplorer } from "./explorer-context";

export interface DetailSheetProps {
  openId: string | null;
  entry: AuditLog | null;
  status: "ready" | "loading" | "missing";
  /** Position among the loaded rows, when the entry is one of them. */
  /** `total` counts every matching entry (`exact`, or at least that many); `loaded` the rows at hand. */
  position: { index: number; loaded: number; total: number; exact: boolean } | null;
  onMove: (step: 1 | -1) => void;
  onClose: () => void;
}

/** `Update Worker script` from the description, or from the action and resource type. */
function title(entry: AuditLog): string {
  const text = entry.actionDescription?.trim() || `${entry.actionType} ${entry.resourceType ?? ""}`.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The open entry (`log=` in the URL): fields, change, history and raw JSON; ↑/↓ or j/k step through rows. */
export function DetailSheet({ openId, entry, status, position, onMove, onClose }: DetailSheetProps) {
  const { api } = useExplorer();
  const [tab, setTab] = useState<Tab>("details");
  const tabs: { id: Tab; label: string }[] = [
    { id: "details", label: "Details" },
    ...(entry && hasChange(entry) ? [{ id: "change" as const, label: "Change" }] : []),
    // An entry that was not found has no history or JSON to show.
    ...(entry && capabilities(api).history ? [{ id: "history" as const, label: "History" }] : []),
    ...(entry ? [{ id: "json" as const, label: "JSON" }] : []),
  ];
  const current = tabs.some((t) => t.id === tab) ? tab : "details";

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (
      target.closest("input, textarea, select, [role=region]") ||
      event.altKey ||
      event.metaKey ||
      event.ctrlKey
    )
      return;
    // `+`/`-` on a field's value: its include or exclude button, without reaching for the mouse.
    const action = event.key === "+" || event.key === "=" ? "include" : event.key === "-" ? "exclude" : null;
    const field = action && target.closest("[data-field-row]");
    if (field) {
      field.querySelector<HTMLButtonElement>(`[data-filter-action=${action}]`)?.click();
      event.preventDefault();
      return;
    }
    const step =
      event.key === "j" || event.key === "ArrowDown"
        ? 1
        : event.key === "k" || event.key === "ArrowUp"
          ? -1
          : 0;
    if (step && position) {
      event.preventDefault();
      onMove(step);
    }
  };

  return (
    <Sheet
      open={openId !== null}
      onOpenChange={(open) => !open && onClose()}
      labelledBy="entry-title"
      describedBy="entry-subtitle"
      onKeyDown={onKeyDown}
    >
      <div className="flex h-full flex-col">
        <div className="border-b border-line px-5 pt-4 pr-12 pb-3">
          <div className="flex items-center gap-2">
            <h2 id="entry-title" className="truncate text-base font-semibold">
              {entry ? title(entry) : status === "missing" ? "Entry not found" : "Loading entry…"}
            </h2>
            {entry && <ResultBadge value={entry.actionResult} />}
            {entry && <ArchivedOnlyBadge time={entry.time} />}
          </div>
          {entry && entry.actionResult === "failure" && <FailureReason entry={entry} />}
          <p id="entry-subtitle" className="mt-1 truncate text-xs text-muted">
            {entry ? (
              <>
                <Timestamp value={entry.time} long /> ·{" "}
                {(entry.actorTokenId && entry.actorTokenName) || entry.actorEmail || entry.actorType}
              </>
            ) : (
              <span className="font-mono">{openId}</span>
            )}
          </p>
          <div className="mt-3 flex items-center gap-2">
            <div role="tablist" aria-label="Entry sections" className="flex gap-1">
              {tabs.map((t) => (
                <button
                  key={t.id}
                  role="tab"
                  id={`tab-${t.id}`}
                  aria-selected={current === t.id}
                  aria-controls="entry-panel"
                  onClick={() => setTab(t.id)}
                  className={cn(
                    "rounded-md px-2.5 py-1 text-xs font-medium",
                    current === t.id ? "bg-hover text-fg" : "text-muted hover:text-fg",
                  )}
                >
                  {t.label}
                </button>
              ))}
            </div>
            {position && (
              <div className="ml-auto flex items-center gap-1 text-2xs text-muted">
                <span className="tabular-nums">
                  {formatCount(position.index + 1)} of {position.exact ? "" : "at least "}
                  {formatCount(position.total)}
                </span>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label="Previous entry (k)"
                  disabled={position.index === 0}
                  onClick={() => onMove(-1)}
                >
                  <ChevronUpIcon />
                </Button>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label="Next entry (j)"
                  disabled={position.index >= position.loaded - 1}
                  onClick={() => onMove(1)}
                >
                  <ChevronDownIcon />
                </Button>
              </div>
            )}
          </div>
        </div>
        <div
          id="entry-panel"
          role="tabpanel"
          aria-labelledby={`tab-${current}`}
          className="min-h-0 flex-1 overflow-auto px-5 py-4"
        >
          <DetailPanel
            tab={current}
            entry={entry}
            status={status}
            onTab={tabs.some((t) => t.id === "history") ? setTab : undefined}
          />
        </div>
      </div>
    </Sheet>
  );
}

/** Why a failed action failed, up front: the HTTP status and the error message, not buried in tabs. */
function FailureReason({ entry }: { entry: AuditLog }) {
  const message = errorMessageOf(entry.response);
  if (entry.statusCode === null && !message) return null;
  return (
    <p
      data-testid="failure-reason"
      className="mt-1 truncate text-xs text-danger"
      title={message ?? undefined}
    >
      {entry.statusCode !== null && <span className="font-mono">HTTP {entry.statusCode}</span>}
      {entry.statusCode !== null && message && " · "}
      {message}
    </p>
  );
}
