"use client";

import { useCallback, useSyncExternalStore } from "react";

const KEY = "activity-overview";
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(): boolean {
  try {
    return localStorage.getItem(KEY) !== "hidden";
  } catch {
    return true;
  }
}

/**
 * Whether the overview is shown: open unless the user hid it, remembered in this browser. `null` while
 * hydrating, when the browser's choice is not known yet (shown open, but nothing is fetched).
 */
export function usePanelOpen(): [boolean | null, () => void] {
  const open = useSyncExternalStore<boolean | null>(subscribe, read, () => null);
  const toggle = useCallback(() => {
    try {
      if (read()) localStorage.setItem(KEY, "hidden");
      else localStorage.removeItem(KEY);
    } catch {
      // Storage refused (private mode): nothing to remember.
    }
    listeners.forEach((l) => l());
  }, []);
  return [open, toggle];
}
