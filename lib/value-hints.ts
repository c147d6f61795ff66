/**
 * Values worth offering for a filter: its known options, the activity overview's top values (with
 * their counts) and the values in the loaded rows, most frequent first.
 */
import type { AuditLog, FilterDef } from "./audit-log";
import type { StatsResponse } from "./stats";

export interface ValueHint {
  value: string;
  /** Entries with this value in the overview's window, when the overview counted it. */
  count?: number;
}

/** The overview's count of each value of a filter, or null when the overview does not count that field. */
export function overviewCounts(param: string, stats: StatsResponse | undefined): Map<string, number> | null {
  if (!stats) return null;
  const { top, totals } = stats;
  const list =
    param === "action_type"
      ? top.actionTypes
      : param === "resource_product"
        ? top.products
        : param === "actor_ip_address"
          ? top.ips
          : param === "actor_email" || param === "actor_id" || param === "actor_token_name"
            ? top.actors.filter((a) => a.param === param)
            : param === "action_result"
              ? [
                  { value: "success", count: totals.success },
                  { value: "failure", count: totals.failure },
                ]
              : null;
  return list ? new Map(list.map((v) => [v.value, v.count])) : null;
}

/** Up to `limit` values of `filter` starting with (or else containing) `typed`, case-insensitively. */
export function valueHints(
  filter: FilterDef,
  typed: string,
  stats: StatsResponse | undefined,
  rows: readonly AuditLog[],
  limit = 8,
): ValueHint[] {
  const counts = overviewCounts(filter.param, stats);
  const seen = new Map<string, number>();
  for (const option of filter.options ?? []) seen.set(option, 0);
  for (const [value, count] of counts ?? []) seen.set(value, Math.max(seen.get(value) ?? 0, count));
  if (filter.field) {
    for (const row of rows) {
      const value = row[filter.field as keyof AuditLog];
      if (typeof value === "string" && value !== "" && !seen.has(value)) seen.set(value, 0);
    }
  }
  const t = typed.toLowerCase();
  const all = [...seen].map(([value]) => value);
  const starts = all.filter((v) => v.toLowerCase().startsWith(t));
  const contains = all.filter((v) => !v.toLowerCase().startsWith(t) && v.toLowerCase().includes(t));
  return [...starts, ...contains]
    .sort((a, b) => (counts?.get(b) ?? 0) - (counts?.get(a) ?? 0))
    .slice(0, limit)
    .map((value) => (counts?.has(value) ? { value, count: counts.get(value) } : { value }));
}
