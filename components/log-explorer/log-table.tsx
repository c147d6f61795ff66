"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { formatCount } from "@/lib/format";
import { useMediaQuery } from "@/lib/use-media-query";
import { cn } from "@/components/ui/cn";
import { ChevronRightIcon } from "@/components/ui/icons";
import { LogRow } from "./log-row";
import { TableHeader } from "./table-header";
import { TableSkeleton } from "./table-skeleton";
import type { LogTableInstance } from "./use-log-table";

const ROW_HEIGHT = 32;
const CARD_HEIGHT = 76;
const HEADER_HEIGHT = 32;
/** Narrower than this, rows become cards: eight columns cannot be read on a phone. */
export const PHONE_WIDTH = "(max-width: 639px)";
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
  const columnsKey = visibleColumns.map((c) => c.id).join(",");
  const cards = useMediaQuery(PHONE_WIDTH) === true;
  const rowHeight = cards ? CARD_HEIGHT : ROW_HEIGHT;
  const headerHeight = cards ? 0 : HEADER_HEIGHT;
  const minWidth = cards ? undefined : visibleColumns.reduce((sum, c) => sum + c.getSize(), 0);
  const moreRight = useMoreToTheRight(scrollRef, minWidth);

  // eslint-disable-next-line react-hooks/incompatible-library -- read only here, never passed to memoized children
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 12,
    scrollMargin: headerHeight,
    scrollPaddingStart: headerHeight,
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
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < rows.length)
      virtualizer.scrollToIndex(activeIndex, { align: "auto" });
  }, [activeIndex, rows.length, virtualizer]);

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div
        ref={scrollRef}
        id={TABLE_ID}
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
          {!cards && (
            <TableHeader
              table={table}
              gridTemplate={gridTemplate}
              direction={props.direction}
              onToggleDirection={props.onToggleDirection}
            />
          )}
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
                return (
                  <LogRow
                    key={row.id}
                    table={table}
                    row={row}
                    index={item.index}
                    top={item.start - headerHeight}
                    height={rowHeight}
                    cards={cards}
                    gridTemplate={gridTemplate}
                    columnsKey={columnsKey}
                    active={item.index === activeIndex}
                    open={row.id === openId}
                    onOpen={onOpen}
                  />
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
      {moreRight && (
        <div
          aria-hidden="true"
          data-testid="scroll-cue"
          title="More columns to the right"
          className="pointer-events-none absolute inset-y-0 right-0 flex w-10 items-center justify-end bg-gradient-to-l from-surface to-transparent pr-1 text-muted"
        >
          <ChevronRightIcon />
        </div>
      )}
    </div>
  );
}

/** Id of the table's scroll area, the target of the skip link and the `t` key. */
export const TABLE_ID = "log-table";

/** Move focus to the table, where `j`/`k` and Enter work on the rows. */
export function focusTable() {
  document.getElementById(TABLE_ID)?.focus({ preventScroll: true });
}

/**
 * Whether the table runs past the right edge of its scroll area, so a cue can say there is more to
 * see sideways (scroll bars are hidden on many systems until used).
 */
function useMoreToTheRight(ref: RefObject<HTMLDivElement | null>, contentWidth: number | undefined) {
  const [more, setMore] = useState(false);
  const update = useCallback(() => {
    const el = ref.current;
    if (el) setMore(el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
  }, [ref]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    el.addEventListener("scroll", update, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", update);
    };
  }, [ref, update, contentWidth]);
  return more;
}
