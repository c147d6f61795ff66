/**
 * Links from one entry to what happened around it: the same actor or address in a window pinned
 * around its time, that resource's changes, or that Ray ID, with the entry kept open.
 */
import type { ApiVersion, AuditLog } from "./audit-log";
import { capabilities } from "./capabilities";
import { toIsoInstant } from "./format";
import { serializeSearch, type LogSearch } from "./search-params";

export const PIVOT_SPANS = [
  { id: "5m", label: "±5 min", ms: 5 * 60_000 },
  { id: "1h", label: "±1 h", ms: 3_600_000 },
  { id: "24h", label: "±24 h", ms: 86_400_000 },
] as const;
export type PivotSpan = (typeof PIVOT_SPANS)[number]["id"];

export interface Pivot {
  id: "actor" | "ip" | "resource" | "ray";
  label: string;
  param: string;
  value: string;
}

/**
 * What an entry can be pivoted on under an API: the actor (email, else the API token's id, else the
 * actor id), the address, the resource id and the Ray ID, each only when present and filterable.
 */
export function pivotsFor(entry: AuditLog, api: ApiVersion): Pivot[] {
  const params = new Set(capabilities(api).filters.map((f) => f.param));
  const actor: [string, string | null | undefined][] = [
    ["actor_email", entry.actorEmail],
    ["actor_token_id", entry.actorTokenId],
    ["actor_id", entry.actorId],
  ];
  const [actorParam, actorValue] = actor.find(([param, value]) => value && params.has(param)) ?? [];
  const all: (Pivot | null)[] = [
    actorParam && actorValue
      ? { id: "actor", label: "Same actor", param: actorParam, value: actorValue }
      : null,
    entry.actorIp ? { id: "ip", label: "Same IP", param: "actor_ip_address", value: entry.actorIp } : null,
    entry.resourceId
      ? { id: "resource", label: "This resource's changes", param: "resource_id", value: entry.resourceId }
      : null,
    entry.rayId ? { id: "ray", label: "This Ray ID", param: "raw_cf_ray_id", value: entry.rayId } : null,
  ];
  return all.filter((p): p is Pivot => p !== null && params.has(p.param));
}

/** The window `span` either side of an entry's time, as the URL pins it. */
export function pivotWindow(time: string, span: PivotSpan): { since: string; before: string } {
  const at = Date.parse(time);
  const ms = PIVOT_SPANS.find((s) => s.id === span)!.ms;
  return { since: toIsoInstant(new Date(at - ms)), before: toIsoInstant(new Date(at + ms + 1000)) };
}

/**
 * The page URL of a pivot: only its filter, the window pinned around the entry, the entry open, and the
 * view's own columns, widths, density and zone kept.
 */
export function pivotHref(
  entry: AuditLog,
  pivot: Pivot,
  span: PivotSpan,
  view: Pick<LogSearch, "columns" | "tz"> & Partial<Pick<LogSearch, "widths" | "density">>,
) {
  const { since, before } = pivotWindow(entry.time, span);
  const { columns, tz, widths = null, density = null } = view;
  return `/${serializeSearch({ columns, widths, density, tz, since, before, [pivot.param]: [pivot.value], log: entry.id })}`;
}
