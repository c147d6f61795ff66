"use client";

import { useEffect, useRef } from "react";
import { QUICK_FILTER_ID } from "./filter-input";
import { focusTable } from "./log-table";

export interface KeyboardActions {
  move: (step: 1 | -1) => void;
  openActive: () => void;
  showShortcuts: () => void;
}

/** Keys that open a toolbar menu: the menu's trigger carries `data-shortcut` with its key. */
export const MENU_KEYS = { r: "Change the time range", e: "Export", s: "Share this view" } as const;

const isTyping = (el: Element | null) =>
  !!el &&
  (el.matches("input, textarea, select, [contenteditable=true]") || !!el.closest("[role=dialog], dialog"));

/**
 * Whether a modal (the detail view, the shortcuts) is open: it handles its own keys then. Read from the
 * page, not from React state, which lags a moment behind a dialog the browser closed on Esc.
 */
const modalOpen = () => document.querySelector("dialog[open]") !== null;

/** Whether a menu (a popover) is open: its keys are its own, even while focus is still on its trigger. */
const menuOpen = () => document.querySelector(":popover-open") !== null;

function openMenu(key: string) {
  const trigger = document.querySelector<HTMLButtonElement>(`[data-shortcut="${key}"]`);
  if (!trigger) return;
  // Focus first, so Tab continues into the menu and Esc brings focus back here.
  trigger.focus();
  trigger.click();
}

/**
 * Page-wide shortcuts: `/` focuses the filter box, `t` the table, `j`/`k` or the arrows move the
 * highlighted row, `Enter` opens it, `r`/`e`/`s` open the time range, export and share menus, `?` lists
 * the shortcuts. Ignored while typing, while a menu is open, or with modifier keys.
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
      if (modalOpen() || menuOpen() || isTyping(document.activeElement)) return;
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
        case "t":
          event.preventDefault();
          focusTable();
          break;
        case "r":
        case "e":
        case "s":
          event.preventDefault();
          openMenu(event.key);
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
