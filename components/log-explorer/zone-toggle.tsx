"use client";

import { cn } from "@/components/ui/cn";
import { useExplorer } from "./explorer-context";

/** UTC or the browser's zone for every timestamp on the page (kept in the URL as `tz`). */
export function ZoneToggle() {
  const { zone, search } = useExplorer();
  return (
    <div
      role="group"
      aria-label="Display time zone"
      className="flex h-7 rounded-md border border-line p-0.5 text-xs"
    >
      {(["utc", "local"] as const).map((z) => (
        <button
          key={z}
          type="button"
          aria-pressed={zone === z}
          onClick={() => search.setZone(z)}
          className={cn(
            "rounded px-2 font-medium",
            zone === z ? "bg-hover text-fg shadow-xs" : "text-muted hover:text-fg",
          )}
        >
          {z === "utc" ? "UTC" : "Local"}
        </button>
      ))}
    </div>
  );
}
