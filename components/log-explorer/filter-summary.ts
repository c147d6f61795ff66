import { getFilter, type FieldId } from "@/lib/audit-log";
import type { activeFilters } from "@/lib/search-params";
import { valueLabel } from "./cell-value";

/** `Action type is delete or update; Actor email is not bob@example.com`, or `no filters`. */
export function describeFilters(filters: ReturnType<typeof activeFilters>): string {
  if (filters.length === 0) return "no filters";
  return filters
    .map(({ param, negated, values }) => {
      const filter = getFilter(param);
      const shown = values.map((v) => (filter?.field ? valueLabel(filter.field as FieldId, v) : v));
      return `${filter?.label ?? param} ${negated ? "is not" : "is"} ${shown.join(" or ")}`;
    })
    .join("; ");
}
