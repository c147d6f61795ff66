import { Skeleton } from "@/components/ui/skeleton";

const WIDTHS = ["w-4/5", "w-3/5", "w-2/3", "w-1/2", "w-3/4"];

/** Placeholder rows while the first page loads. */
export function TableSkeleton({ gridTemplate, columns }: { gridTemplate: string; columns: number }) {
  return (
    <div role="rowgroup" aria-hidden>
      {Array.from({ length: 14 }, (_, r) => (
        <div
          key={r}
          className="grid h-8 border-b border-line/70"
          style={{ gridTemplateColumns: gridTemplate }}
        >
          {Array.from({ length: columns }, (_, c) => (
            <div key={c} className="flex items-center px-3">
              <Skeleton className={`h-3 ${WIDTHS[(r + c) % WIDTHS.length]}`} />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
