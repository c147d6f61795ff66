"use client";

import { useId, useState, type KeyboardEvent } from "react";
import { getFilter, type ApiVersion } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import { formatCount } from "@/lib/format";
import { checkFilterValue } from "@/lib/search-params";
import type { TopValue } from "@/lib/stats";

/** Adds a filter for a value (`exclude`: the `.not` form). */
export type OnFilter = (param: string, value: string, exclude: boolean) => void;

interface TopValuesProps<T extends TopValue> {
  title: string;
  /** The URL parameter a value filters on, or per value (actors are identified by different fields). */
  param: string | ((v: T) => string);
  values: T[];
  /** Count the bars are scaled to (the entries counted). */
  total: number;
  api: ApiVersion;
  onFilter: OnFilter;
}

const STEPS: Record<string, (index: number, last: number) => number> = {
  ArrowDown: (i, last) => Math.min(last, i + 1),
  ArrowUp: (i) => Math.max(0, i - 1),
  Home: () => 0,
  End: (_, last) => last,
};

/** Arrow keys, Home and End move focus between a card's buttons; Tab leaves the card. */
function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
  const step = STEPS[event.key];
  if (!step || event.altKey || event.ctrlKey || event.metaKey) return;
  const buttons = Array.from(event.currentTarget.querySelectorAll("button"));
  const from = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (from < 0) return;
  // Handled here, so the page's arrow keys do not move the table's highlight too.
  event.preventDefault();
  buttons[step(from, buttons.length - 1)]?.focus();
}

/**
 * One card of top values with their counts. A value is a button that adds it as a filter (Shift: as an
 * exclusion) when the active API can filter on it; otherwise it is plain text. The card is one Tab
 * stop: the arrow keys move between its values.
 */
export function TopValues<T extends TopValue>({
  title,
  param,
  values,
  total,
  api,
  onFilter,
}: TopValuesProps<T>) {
  const headingId = useId();
  const [focused, setFocused] = useState<string | null>(null);
  const keyOf = (v: T) => `${typeof param === "function" ? param(v) : param}:${v.value}`;
  const canFilterOn = (v: T) => {
    const filter = getFilter(typeof param === "function" ? param(v) : param);
    return !!filter && capabilities(api).supports(filter) && checkFilterValue(filter, v.value, api) === null;
  };
  // The one value reached by Tab: the last one focused, else the first that can be clicked.
  const tabStop =
    focused !== null && values.some((v) => keyOf(v) === focused && canFilterOn(v))
      ? focused
      : (values.filter(canFilterOn).map(keyOf)[0] ?? null);
  return (
    <section
      aria-labelledby={headingId}
      className="min-w-0 rounded-md border border-line bg-surface px-2 py-1.5"
    >
      <h3 id={headingId} className="px-1 text-2xs font-medium tracking-wide text-muted uppercase">
        {title}
      </h3>
      {values.length === 0 ? (
        <p className="px-1 py-1 text-xs text-muted">None</p>
      ) : (
        <ul className="mt-0.5" onKeyDown={moveFocus}>
          {values.map((v) => {
            const p = typeof param === "function" ? param(v) : param;
            const filter = getFilter(p);
            const canFilter = !!filter && canFilterOn(v);
            const canExclude = canFilter && capabilities(api).canExclude(filter);
            const share = total > 0 ? Math.max(2, (v.count / total) * 100) : 0;
            const body = (
              <>
                <span
                  aria-hidden="true"
                  className="absolute inset-y-0.5 left-0 rounded-sm bg-accent-soft"
                  style={{ width: `${share}%` }}
                />
                {canFilter && <span className="sr-only">Filter by {filter.label.toLowerCase()} </span>}
                <span className="relative min-w-0 flex-1 truncate">{v.value}</span>
                <span className="relative font-mono text-muted tabular-nums">
                  <span className="sr-only">: </span>
                  {formatCount(v.count)}
                  <span className="sr-only"> entries</span>
                </span>
              </>
            );
            const row = "relative flex h-5 w-full items-center gap-2 rounded-sm px-1 text-left text-xs";
            const key = keyOf(v);
            return (
              <li key={key}>
                {canFilter ? (
                  <button
                    type="button"
                    className={`${row} hover:bg-hover`}
                    data-value={v.value}
                    tabIndex={key === tabStop ? 0 : -1}
                    onFocus={() => setFocused(key)}
                    title={`${v.value}: click to filter${canExclude ? ", Shift+click to exclude" : ""}`}
                    onClick={(e) => onFilter(p, v.value, canExclude && e.shiftKey)}
                  >
                    {body}
                  </button>
                ) : (
                  <div className={row} title={v.value}>
                    {body}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
