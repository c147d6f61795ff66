"use client";

import { useCallback, useSyncExternalStore } from "react";

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * A preference remembered in this browser (localStorage), kept in step across components and tabs.
 * `undefined` while rendering on the server or hydrating, when the browser's value is not known yet;
 * `null` when nothing is stored. Setting `null` forgets the value.
 */
export function useStoredValue(key: string): [string | null | undefined, (value: string | null) => void] {
  const value = useSyncExternalStore<string | null | undefined>(
    subscribe,
    () => read(key),
    () => undefined,
  );
  const set = useCallback(
    (next: string | null) => {
      try {
        if (next === null) localStorage.removeItem(key);
        else localStorage.setItem(key, next);
      } catch {
        // Storage refused (private mode): the choice lasts for this page only.
      }
      listeners.forEach((l) => l());
    },
    [key],
  );
  return [value, set];
}
