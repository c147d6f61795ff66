"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type ReactNode } from "react";
import { formatCount } from "@/lib/format";
import { cn } from "@/components/ui/cn";
import { TableHeader } from "./table-header";
import { TableSkeleton } from "./table-skeleton";
import type { LogTableInstance } from "./use-log-table";

const ROW_HEIGHT = 32;
const HEADER_HEIGHT = 32;
/** Start loading the next page this many rows before the end. */
const PREFETCH_ROWS = 60;

export interface LogTableProps {
  table: LogTableInstance;
  direction: "asc" | "desc";
  onToggleDirection: () => void;
  /** Changes whenever the query does: scroll back to the top. */
  queryHash: string;
  loading: boolean;
  /** Rows of the previous query, shown while the new one loads. */
  stale: boolean;
  hasMore: boolean;
  fetchingMore: boolean;
  onLoadMore: () => void;
  activeIndex: number;
  openId: string | null;
  onOpen: (id: string, index: number) => void;
  /** Shown instead of rows (empty result, error). */
  placeholder?: ReactNode;
}

/**
 * The entries as a virtualized ARIA table: only the rows in view (plus a margin) are in the DOM,
 * however many pages are loaded, and scrolling near the end loads the next page.
 */
export function LogTable(props: LogTableProps) {
  const { table, queryHash, hasMore, fetchingMore, onLoadMore, activeIndex, openId, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const visibleColumns = table.getVisibleLeafColumns();
  const gridTemplate = visibleColumns.map((c) => `minmax(${c.getSize()}px, ${c.getSize()}fr)`).join(" ");
  const minWidth = visibleColumns.reduce((sum, c) => sum + c.getSize(), 0);

  // eslint-disable-next-line react-hooks/incompatible-library -- read only here, never passed to memoized children
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    // Lets the server render the first screen of rows before the browser measures the viewport.
    initialRect: { width: 1280, height: 720 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && !fetchingMore && lastIndex >= rows.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, fetchingMore, lastIndex, rows.length, onLoadMore]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryHash]);

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < rows.length)
      virtualizer.scrollToIndex(activeIndex, { align: "auto" });
  }, [activeIndex, rows.length, virtualizer]);

  return (
    <div
      ref={scrollRef}
      role="region"
      aria-label="Audit log entries"
      tabIndex={0}
      className="relative min-h-0 flex-1 overflow-auto focus-visible:outline-offset-[-2px]"
    >
      <div
        role="table"
        aria-label="Audit log entries"
        aria-rowcount={hasMore ? -1 : rows.length + 1}
        aria-busy={props.loading || props.stale || fetchingMore}
        style={{ minWidth }}
      >
        <TableHeader
          table={table}
          gridTemplate={gridTemplate}
          direction={props.direction}
          onToggleDirection={props.onToggleDirection}
        />
        {props.loading ? (
          <TableSkeleton gridTemplate={gridTemplate} columns={visibleColumns.length} />
        ) : rows.length === 0 ? null : (
          <div
            role="rowgroup"
            className={cn("relative transition-opacity", props.stale && "opacity-50")}
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              const active = item.index === activeIndex;
              return (
                <div
                  key={row.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-current={active ? "true" : undefined}
                  data-row-id={row.id}
                  onClick={() => {
                    if (!window.getSelection()?.toString()) onOpen(row.id, item.index);
                  }}
                  className={cn(
                    "absolute inset-x-0 top-0 grid cursor-pointer border-b border-line/70 text-[13px] hover:bg-hover",
                    active && "bg-hover shadow-[inset_2px_0_0_var(--accent)]",
                    row.id === openId && "bg-accent-soft hover:bg-accent-soft",
                  )}
                  style={{
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start - HEADER_HEIGHT}px)`,
                    gridTemplateColumns: gridTemplate,
                  }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <div key={cell.id} role="cell" className="flex min-w-0 items-center px-3">
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
      {props.placeholder}
      {!props.loading && !props.placeholder && rows.length > 0 && (
        <p className="sticky left-0 px-3 py-3 text-xs text-faint" aria-live="polite">
          {fetchingMore
            ? "Loading more entries…"
            : hasMore
              ? "Scroll for more"
              : `End of results · ${formatCount(rows.length)} entries`}
        </p>
      )}
    </div>
  );
}
