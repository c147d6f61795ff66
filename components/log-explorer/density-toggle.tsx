"use client";

import { cn } from "@/components/ui/cn";
import { DENSITIES, type Density } from "@/lib/search-params";
import { useExplorer } from "./explorer-context";

const LABELS: Record<Density, string> = { compact: "Compact", comfortable: "Comfortable" };

/** Row density (`density` in the URL): compact fits more entries on a screen. */
export function DensityToggle() {
  const { search } = useExplorer();
  const current = search.search.density ?? "comfortable";
  return (
    <div role="group" aria-label="Row density" className="flex rounded-md border border-line p-0.5 text-2xs">
      {DENSITIES.map((d) => (
        <button
          key={d}
          type="button"
          aria-pressed={current === d}
          // The default is left out of the URL, so a link without it stays as short as before.
          onClick={() => search.setView({ density: d === "comfortable" ? null : d })}
          className={cn(
            "rounded px-2 py-0.5 font-medium",
            current === d ? "bg-hover text-fg" : "text-muted hover:text-fg",
          )}
        >
          {LABELS[d]}
        </button>
      ))}
    </div>
  );
}
