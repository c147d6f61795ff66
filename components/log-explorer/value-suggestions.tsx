"use client";

import { useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useMemo } from "react";
import type { AuditLog } from "@/lib/audit-log";
import { closest } from "@/lib/did-you-mean";
import { logKeys, type LogPage } from "@/lib/queries";
import type { FilterKey, LogQuery } from "@/lib/search-params";
import { pinnedToWindow, statsQueryOptions } from "@/lib/stats-query";
import type { StatsResponse } from "@/lib/stats";
import { Button } from "@/components/ui/button";
import { useExplorer } from "./explorer-context";

/** Filters the upstream matches exactly and case-sensitively, where a slip empties the result. */
const EXACT: Record<
  string,
  { label: string; field: keyof AuditLog; fromStats: (s: StatsResponse) => string[] }
> = {
  resource_type: {
    label: "resource type",
    field: "resourceType",
    fromStats: (s) => (s.top.resourceTypes ?? []).map((t) => t.value),
  },
  actor_email: {
    label: "actor email",
    field: "actorEmail",
    fromStats: (s) => s.top.actors.filter((a) => a.param === "actor_email").map((a) => a.value),
  },
  actor_token_name: {
    label: "token name",
    field: "actorTokenName",
    fromStats: (s) => s.top.actors.filter((a) => a.param === "actor_token_name").map((a) => a.value),
  },
};

/** Values of `field` in every list of entries already loaded in this session. */
function loadedValues(pages: (InfiniteData<LogPage> | undefined)[], field: keyof AuditLog): string[] {
  const out = new Set<string>();
  for (const data of pages)
    for (const page of data?.pages ?? [])
      for (const row of page.data) {
        const value = row[field];
        if (typeof value === "string" && value) out.add(value);
      }
  return [...out];
}

/**
 * For an empty result: which exact-match filter values are near a value the data uses ("did you mean
 * Access policy?"), from the overview's counts of the same window without those filters and from the
 * entries already loaded. One click swaps the value.
 */
export function ValueSuggestions({ window }: { window: { since: string; before: string } | null }) {
  const { search } = useExplorer();
  const queryClient = useQueryClient();
  const exact = search.filters.filter((f) => !f.negated && f.param in EXACT);
  const base = useMemo(() => {
    const q: Partial<LogQuery> = { ...search.query };
    for (const f of exact) delete q[f.key];
    return pinnedToWindow(q as LogQuery, window);
  }, [search.query, exact, window]);
  const stats = useQuery({ ...statsQueryOptions(base), enabled: exact.length > 0 });
  if (exact.length === 0) return null;

  const loaded = queryClient
    .getQueriesData<InfiniteData<LogPage>>({ queryKey: [...logKeys.all, "list"] })
    .map(([, data]) => data);
  const offers: { key: FilterKey; label: string; typed: string; value: string }[] = [];
  for (const f of exact) {
    const def = EXACT[f.param];
    const known = [...(stats.data ? def.fromStats(stats.data) : []), ...loadedValues(loaded, def.field)];
    for (const typed of f.values) {
      const value = closest(typed, known);
      if (value) offers.push({ key: f.key, label: def.label, typed, value });
    }
  }

  return (
    <div className="mt-2 space-y-2 text-muted">
      <p>
        {exact
          .map((f) => EXACT[f.param].label)
          .join(", ")
          .replace(/^./, (c) => c.toUpperCase())}{" "}
        must match exactly, letter case included.
      </p>
      {offers.map((o) => (
        <p key={`${o.key}:${o.typed}`}>
          No entry has the {o.label} “{o.typed}”. Did you mean{" "}
          <Button
            variant="ghost"
            onClick={() =>
              search.setValues(
                o.key,
                (search.query[o.key] ?? []).map((v) => (v === o.typed ? o.value : v)),
              )
            }
          >
            {o.value}
          </Button>
          ?
        </p>
      ))}
    </div>
  );
}
