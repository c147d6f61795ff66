"use client";

import Link from "next/link";
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import type { AuditLog } from "@/lib/audit-log";
import { PIVOT_SPANS, pivotHref, pivotsFor, type PivotSpan } from "@/lib/pivot";
import { useExplorer } from "./explorer-context";

/**
 * "Around this entry": what the same actor or address did near its time, that resource's changes, or
 * that Ray ID. Each is a link (it opens in a new tab too) with the window pinned and the entry open.
 */
export function AroundEntry({ entry }: { entry: AuditLog }) {
  const { api, search } = useExplorer();
  const [span, setSpan] = useState<PivotSpan>("1h");
  const pivots = pivotsFor(entry, api);
  if (pivots.length === 0) return null;

  return (
    <section aria-labelledby="around-entry" className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="around-entry" className="text-2xs font-semibold tracking-wide text-faint uppercase">
          Around this entry
        </h3>
        <div
          role="group"
          aria-label="Time around the entry"
          className="flex rounded-md border border-line p-0.5"
        >
          {PIVOT_SPANS.map((s) => (
            <button
              key={s.id}
              type="button"
              aria-pressed={span === s.id}
              onClick={() => setSpan(s.id)}
              className={cn(
                "rounded px-1.5 text-xs font-medium",
                span === s.id ? "bg-hover text-fg shadow-xs" : "text-muted hover:text-fg",
              )}
            >
              {s.label}
            </button>
          ))}
        </div>
      </div>
      <ul className="flex flex-wrap gap-1.5">
        {pivots.map((pivot) => (
          <li key={pivot.id}>
            <Link
              href={pivotHref(entry, pivot, span, search.search)}
              title={`${pivot.param}:${pivot.value}`}
              className="inline-flex h-7 items-center rounded-md border border-line px-2 text-xs font-medium text-accent hover:bg-hover"
            >
              {pivot.label}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
