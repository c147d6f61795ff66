"use client";

import { useExplorer } from "./explorer-context";

/** v1's `hide_user_logs`: leave out user-level entries (sign-ins, a user's own API tokens). */
export function HideUserLogsToggle() {
  const { search } = useExplorer();
  const on = search.search.hide_user_logs;
  return (
    <label
      className="flex h-7 cursor-pointer items-center gap-1.5 rounded-md border border-dashed border-line px-2 text-xs"
      title="Leave out entries about a user's own account, such as sign-ins and personal API tokens"
    >
      <input
        type="checkbox"
        checked={on}
        onChange={(e) => search.setHideUserLogs(e.target.checked)}
        className="h-3.5 w-3.5 accent-[var(--accent)]"
      />
      Hide user logs
    </label>
  );
}
