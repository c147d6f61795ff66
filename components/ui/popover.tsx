"use client";

import {
  cloneElement,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ReactElement,
  type ReactNode,
  type Ref,
} from "react";
import { cn } from "./cn";

const GAP = 6;
const MARGIN = 8;

export interface PopoverProps {
  /** A `<button>` element (e.g. `<Button>`): it toggles the popover natively (`popovertarget`). */
  trigger: ReactElement<{ ref?: Ref<HTMLButtonElement> }>;
  /** The panel's accessible name. */
  label: string;
  children: ReactNode;
  align?: "start" | "end";
  className?: string;
  /** Controlled open state (optional). */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}

/**
 * A floating panel on the platform's popover API: top layer, light dismiss (outside click, Esc) and
 * focus order come from the browser; this only places it under its trigger. Content mounts while open.
 */
export function Popover({
  trigger,
  label,
  children,
  align = "start",
  className,
  open,
  onOpenChange,
}: PopoverProps) {
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const anchor = useRef<HTMLButtonElement>(null);
  const [isOpen, setIsOpen] = useState(false);

  const place = useCallback(() => {
    const el = panel.current;
    const rect = anchor.current?.getBoundingClientRect();
    if (!el || !rect) return;
    const width = el.offsetWidth;
    const left = align === "end" ? rect.right - width : rect.left;
    const top = rect.bottom + GAP;
    el.style.left = `${Math.max(MARGIN, Math.min(left, window.innerWidth - width - MARGIN))}px`;
    el.style.top = `${top}px`;
    el.style.maxHeight = `${window.innerHeight - top - MARGIN}px`;
  }, [align]);

  useLayoutEffect(() => {
    if (!isOpen) return;
    place();
    window.addEventListener("resize", place);
    return () => window.removeEventListener("resize", place);
  }, [isOpen, place]);

  useEffect(() => {
    const el = panel.current;
    if (open === undefined || !el) return;
    if (open && !el.matches(":popover-open")) el.showPopover();
    if (!open && el.matches(":popover-open")) el.hidePopover();
  }, [open]);

  return (
    <>
      {cloneElement(trigger, {
        ref: anchor,
        popoverTarget: id,
        "aria-expanded": isOpen,
        "aria-haspopup": "dialog",
      } as object)}
      <div
        id={id}
        ref={panel}
        popover="auto"
        role="dialog"
        aria-label={label}
        onToggle={(event) => {
          const next = (event.nativeEvent as ToggleEvent).newState === "open";
          setIsOpen(next);
          onOpenChange?.(next);
        }}
        className={cn(
          "fixed inset-auto m-0 overflow-auto rounded-lg border border-line bg-surface p-2 text-sm text-fg shadow-pop",
          className,
        )}
      >
        {isOpen ? children : null}
      </div>
    </>
  );
}
