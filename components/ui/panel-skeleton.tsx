import { cn } from "./cn";
import { Skeleton } from "./skeleton";

/** Fills a menu or panel whose code is still loading (it loads on demand, usually before it is opened). */
export function PanelSkeleton({ className }: { className?: string }) {
  return (
    <div role="status" aria-label="Loading" className={cn("w-64 space-y-2 p-1", className)}>
      <Skeleton className="h-4 w-1/2" />
      <Skeleton className="h-7 w-full" />
      <Skeleton className="h-7 w-full" />
    </div>
  );
}
