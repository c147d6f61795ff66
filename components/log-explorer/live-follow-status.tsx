"use client";

import { formatTimestamp } from "@/lib/format";
import type { LogQuery } from "@/lib/search-params";
import { useLiveFollow, type LiveState } from "./use-live-follow";

function statusText(state: LiveState, zone: "utc" | "local"): string {
  const time = (at: number) => formatTimestamp(new Date(at), zone).slice(11);
  switch (state.kind) {
    case "off":
      return "";
    case "waiting":
      return "Live: waiting for the first check";
    case "paused":
      return state.why === "hidden"
        ? "Live: paused while this tab is hidden"
        : "Live: paused while you read older entries (scroll to the top to resume)";
    case "checked":
      return `Live: checked ${time(state.at)}${state.added > 0 ? `, ${state.added} new` : ""}`;
    case "failed":
      return `Live: the check at ${time(state.at)} failed; trying again`;
  }
}

/** Marks rows that just arrived, for a few seconds, without the table having to know about live mode. */
function NewRowMarks({ ids }: { ids: string[] }) {
  if (ids.length === 0) return null;
  const selector = ids.map((id) => `[data-row-id="${CSS.escape(id)}"]`).join(",");
  return (
    <style>{`${selector}{background:var(--accent-soft);box-shadow:inset 3px 0 0 var(--accent);transition:background 1s}`}</style>
  );
}

/**
 * Follows new entries while mounted (live mode on) and says how it goes. Loaded on demand: most views
 * never turn live mode on.
 */
export function LiveFollowStatus({ query, zone }: { query: LogQuery; zone: "utc" | "local" }) {
  const { state, fresh } = useLiveFollow(query, true);
  return (
    <>
      <span role="status" className="text-muted">
        {statusText(state, zone)}
      </span>
      <NewRowMarks ids={fresh} />
    </>
  );
}
