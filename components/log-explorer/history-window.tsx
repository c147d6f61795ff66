"use client";

import { HISTORY_WINDOWS } from "@/lib/queries";

const label = (days: number) => (days === 548 ? "±18 months (retention)" : `±${days} days`);

/** How far around the entry the history looks: its own window, up to what Cloudflare keeps. */
export function HistoryWindow({ days, onChange }: { days: number; onChange: (days: number) => void }) {
  return (
    <label className="flex items-center gap-2 text-xs text-muted">
      Look for changes within
      <select
        value={days}
        onChange={(e) => onChange(Number(e.target.value))}
        className="rounded-md border border-line bg-surface px-2 py-1 text-xs text-fg"
      >
        {HISTORY_WINDOWS.map((d) => (
          <option key={d} value={d}>
            {label(d)}
          </option>
        ))}
      </select>
      of this entry
    </label>
  );
}
