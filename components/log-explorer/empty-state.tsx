import { SearchIcon } from "@/components/ui/icons";
import type { ReactNode } from "react";

/** No entries match the filters and time range. */
export function EmptyState({ children }: { children?: ReactNode }) {
  return (
    <div className="mx-auto my-16 flex max-w-md flex-col items-center gap-2 text-center">
      <span className="flex h-9 w-9 items-center justify-center rounded-full bg-hover text-muted">
        <SearchIcon className="h-4 w-4" />
      </span>
      <h2 className="font-medium text-fg">No entries match</h2>
      <p className="text-muted">No entries match. Widen the time range or remove a filter.</p>
      {children}
    </div>
  );
}
