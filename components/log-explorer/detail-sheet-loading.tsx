"use client";

import { useEffect } from "react";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * Stands where the detail view opens while its code is still on the way (it loads on demand, usually
 * well before the first click): the same panel, empty, so the click visibly did something. Esc closes
 * it, as it closes the view itself.
 */
export function DetailSheetLoading({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [onClose]);

  return (
    <div
      role="status"
      aria-label="Loading entry"
      className="fixed inset-y-0 right-0 z-50 w-full max-w-[min(760px,100vw)] space-y-3 border-l border-line bg-surface px-5 py-4 shadow-pop"
    >
      <Skeleton className="h-5 w-2/3" />
      <Skeleton className="h-3 w-1/2" />
      <Skeleton className="mt-6 h-40 w-full" />
    </div>
  );
}
