"use client";

import { Badge } from "@/components/ui/badge";
import { isArchivedOnly, useExplorer } from "./explorer-context";

/** Marks an entry older than Cloudflare's 18-month retention: the local archive is its only copy. */
export function ArchivedOnlyBadge({ time }: { time: string }) {
  const { retainedSince } = useExplorer();
  if (!isArchivedOnly(time, retainedSince)) return null;
  return (
    <Badge
      tone="accent"
      data-testid="archived-only"
      title="Cloudflare no longer keeps this entry (18-month retention); the local archive does."
    >
      archived only
    </Badge>
  );
}
