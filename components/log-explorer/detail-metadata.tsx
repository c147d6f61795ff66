"use client";

import type { AuditLog } from "@/lib/audit-log";
import { formatValue } from "@/lib/format";

/**
 * v1 `metadata` in the details: each key with its value (objects as JSON), or the value itself when
 * it is not an object. An empty object is said to be empty rather than hidden.
 */
export function DetailMetadata({ entry }: { entry: AuditLog }) {
  const { metadata } = entry;
  if (metadata === null || metadata === undefined) return null;
  const isObject = typeof metadata === "object" && !Array.isArray(metadata);
  const pairs = isObject ? Object.entries(metadata as Record<string, unknown>) : [];
  return (
    <section aria-labelledby="group-metadata">
      <h3 id="group-metadata" className="mb-1.5 text-2xs font-semibold tracking-wide text-faint uppercase">
        Metadata
      </h3>
      {isObject && pairs.length === 0 ? (
        <p className="text-xs text-muted">Empty: this action records no metadata.</p>
      ) : (
        <dl className="divide-y divide-line/70 rounded-md border border-line">
          {(isObject ? pairs : [["value", metadata] as const]).map(([key, value]) => (
            <div key={key} className="grid grid-cols-[9.5rem_1fr] items-start gap-2 px-3 py-1.5">
              <dt className="truncate pt-0.5 font-mono text-xs text-muted" title={key}>
                {key}
              </dt>
              <dd className="min-w-0 pt-0.5 text-[13px] break-words">{formatValue(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
