"use client";

import type { LogPage } from "@/lib/queries";
import { formatTimestampLong } from "@/lib/format";
import { useExplorer } from "./explorer-context";

/**
 * Says when the local archive answered a view ending now as of its last sync pass: entries that arrived
 * upstream since then appear after the next pass (within the sync interval), not in these rows.
 */
export function ArchiveNotice({ pages }: { pages: LogPage[] | undefined }) {
  const { zone } = useExplorer();
  const asOf = pages?.[0]?.meta.asOf;
  if (!asOf) return null;
  return (
    <p
      role="status"
      data-testid="archive-as-of"
      className="border-b border-line px-4 py-1 text-xs text-muted"
    >
      From the local archive, as of {formatTimestampLong(asOf, zone)}.
    </p>
  );
}
