"use client";

import { VALUE_LABELS, type AuditLog, type FieldId } from "@/lib/audit-log";
import { formatTimestamp, formatTimestampLong, formatValue } from "@/lib/format";
import { relativeTime } from "@/lib/relative-time";
import { Badge } from "@/components/ui/badge";
import { useExplorer, useIsClient } from "./explorer-context";

/** Fields printed in a monospace font: addresses, identifiers, methods and codes. */
export const MONO_FIELDS = new Set<FieldId>([
  "id",
  "actorIp",
  "actorId",
  "actorTokenId",
  "resourceId",
  "zoneId",
  "accountId",
  "rayId",
  "method",
  "statusCode",
  "uri",
]);

/** Fields whose wire values have a readable label (`api_token` → API token). */
export const LABELLED_FIELDS = new Set<FieldId>(["actorType", "actorContext", "resourceScope"]);

/** A readable form of an enum value; unknown values are shown as they came. */
export function valueLabel(field: FieldId, value: string): string {
  return LABELLED_FIELDS.has(field) ? (VALUE_LABELS[value] ?? value) : value;
}

/** Action result as a coloured badge: success green, failure red, anything else grey. */
export function ResultBadge({ value }: { value: string }) {
  const tone = value === "success" ? "success" : value === "failure" ? "danger" : "neutral";
  return (
    <Badge tone={tone} title={value}>
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />
      {value}
    </Badge>
  );
}

/** A timestamp in the display zone; local time appears once the browser's zone is known. */
export function Timestamp({ value, long = false }: { value: string; long?: boolean }) {
  const { zone } = useExplorer();
  const isClient = useIsClient();
  const ready = zone === "utc" || isClient;
  const text = ready ? (long ? formatTimestampLong(value, zone) : formatTimestamp(value, zone)) : "";
  return (
    <time
      dateTime={value}
      title={ready ? formatTimestampLong(value, zone) : value}
      // How long ago, worked out when the pointer arrives: a title rendered earlier would go stale.
      onPointerEnter={(e) =>
        (e.currentTarget.title = `${formatTimestampLong(value, zone)} (${relativeTime(value)})`)
      }
      className="tabular-nums"
    >
      {text}
    </time>
  );
}

/**
 * An API token as the actor: by its name, as Top actors counts it. The email (of the token's owner, if
 * any) follows; an account-owned token has none, and its actor ID is the account's, shared by every token.
 */
function TokenActor({ name, email }: { name: string; email: string | null }) {
  return (
    <span title={email ? `API token ${name}, owned by ${email}` : `API token ${name}`} className="truncate">
      {name} <span className="text-2xs text-faint">token</span>
      {email && <span className="text-faint"> · {email}</span>}
    </span>
  );
}

/** One table cell's content: truncated to the column, the full value on hover. */
export function CellValue({ field, row }: { field: FieldId; row: AuditLog }) {
  if (field === "actorEmail" && row.actorTokenId && row.actorTokenName)
    return <TokenActor name={row.actorTokenName} email={row.actorEmail} />;
  const value = row[field];
  if (value === null || value === undefined || value === "") {
    return <span className="text-faint">—</span>;
  }
  if (field === "actionResult") return <ResultBadge value={String(value)} />;
  const text = LABELLED_FIELDS.has(field) ? valueLabel(field, String(value)) : formatValue(value);
  return (
    <span
      title={text.length > 300 ? `${text.slice(0, 300)}…` : text}
      className={MONO_FIELDS.has(field) ? "truncate font-mono text-xs" : "truncate"}
    >
      {text.length > 400 ? text.slice(0, 400) : text}
    </span>
  );
}
