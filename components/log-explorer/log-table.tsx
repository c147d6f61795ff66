"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { formatCount } from "@/lib/format";
import { useMediaQuery } from "@/lib/use-media-query";
import { cn } from "@/components/ui/cn";
import { ChevronRightIcon } from "@/components/ui/icons";
import { useExplorer } from "./explorer-context";
import { LogRow } from "./log-row";
import { TableHeader } from "./table-header";
import { TableSkeleton } from "./table-skeleton";
import { useColumnWidths } from "./use-column-widths";
import type { LogTableInstance } from "./use-log-table";

/** Row heights of the two densities (`density=compact|comfortable`); comfortable is the default. */
const ROW_HEIGHTS = { comfortable: 32, compact: 24 } as const;
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
  const widths = useColumnWidths();
  const sizes = visibleColumns.map((c) => widths.sizeOf(c.id, c.getSize()));
  const gridTemplate = sizes.map((px) => `minmax(${px}px, ${px}fr)`).join(" ");
  const columnsKey = visibleColumns.map((c) => c.id).join(",");
  const density = useExplorer().search.search.density ?? "comfortable";
  const cards = useMediaQuery(PHONE_WIDTH) === true;
  const rowHeight = cards ? CARD_HEIGHT : ROW_HEIGHTS[density];
  const headerHeight = cards ? 0 : HEADER_HEIGHT;
  const minWidth = cards ? undefined : sizes.reduce((sum, px) => sum + px, 0);
  const headerEnd = useRef<HTMLSpanElement>(null);
  const moreRight = useMoreToTheRight(scrollRef, headerEnd, !cards);

  // A new key function makes the virtualizer measure every loaded row again: only when the rows change,
  // not on each frame of a scroll through ten thousand of them.
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? index, [rows]);
  // eslint-disable-next-line react-hooks/incompatible-library -- read only here, never passed to memoized children
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey,
    // Rows drawn beyond the screen's edges: enough that a scroll finds them drawn, few enough that a
    // filter change (every row new) and the server's first page do not build rows nobody sees yet.
    overscan: 6,
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

  useFocusFollowsHighlight(scrollRef, rows[activeIndex]?.id);

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
              widths={widths}
              endRef={headerEnd}
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
                    active={item.index === activeIndex}
                    open={row.id === openId}
                    cards={cards}
                    compact={density === "compact"}
                    gridTemplate={gridTemplate}
                    columnsKey={columnsKey}
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
 * With keyboard focus on a cell, j/k take it to the same column of the newly highlighted row, so `+`,
 * `-` and Tab keep working on what is highlighted.
 */
function useFocusFollowsHighlight(ref: RefObject<HTMLDivElement | null>, activeId: string | undefined) {
  useEffect(() => {
    const region = ref.current;
    const focused = document.activeElement;
    if (!region || !activeId || !(focused instanceof HTMLElement) || !region.contains(focused)) return;
    const column = focused.closest<HTMLElement>("[role=cell][data-col]")?.dataset.col;
    const row = focused.closest<HTMLElement>("[role=row][data-row-id]");
    if (!column || row?.dataset.rowId === activeId) return;
    const frame = requestAnimationFrame(() => {
      const cell = region.querySelector<HTMLElement>(
        `[role=row][data-row-id="${CSS.escape(activeId)}"] [role=cell][data-col="${CSS.escape(column)}"]`,
      );
      // That row may have nothing to filter by in this column: focus goes back to the table.
      (cell?.tabIndex === 0 ? cell : region).focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [ref, activeId]);
}

/**
 * Whether the table runs past the right edge of its scroll area, so a cue can say there is more to
 * see sideways (scroll bars are hidden on many systems until used). Told by an observer of a point at
 * the header's right end, not by reading the table's widths on every scroll, which would lay the page
 * out again on each frame of a vertical scroll through the rows.
 */
function useMoreToTheRight(
  ref: RefObject<HTMLDivElement | null>,
  end: RefObject<HTMLSpanElement | null>,
  wide: boolean,
) {
  const [more, setMore] = useState(false);
  useEffect(() => {
    const root = ref.current;
    const point = end.current;
    if (!root || !point || !wide) return setMore(false);
    const observer = new IntersectionObserver(([entry]) => setMore(!entry.isIntersecting), { root });
    observer.observe(point);
    return () => observer.disconnect();
  }, [ref, end, wide]);
  return more;
}
