"use client";

import { useState } from "react";
import { filterKind, type FilterDef } from "@/lib/audit-log";
import type { FilterKey } from "@/lib/search-params";
import { cn } from "@/components/ui/cn";
import { useExplorer } from "./explorer-context";
import { ValueCountsNote } from "./value-count";
import { EnumOptions, ValueEntry } from "./filter-values";
import { ProductCategoryOptions } from "./product-category-options";

/** Edit one filter: tick known values of an enum, or type values that are checked before they apply. */
export function FilterEditor({ filter }: { filter: FilterDef }) {
  const { api, search } = useExplorer();
  const negatable = filter.negatable && api === "v2";
  const [exclude, setExclude] = useState(false);
  const key = (exclude ? `${filter.param}.not` : filter.param) as FilterKey;
  const values = search.search[key] ?? [];
  const kind = filterKind(filter, api);

  return (
    <div className="w-72 space-y-2 p-1">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold text-fg">{filter.label}</h3>
        {negatable && (
          <div role="group" aria-label="Match" className="flex rounded-md border border-line p-0.5 text-2xs">
            {[false, true].map((ex) => (
              <button
                key={String(ex)}
                type="button"
                aria-pressed={exclude === ex}
                onClick={() => setExclude(ex)}
                className={cn(
                  "rounded px-2 py-0.5 font-medium",
                  exclude === ex ? "bg-hover text-fg" : "text-muted hover:text-fg",
                )}
              >
                {ex ? "Exclude" : "Include"}
              </button>
            ))}
          </div>
        )}
      </div>
      {filter.param === "product_category" ? (
        <ProductCategoryOptions values={values} />
      ) : kind === "enum" ? (
        <>
          <EnumOptions filter={filter} exclude={exclude} values={values} filterKey={key} />
          <ValueCountsNote param={filter.param} />
          <ValueEntry filter={filter} kind={kind} exclude={exclude} values={[]} filterKey={key} />
        </>
      ) : (
        <ValueEntry filter={filter} kind={kind} exclude={exclude} values={values} filterKey={key} />
      )}
    </div>
  );
}
