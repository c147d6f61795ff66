"use client";

import { getFilter, type FieldId } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CloseIcon } from "@/components/ui/icons";
import { valueLabel } from "./cell-value";
import { useExplorer } from "./explorer-context";

/**
 * The active filters as chips. The operator flips a value between include and exclude (`.not`);
 * × removes it; "Clear all" removes every filter (the time range stays).
 */
export function FilterChips() {
  const { api, search } = useExplorer();
  if (search.filters.length === 0) return null;

  return (
    <ul
      aria-label="Active filters"
      className="flex flex-wrap items-center gap-1.5 border-b border-line bg-surface px-4 py-2"
    >
      {search.filters.flatMap(({ key, param, negated, values }) => {
        const filter = getFilter(param);
        const label = filter?.label ?? param;
        const flippable = !!filter && capabilities(api).canExclude(filter);
        return values.map((value) => {
          const shown = filter?.field ? valueLabel(filter.field as FieldId, value) : value;
          return (
            <li
              key={`${key}=${value}`}
              data-filter-chip={key}
              className={cn(
                "flex h-7 max-w-full items-center overflow-hidden rounded-md border text-xs",
                negated ? "border-danger/30 bg-danger-soft/50" : "border-line bg-subtle",
              )}
            >
              <span className="pl-2 text-muted">{label}</span>
              {flippable ? (
                <button
                  type="button"
                  onClick={() => search.flipFilter(param, negated, value)}
                  aria-label={`${label} ${negated ? "is not" : "is"} ${value}: switch to ${negated ? "include" : "exclude"}`}
                  title={negated ? "Excluding: click to include" : "Including: click to exclude"}
                  className={cn(
                    "mx-1 rounded px-1 font-medium hover:bg-hover",
                    negated ? "text-danger" : "text-accent",
                  )}
                >
                  {negated ? "is not" : "is"}
                </button>
              ) : (
                <span className="mx-1 px-1 font-medium text-accent">is</span>
              )}
              <span className="truncate font-medium text-fg" title={value}>
                {shown}
              </span>
              <button
                type="button"
                onClick={() => search.removeFilter(key, value)}
                aria-label={`Remove filter ${label} ${negated ? "is not" : "is"} ${value}`}
                className="ml-1 flex h-full items-center px-1.5 text-muted hover:bg-hover hover:text-fg"
              >
                <CloseIcon className="h-3 w-3" />
              </button>
            </li>
          );
        });
      })}
      <li>
        <Button variant="ghost" onClick={search.clearFilters}>
          Clear all
        </Button>
      </li>
    </ul>
  );
}
