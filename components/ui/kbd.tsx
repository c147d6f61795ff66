import type { ReactNode } from "react";

/** A keyboard key, as shown in hints and the shortcuts list. */
export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="inline-flex h-5 min-w-5 items-center justify-center rounded border border-line bg-subtle px-1 font-mono text-2xs text-muted">
      {children}
    </kbd>
  );
}
