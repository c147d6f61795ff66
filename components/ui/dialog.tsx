"use client";

import { cn } from "./cn";
import { Modal, type ModalProps } from "./sheet";

/** A centred modal dialog. */
export function Dialog(props: ModalProps) {
  return (
    <Modal
      {...props}
      className={cn(
        "m-auto w-[min(440px,calc(100vw-2rem))] rounded-xl border border-line p-0 shadow-pop",
        props.className,
      )}
    />
  );
}
