"use client";

import { useQuery } from "@tanstack/react-query";
import { productCategoriesQueryOptions, toProblem } from "@/lib/queries";
import { Skeleton } from "@/components/ui/skeleton";
import { useExplorer } from "./explorer-context";

/**
 * The account's product categories, as Cloudflare lists them, to tick: each stands for a set of
 * products and is combined with any resource product filter. Inclusion only.
 */
export function ProductCategoryOptions({ values }: { values: string[] }) {
  const { search } = useExplorer();
  const categories = useQuery(productCategoriesQueryOptions(search.query.account));
  if (categories.isPending) return <Skeleton className="h-20 w-full" />;
  if (categories.isError)
    return (
      <p role="alert" className="text-xs text-danger">
        {toProblem(categories.error).detail}
      </p>
    );
  const known = categories.data.map((c) => c.value);
  const unknown = values.filter((v) => !known.some((k) => k.toLowerCase() === v.toLowerCase()));
  return (
    <ul className="max-h-72 space-y-0.5 overflow-auto" aria-label="Product categories">
      {[...categories.data, ...unknown.map((value) => ({ value, label: value, products: [] }))].map((c) => {
        const checked = values.some((v) => v.toLowerCase() === c.value.toLowerCase());
        return (
          <li key={c.value}>
            <label
              className="flex cursor-pointer items-start gap-2 rounded px-1.5 py-1 hover:bg-hover"
              title={c.products.map((p) => p.label).join(", ")}
            >
              <input
                type="checkbox"
                checked={checked}
                onChange={() =>
                  checked
                    ? search.removeFilter("product_category", c.value)
                    : search.addFilter("product_category", false, c.value)
                }
                className="mt-0.5 h-3.5 w-3.5 accent-[var(--accent)]"
              />
              <span className="min-w-0">
                <span className="block">{c.label}</span>
                {c.products.length > 0 && (
                  <span className="block truncate text-2xs text-faint">
                    {c.products.map((p) => p.label).join(", ")}
                  </span>
                )}
              </span>
              <span className="ml-auto font-mono text-2xs text-faint">{c.value}</span>
            </label>
          </li>
        );
      })}
    </ul>
  );
}
