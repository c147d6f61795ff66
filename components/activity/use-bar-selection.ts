"use client";

import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";

export interface BarRange {
  from: number;
  to: number;
}

const ordered = (a: number, b: number): BarRange => ({ from: Math.min(a, b), to: Math.max(a, b) });

/**
 * Pointer and keyboard handling of the bar strip: hover, a roving focus (one tab stop; arrows, Home,
 * End), and a selection made by dragging across bars or with Shift+arrows. Enter zooms into the
 * selection, or into the focused bar; Escape drops the selection.
 */
export function useBarSelection(count: number, onZoom: (range: BarRange) => void) {
  const [hover, setHover] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const [cursor, setCursor] = useState(count - 1);
  const [selection, setSelection] = useState<{ anchor: number; current: number } | null>(null);
  const drag = useRef<{ anchor: number; current: number } | null>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const at = (e: PointerEvent<HTMLElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return Math.min(count - 1, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * count)));
  };

  const moveTo = useCallback(
    (i: number, extend: boolean) => {
      const next = Math.min(count - 1, Math.max(0, i));
      setSelection((s) => (extend ? { anchor: s?.anchor ?? cursor, current: next } : null));
      setCursor(next);
      buttons.current[next]?.focus();
    },
    [count, cursor],
  );

  const pointer = {
    onPointerDown(e: PointerEvent<HTMLElement>) {
      if (e.button !== 0) return;
      const i = at(e);
      drag.current = { anchor: i, current: i };
      setSelection(drag.current);
      e.currentTarget.setPointerCapture(e.pointerId);
    },
    onPointerMove(e: PointerEvent<HTMLElement>) {
      const i = at(e);
      setHover(i);
      if (drag.current && drag.current.current !== i) {
        drag.current = { ...drag.current, current: i };
        setSelection(drag.current);
      }
    },
    onPointerUp(e: PointerEvent<HTMLElement>) {
      const d = drag.current;
      drag.current = null;
      setSelection(null);
      if (!d) return;
      setCursor(at(e));
      // A plain click only shows the bar; zooming takes a drag across at least two bars.
      if (d.anchor !== d.current) onZoom(ordered(d.anchor, d.current));
    },
    onPointerCancel() {
      drag.current = null;
      setSelection(null);
    },
    onPointerLeave() {
      if (!drag.current) setHover(null);
    },
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const keys: Record<string, number> = {
      ArrowLeft: cursor - 1,
      ArrowRight: cursor + 1,
      Home: 0,
      End: count - 1,
    };
    if (e.key in keys) {
      e.preventDefault();
      moveTo(keys[e.key], e.shiftKey);
      setFocused(Math.min(count - 1, Math.max(0, keys[e.key])));
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onZoom(selection ? ordered(selection.anchor, selection.current) : { from: cursor, to: cursor });
      setSelection(null);
    } else if (e.key === "Escape" && selection) {
      e.preventDefault();
      setSelection(null);
    }
  };

  return {
    /** The bar whose details are shown: the hovered one, else the focused one. */
    active: hover ?? focused,
    /** The one bar in the tab order. */
    cursor: Math.min(cursor, count - 1),
    selection:
      selection && selection.anchor !== selection.current
        ? ordered(selection.anchor, selection.current)
        : null,
    buttons,
    pointer,
    onKeyDown,
    /** A bar took focus; its details show only for keyboard focus (a click shows them by hovering). */
    onFocusBar: (i: number, e: { currentTarget: Element }) => {
      setCursor(i);
      setFocused(e.currentTarget.matches(":focus-visible") ? i : null);
    },
    onBlurBar: () => setFocused(null),
  };
}
