"use client";

import { useCallback } from "react";
import { useStoredValue } from "@/lib/use-stored-value";

/**
 * Whether the overview is shown: open unless the user hid it, remembered in this browser. `null` while
 * hydrating, when the browser's choice is not known yet (shown open, but nothing is fetched).
 */
export function usePanelOpen(): [boolean | null, () => void] {
  const [stored, setStored] = useStoredValue("activity-overview");
  const open = stored === undefined ? null : stored !== "hidden";
  const toggle = useCallback(() => setStored(stored === "hidden" ? null : "hidden"), [stored, setStored]);
  return [open, toggle];
}
