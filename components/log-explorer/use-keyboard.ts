"use client";

import { useEffect, useRef } from "react";
import { QUICK_FILTER_ID } from "./filter-input";

export interface KeyboardActions {
  /** Whether a dialog (detail view, shortcuts) is open: it handles its own keys then. */
  dialogOpen: boolean;
  move: (step: 1 | -1) => void;
  openActive: () => void;
  showShortcuts: () => void;
}

const isTyping = (el: Element | null) =>
  !!el &&
  (el.matches("input, textarea, select, [contenteditable=true]") || !!el.closest("[role=dialog], dialog"));

/**
 * Page-wide shortcuts: `/` focuses the filter box, `j`/`k` or the arrows move the highlighted row,
 * `Enter` opens it, `?` lists the shortcuts. Ignored while typing or with modifier keys.
 */
export function useKeyboard(actions: KeyboardActions) {
  const ref = useRef(actions);
  useEffect(() => {
    ref.current = actions;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const a = ref.current;
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (a.dialogOpen || isTyping(document.activeElement)) return;
      const onControl = !!document.activeElement?.closest("button, a, [role=tab], [role=option]");
      switch (event.key) {
        case "/":
          event.preventDefault();
          document.getElementById(QUICK_FILTER_ID)?.focus();
          break;
        case "?":
          event.preventDefault();
          a.showShortcuts();
          break;
        case "j":
        case "ArrowDown":
          event.preventDefault();
          a.move(1);
          break;
        case "k":
        case "ArrowUp":
          event.preventDefault();
          a.move(-1);
          break;
        case "Enter":
          if (onControl) return;
          event.preventDefault();
          a.openActive();
          break;
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}
