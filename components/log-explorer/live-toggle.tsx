"use client";

import { useId, useState } from "react";
import { cn } from "@/components/ui/cn";
import { formatTimestamp } from "@/lib/format";
import { liveAvailability } from "@/lib/live-follow";
import { useExplorer } from "./explorer-context";
import { useLiveFollow, type LiveState } from "./use-live-follow";

function statusText(state: LiveState, zone: "utc" | "local"): string {
  const time = (at: number) => formatTimestamp(new Date(at), zone).slice(11);
  switch (state.kind) {
    case "off":
      return "";
    case "waiting":
      return "Live: waiting for the first check";
    case "paused":
      return state.why === "hidden"
        ? "Live: paused while this tab is hidden"
        : "Live: paused while you read older entries (scroll to the top to resume)";
    case "checked":
      return `Live: checked ${time(state.at)}${state.added > 0 ? `, ${state.added} new` : ""}`;
    case "failed":
      return `Live: the check at ${time(state.at)} failed; trying again`;
  }
}

/** Marks rows that just arrived, for a few seconds, without the table having to know about live mode. */
function NewRowMarks({ ids }: { ids: string[] }) {
  if (ids.length === 0) return null;
  const selector = ids.map((id) => `[data-row-id="${CSS.escape(id)}"]`).join(",");
  return (
    <style>{`${selector}{background:var(--accent-soft);box-shadow:inset 3px 0 0 var(--accent);transition:background 1s}`}</style>
  );
}

/**
 * The "Live" switch (`live=1`): follows new entries while on. A pinned window or oldest-first order
 * cannot be followed; the switch then says why instead of turning on.
 */
export function LiveToggle() {
  const { search, zone } = useExplorer();
  const { live } = search.search;
  const availability = liveAvailability(search.query);
  const on = live === "1" && availability.available;
  const { state, fresh } = useLiveFollow(search.query, on);
  const [explain, setExplain] = useState(false);
  const reasonId = useId();
  const reason = availability.available ? null : availability.reason;
  const status = reason && (live === "1" || explain) ? reason : statusText(state, zone);

  return (
    <div className="flex items-center gap-2 text-xs">
      <button
        type="button"
        aria-pressed={on}
        aria-disabled={reason ? true : undefined}
        aria-describedby={reason ? reasonId : undefined}
        title={reason ?? (on ? "Stop following new entries" : "Follow new entries as they arrive")}
        onClick={() => (reason ? setExplain(true) : search.setView({ live: on ? null : "1" }))}
        className={cn(
          "flex h-7 items-center gap-1.5 rounded-md border border-line px-2 font-medium",
          on ? "bg-accent-soft text-fg" : "text-muted hover:text-fg",
          reason && "cursor-not-allowed opacity-60",
        )}
      >
        <span
          aria-hidden
          className={cn("size-2 rounded-full", on ? "animate-pulse bg-[var(--accent)]" : "bg-line")}
        />
        Live
      </button>
      {reason && (
        <span id={reasonId} className="sr-only">
          {reason}
        </span>
      )}
      <span role="status" className="text-muted">
        {status}
      </span>
      <NewRowMarks ids={fresh} />
    </div>
  );
}
