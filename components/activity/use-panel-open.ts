"use client";

import { useCallback } from "react";
import { useMediaQuery } from "@/lib/use-media-query";
import { useStoredValue } from "@/lib/use-stored-value";

/** Below this size the chart would leave the table a few rows, so the overview starts collapsed. */
export const ROOMY_SCREEN = "(min-width: 1100px) and (min-height: 800px)";

/**
 * Whether the overview is shown: the user's last choice, remembered in this browser; without one, open
 * on a roomy screen and collapsed on a small or short one. `null` while hydrating, when neither is
 * known yet (shown open, but nothing is fetched).
 */
export function usePanelOpen(): [boolean | null, () => void] {
  const [stored, setStored] = useStoredValue("activity-overview");
  const roomy = useMediaQuery(ROOMY_SCREEN);
  const open =
    stored === undefined || roomy === undefined ? null : stored === null ? roomy : stored !== "hidden";
  const toggle = useCallback(() => setStored(open === false ? "shown" : "hidden"), [open, setStored]);
  return [open, toggle];
}
