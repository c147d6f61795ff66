"use client";

import { Suspense, useState } from "react";
import {
  formatRange,
  formatWindow,
  fromDateTimeInputs,
  toDateTimeInputs,
  toIsoInstant,
  type DisplayZone,
} from "@/lib/format";
import { RANGE_PRESETS, resolveTimeWindow } from "@/lib/search-params";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ChevronDownIcon, ClockIcon } from "@/components/ui/icons";
import { lazyWithPreload, preloadOn } from "@/components/ui/lazy";
import { PanelSkeleton } from "@/components/ui/panel-skeleton";
import { Popover } from "@/components/ui/popover";
import { useExplorer, useIsClient } from "./explorer-context";
import { focusTable } from "./log-table";

// The custom range's form loads on demand: the presets show at once meanwhile.
const CustomRange = lazyWithPreload(() => import("./custom-range").then((m) => m.CustomRange));

/**
 * Relative presets (the link stays relative) or a custom absolute window entered in the display zone
 * (UTC or local), written to the URL as RFC 3339 `since`/`before`.
 */
export function TimeRangePicker({ window: shown }: { window: { since: string; before: string } | null }) {
  const { zone, search } = useExplorer();
  const { query } = search;
  const [open, setOpen] = useState(false);
  const isClient = useIsClient();
  const custom = !!query.since;
  // After a choice the user goes back to the entries, not to this button: `j` then Enter opens a row.
  const close = () => {
    setOpen(false);
    requestAnimationFrame(focusTable);
  };
  const label = custom
    ? zone === "local" && !isClient
      ? "Custom range"
      : formatWindow(query.since!, query.before ?? new Date(), zone)
    : formatRange(query.range);

  return (
    <Popover
      label="Time range"
      open={open}
      onOpenChange={setOpen}
      className="p-3"
      trigger={
        <Button
          aria-label={`Time range: ${label}`}
          data-shortcut="r"
          title="Time range (r)"
          {...preloadOn(CustomRange)}
        >
          <ClockIcon className="text-muted" />
          <span className="max-w-80 truncate">{label}</span>
          <ChevronDownIcon className="text-faint" />
        </Button>
      }
    >
      <div className="flex gap-3">
        <div
          role="group"
          aria-label="Relative range"
          className="flex w-36 flex-col gap-0.5 border-r border-line pr-3"
        >
          {RANGE_PRESETS.map((preset) => {
            const active = !custom && query.range === preset;
            return (
              <button
                key={preset}
                type="button"
                aria-pressed={active}
                onClick={() => {
                  search.setRange(preset);
                  close();
                }}
                className={cn(
                  "rounded px-2 py-1.5 text-left text-xs hover:bg-hover",
                  active ? "bg-accent-soft font-medium text-accent" : "text-fg",
                )}
              >
                {formatRange(preset)}
              </button>
            );
          })}
          <button
            type="button"
            onClick={() => {
              const day = yesterday(shown ? new Date(shown.before) : new Date(), zone);
              search.setWindow(day.since, day.before);
              close();
            }}
            className="rounded px-2 py-1.5 text-left text-xs text-fg hover:bg-hover"
          >
            Yesterday
          </button>
        </div>
        <Suspense fallback={<PanelSkeleton />}>
          <CustomRange
            initial={shown ?? windowOf(query)}
            onApply={(since, before) => {
              search.setWindow(since, before);
              close();
            }}
          />
        </Suspense>
      </div>
    </Popover>
  );
}

function windowOf(query: Parameters<typeof resolveTimeWindow>[0]) {
  const w = resolveTimeWindow(query);
  return { since: w.since.toISOString(), before: w.before.toISOString() };
}

/**
 * The whole day before `now`'s day in the display zone. `now` is the data's clock (the end of the
 * table's window) when known, so the day is the one before the newest entries, whatever this browser's
 * clock says.
 */
function yesterday(now: Date, zone: DisplayZone): { since: string; before: string } {
  const today = fromDateTimeInputs(toDateTimeInputs(now, zone).date, "00:00", zone)!;
  // Half a day back lands inside yesterday, even across a daylight-saving change.
  const previous = new Date(today.getTime() - 12 * 3_600_000);
  const start = fromDateTimeInputs(toDateTimeInputs(previous, zone).date, "00:00", zone)!;
  return { since: toIsoInstant(start), before: toIsoInstant(today) };
}
