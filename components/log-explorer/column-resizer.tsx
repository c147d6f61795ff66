"use client";

import { useRef, type PointerEvent } from "react";

export interface ColumnResizerProps {
  /** The column's width now, in pixels. */
  size: number;
  onPreview: (px: number) => void;
  onCommit: (px: number) => void;
  onReset: () => void;
}

/**
 * The drag handle on a column header's right edge; a double click gives the column its default width
 * back. For the pointer only: the column menu offers the same widths to the keyboard.
 */
export function ColumnResizer({ size, onPreview, onCommit, onReset }: ColumnResizerProps) {
  const start = useRef<{ x: number; size: number } | null>(null);
  const at = (event: PointerEvent) =>
    start.current ? start.current.size + event.clientX - start.current.x : size;

  return (
    <div
      aria-hidden="true"
      data-column-resizer
      onPointerDown={(event) => {
        event.preventDefault();
        event.stopPropagation();
        event.currentTarget.setPointerCapture(event.pointerId);
        start.current = { x: event.clientX, size };
      }}
      onPointerMove={(event) => {
        if (start.current) onPreview(at(event));
      }}
      onPointerUp={(event) => {
        if (!start.current) return;
        onCommit(at(event));
        start.current = null;
      }}
      onPointerCancel={() => {
        if (start.current) onCommit(start.current.size);
        start.current = null;
      }}
      onDoubleClick={onReset}
      className="absolute inset-y-1 right-0 w-1.5 cursor-col-resize touch-none rounded-sm hover:bg-accent/60"
    />
  );
}
