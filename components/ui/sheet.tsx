"use client";

import { useEffect, useRef, type KeyboardEventHandler, type ReactNode } from "react";
import { cn } from "./cn";
import { CloseIcon } from "./icons";

export interface ModalProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Id of the element naming the dialog (its title). */
  labelledBy: string;
  describedBy?: string;
  children: ReactNode;
  className?: string;
  onKeyDown?: KeyboardEventHandler<HTMLDialogElement>;
}

/**
 * A modal on the platform's `<dialog>`: the browser makes the page behind it inert, closes it on Esc
 * and returns focus afterwards. The panel itself takes focus when it opens.
 */
export function Modal({
  open,
  onOpenChange,
  labelledBy,
  describedBy,
  children,
  className,
  onKeyDown,
}: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      tabIndex={-1}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onClose={() => onOpenChange(false)}
      onKeyDown={onKeyDown}
      // A click on the backdrop lands on the <dialog> itself; the content fills it completely.
      onClick={(event) => event.target === event.currentTarget && onOpenChange(false)}
      className={cn(
        "bg-surface text-fg outline-none backdrop:bg-black/25 dark:backdrop:bg-black/55",
        className,
      )}
    >
      {open && children}
      <button
        type="button"
        aria-label="Close"
        onClick={() => onOpenChange(false)}
        className="absolute top-3 right-3 inline-flex h-7 w-7 items-center justify-center rounded-md text-muted hover:bg-hover hover:text-fg"
      >
        <CloseIcon />
      </button>
    </dialog>
  );
}

/** A modal panel along the right edge: the detail view. */
export function Sheet(props: ModalProps) {
  return (
    <Modal
      {...props}
      className={cn(
        "fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-none w-full max-w-[min(760px,100vw)] border-l border-line p-0 shadow-pop",
        props.className,
      )}
    />
  );
}
