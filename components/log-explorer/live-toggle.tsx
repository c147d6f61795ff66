"use client";

import { Suspense, useId, useState } from "react";
import { cn } from "@/components/ui/cn";
import { lazyWithPreload } from "@/components/ui/lazy";
import { liveAvailability } from "@/lib/live-follow";
import { useExplorer } from "./explorer-context";

const LiveFollowStatus = lazyWithPreload(() =>
  import("./live-follow-status").then((m) => m.LiveFollowStatus),
);

/**
 * The "Live" switch (`live=1`): follows new entries while on. A pinned window or oldest-first order
 * cannot be followed; the switch then says why instead of turning on.
 */
export function LiveToggle() {
  const { search, zone } = useExplorer();
  const { live } = search.search;
  const availability = liveAvailability(search.query);
  const on = live === "1" && availability.available;
  const [explain, setExplain] = useState(false);
  const reasonId = useId();
  const reason = availability.available ? null : availability.reason;

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
      {on ? (
        <Suspense
          fallback={
            <span role="status" className="text-muted">
              Live: waiting for the first check
            </span>
          }
        >
          <LiveFollowStatus query={search.query} zone={zone} />
        </Suspense>
      ) : (
        <span role="status" className="text-muted">
          {reason && (live === "1" || explain) ? reason : ""}
        </span>
      )}
    </div>
  );
}
