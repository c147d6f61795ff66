"use client";

import { Suspense, useState } from "react";
import type { FilterDef } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import { Button } from "@/components/ui/button";
import { ChevronDownIcon, FilterIcon } from "@/components/ui/icons";
import { lazyWithPreload, preloadOn } from "@/components/ui/lazy";
import { PanelSkeleton } from "@/components/ui/panel-skeleton";
import { Popover } from "@/components/ui/popover";
import { useExplorer } from "./explorer-context";
import { HideUserLogsToggle } from "./hide-user-logs-toggle";

// A filter's editor is code for after the first rows: it loads when idle, or when its button is reached.
const FilterEditor = lazyWithPreload(() => import("./filter-editor").then((m) => m.FilterEditor));

/** How many values a filter has, included and excluded together. */
function useCount(filter: FilterDef): number {
  const { search } = useExplorer();
  return search.filters.filter((f) => f.param === filter.param).reduce((n, f) => n + f.values.length, 0);
}

/** A toolbar button that opens one filter's editor. */
export function FilterControl({ filter }: { filter: FilterDef }) {
  const count = useCount(filter);
  return (
    <Popover
      label={`${filter.label} filter`}
      trigger={
        <Button variant={count > 0 ? "default" : "outline-dashed"} {...preloadOn(FilterEditor)}>
          {filter.label}
          {count > 0 && (
            <span className="rounded bg-accent-soft px-1 text-2xs font-semibold text-accent">{count}</span>
          )}
          <ChevronDownIcon className="text-faint" />
        </Button>
      }
    >
      <Suspense fallback={<PanelSkeleton className="w-72" />}>
        <FilterEditor filter={filter} />
      </Suspense>
    </Popover>
  );
}

/** Primary filters in the toolbar; the rest of the active API's filters under "More filters". */
export function FilterControls() {
  const { api, search } = useExplorer();
  const caps = capabilities(api);
  const all = caps.filters;
  const primary = all.filter((f) => f.primary);
  const rest = all.filter((f) => !f.primary);
  const [picked, setPicked] = useState<FilterDef | null>(null);
  const activeRest = search.filters.filter((f) => rest.some((r) => r.param === f.param)).length;

  return (
    <>
      {primary.map((f) => (
        <FilterControl key={f.param} filter={f} />
      ))}
      {caps.hideUserLogs && <HideUserLogsToggle />}
      {rest.length > 0 && (
        <Popover
          label="More filters"
          onOpenChange={(open) => !open && setPicked(null)}
          trigger={
            <Button variant="ghost" {...preloadOn(FilterEditor)}>
              <FilterIcon />
              More filters
              {activeRest > 0 && (
                <span className="rounded bg-accent-soft px-1 text-2xs font-semibold text-accent">
                  {activeRest}
                </span>
              )}
            </Button>
          }
        >
          {picked ? (
            <div className="space-y-2">
              <Button variant="ghost" onClick={() => setPicked(null)}>
                ← All filters
              </Button>
              <Suspense fallback={<PanelSkeleton className="w-72" />}>
                <FilterEditor filter={picked} />
              </Suspense>
            </div>
          ) : (
            <ul className="w-56" aria-label="More filters">
              {rest.map((f) => (
                <li key={f.param}>
                  <button
                    type="button"
                    onClick={() => setPicked(f)}
                    className="flex w-full items-center justify-between rounded px-2 py-1.5 text-left hover:bg-hover"
                  >
                    {f.label}
                    <span className="font-mono text-2xs text-faint">{f.param}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Popover>
      )}
    </>
  );
}
