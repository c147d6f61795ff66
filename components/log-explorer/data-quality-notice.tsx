"use client";

import type { LogPage } from "@/lib/queries";
import { AlertIcon } from "@/components/ui/icons";

/**
 * Says when Cloudflare's own counts disagree with the entries it sent (v1 `total_count`): the rows
 * shown are all that arrived, but a count taken from the upstream may be off.
 */
export function DataQualityNotice({ pages }: { pages: LogPage[] | undefined }) {
  const disagreement = pages?.find((p) => p.meta.dataQuality)?.meta.dataQuality;
  if (!disagreement) return null;
  return (
    <p
      role="status"
      data-testid="data-quality"
      className="flex items-start gap-2 border-b border-warning/40 bg-warning-soft px-4 py-1.5 text-xs"
    >
      <AlertIcon className="mt-0.5 shrink-0 text-warning" />
      {disagreement.message}
    </p>
  );
}
