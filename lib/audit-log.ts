/**
 * The row model shared by both Cloudflare audit-log APIs, and the one field list that drives the table
 * columns, the filter controls, the detail view and the CSV headers.
 */

/** One audit-log entry, normalized from either the v2 (`logs/audit`) or the v1 (`audit_logs`) shape. */
export interface AuditLog {
  id: string;
  /** ISO 8601 timestamp in UTC, as sent upstream (`action.time` in v2, `when` in v1). */
  time: string;
  actionType: string;
  /** `success` | `failure` in practice; any other string is kept as it came. */
  actionResult: string;
  actionDescription: string | null;
  /** v1 `action.info`: free text some actions carry (e.g. a key digest). */
  actionInfo: string | null;
  actorEmail: string | null;
  actorIp: string | null;
  actorType: string | null;
  actorContext: string | null;
  actorId: string | null;
  actorTokenId: string | null;
  actorTokenName: string | null;
  resourceType: string | null;
  resourceProduct: string | null;
  resourceId: string | null;
  /**
   * Not a Cloudflare field: the resource's name (`name`, `hostname`, `email`…) from the request or
   * response body, else its ID. Filled in by normalization.
   */
  resourceName?: string | null;
  /** Not a Cloudflare field: a failed action's HTTP status and error message. */
  failureReason?: string | null;
  resourceScope: string | null;
  zoneId: string | null;
  zoneName: string | null;
  accountId: string | null;
  accountName: string | null;
  /** v1 `owner.id`: the account or user that owns the resource (not necessarily the account asked). */
  ownerId: string | null;
  rayId: string | null;
  method: string | null;
  statusCode: number | null;
  uri: string | null;
  userAgent: string | null;
  /** v1 only. `""` (as Cloudflare often sends it) is kept: it differs from an absent field. */
  interface: string | null;
  metadata: unknown;
  oldValue: unknown;
  newValue: unknown;
  /** v2 only: `resource.request` / `resource.response`. */
  request: unknown;
  response: unknown;
  /** The upstream object exactly as received. */
  raw: unknown;
}

export type ApiVersion = "v2" | "v1";

export type FieldGroup = "action" | "actor" | "resource" | "zone" | "request" | "change";

/** How a value is entered and checked in a filter. */
export type FilterKind = "enum" | "text" | "email" | "ip" | "number";

export type FieldId = Exclude<keyof AuditLog, "raw">;

export interface FieldDef {
  id: FieldId;
  label: string;
  group: FieldGroup;
  /** Shown by default, in this order: the product's eight fields. */
  isDefault?: boolean;
  /** Values are JSON (objects), printed as JSON in the table and the CSV. */
  isJson?: boolean;
  /** Where the value comes from, for fields the dashboard derives (shown on the column header). */
  hint?: string;
}

/** Every field of {@link AuditLog} that can be shown, in the order of the column menu. */
export const FIELDS = [
  { id: "time", label: "Action timestamp", group: "action", isDefault: true },
  { id: "actionType", label: "Action type", group: "action", isDefault: true },
  { id: "actionResult", label: "Action result", group: "action", isDefault: true },
  { id: "actorEmail", label: "Actor email", group: "actor", isDefault: true },
  { id: "actorIp", label: "Actor IP address", group: "actor", isDefault: true },
  { id: "actorType", label: "Actor type", group: "actor", isDefault: true },
  { id: "resourceType", label: "Resource type", group: "resource", isDefault: true },
  { id: "resourceProduct", label: "Resource product", group: "resource", isDefault: true },
  {
    id: "resourceName",
    label: "Resource",
    group: "resource",
    isDefault: true,
    hint: "Not a Cloudflare field: the name, hostname or email in the request or response body, else the resource ID.",
  },
  {
    id: "failureReason",
    label: "Failure reason",
    group: "action",
    hint: "Not a Cloudflare field: a failed action's HTTP status and the error message of its response body.",
  },
  { id: "actionDescription", label: "Action description", group: "action" },
  { id: "id", label: "Audit log ID", group: "action" },
  { id: "actionInfo", label: "Action info", group: "action" },
  { id: "actorContext", label: "Actor context", group: "actor" },
  { id: "actorId", label: "Actor ID", group: "actor" },
  { id: "actorTokenId", label: "Actor token ID", group: "actor" },
  { id: "actorTokenName", label: "Actor token name", group: "actor" },
  { id: "resourceId", label: "Resource ID", group: "resource" },
  { id: "resourceScope", label: "Resource scope", group: "resource" },
  { id: "zoneName", label: "Zone name", group: "zone" },
  { id: "zoneId", label: "Zone ID", group: "zone" },
  { id: "accountName", label: "Account name", group: "zone" },
  { id: "accountId", label: "Account ID", group: "zone" },
  { id: "ownerId", label: "Owner", group: "zone" },
  { id: "rayId", label: "Ray ID", group: "request" },
  { id: "method", label: "HTTP method", group: "request" },
  { id: "statusCode", label: "HTTP status", group: "request" },
  { id: "uri", label: "Request URI", group: "request" },
  { id: "userAgent", label: "User agent", group: "request" },
  { id: "interface", label: "Interface", group: "request" },
  { id: "request", label: "Request body", group: "change", isJson: true },
  { id: "response", label: "Response body", group: "change", isJson: true },
  { id: "metadata", label: "Metadata", group: "change", isJson: true },
  { id: "oldValue", label: "Old value", group: "change", isJson: true },
  { id: "newValue", label: "New value", group: "change", isJson: true },
] as const satisfies readonly FieldDef[];

export const FIELD_IDS = FIELDS.map((f) => f.id) as FieldId[];

export const DEFAULT_COLUMNS: FieldId[] = FIELDS.filter((f) => "isDefault" in f && f.isDefault).map(
  (f) => f.id,
);

const FIELD_BY_ID = new Map<string, FieldDef>(FIELDS.map((f) => [f.id, f]));

export function getField(id: string): FieldDef | undefined {
  return FIELD_BY_ID.get(id);
}

export function isFieldId(id: string): id is FieldId {
  return FIELD_BY_ID.has(id);
}

/** A filterable field: its query parameter follows Cloudflare's v2 name. */
export interface FilterDef {
  /** v2 query name, also the dashboard's URL parameter (`<param>.not` is the exclusion). */
  param: string;
  label: string;
  kind: FilterKind;
  /** The row field whose value this filter matches (for click-to-filter and chips). */
  field?: FieldId;
  /** Known values of an enum filter (v2 spelling). */
  options?: readonly string[];
  /** false for inclusion-only filters (`product_category`). */
  negatable: boolean;
  /** The v1 query name when v1 supports this filter (single value, no exclusion). */
  v1?: string;
  /** How v1 checks the value when it differs from v2 (v1 action types are free text). */
  v1Kind?: FilterKind;
  /** Shown in the toolbar without opening "more filters". */
  primary?: boolean;
}

export const FILTERS = [
  {
    param: "action_type",
    label: "Action type",
    kind: "enum",
    field: "actionType",
    options: ["create", "update", "delete", "view"],
    negatable: true,
    v1: "action.type",
    v1Kind: "text",
    primary: true,
  },
  {
    param: "action_result",
    label: "Action result",
    kind: "enum",
    field: "actionResult",
    options: ["success", "failure"],
    negatable: true,
    primary: true,
  },
  {
    param: "actor_email",
    label: "Actor email",
    kind: "email",
    field: "actorEmail",
    negatable: true,
    v1: "actor.email",
    primary: true,
  },
  {
    param: "actor_ip_address",
    label: "Actor IP address",
    kind: "ip",
    field: "actorIp",
    negatable: true,
    v1: "actor.ip",
    primary: true,
  },
  {
    param: "actor_type",
    label: "Actor type",
    kind: "enum",
    field: "actorType",
    options: ["user", "account", "cloudflare_admin", "system", "delegated_service"],
    negatable: true,
    primary: true,
  },
  {
    param: "resource_type",
    label: "Resource type",
    kind: "text",
    field: "resourceType",
    negatable: true,
    primary: true,
  },
  {
    param: "resource_product",
    label: "Resource product",
    kind: "text",
    field: "resourceProduct",
    negatable: true,
    primary: true,
  },
  { param: "product_category", label: "Product category", kind: "text", negatable: false },
  {
    param: "actor_context",
    label: "Actor context",
    kind: "enum",
    field: "actorContext",
    options: ["dash", "api", "api_token", "api_key", "oauth", "origin_ca_key"],
    negatable: true,
  },
  { param: "actor_id", label: "Actor ID", kind: "text", field: "actorId", negatable: true },
  { param: "actor_token_id", label: "Actor token ID", kind: "text", field: "actorTokenId", negatable: true },
  {
    param: "actor_token_name",
    label: "Actor token name",
    kind: "text",
    field: "actorTokenName",
    negatable: true,
  },
  { param: "resource_id", label: "Resource ID", kind: "text", field: "resourceId", negatable: true },
  {
    param: "resource_scope",
    label: "Resource scope",
    kind: "enum",
    field: "resourceScope",
    options: ["accounts", "user", "zones", "memberships"],
    negatable: true,
  },
  {
    param: "zone_name",
    label: "Zone name",
    kind: "text",
    field: "zoneName",
    negatable: true,
    v1: "zone.name",
  },
  { param: "zone_id", label: "Zone ID", kind: "text", field: "zoneId", negatable: true },
  { param: "account_name", label: "Account name", kind: "text", field: "accountName", negatable: true },
  { param: "raw_cf_ray_id", label: "Ray ID", kind: "text", field: "rayId", negatable: true },
  {
    param: "raw_method",
    label: "HTTP method",
    kind: "enum",
    field: "method",
    options: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    negatable: true,
  },
  { param: "raw_status_code", label: "HTTP status", kind: "number", field: "statusCode", negatable: true },
  { param: "raw_uri", label: "Request URI", kind: "text", field: "uri", negatable: true },
  { param: "id", label: "Audit log ID", kind: "text", field: "id", negatable: true, v1: "id" },
] as const satisfies readonly FilterDef[];

export type FilterParam = (typeof FILTERS)[number]["param"];

const FILTER_BY_PARAM = new Map<string, FilterDef>(FILTERS.map((f) => [f.param, f]));
const FILTER_BY_FIELD = new Map<string, FilterDef>(
  FILTERS.flatMap((f) => ("field" in f ? [[f.field, f] as const] : [])),
);

/** How the active API checks a filter's values (v1 takes free-text action types). */
export function filterKind(filter: FilterDef, api: ApiVersion): FilterKind {
  return api === "v1" && filter.v1Kind ? filter.v1Kind : filter.kind;
}

export function getFilter(param: string): FilterDef | undefined {
  return FILTER_BY_PARAM.get(param);
}

/** The filter that matches a row field, if the field is filterable. */
export function getFilterForField(field: string): FilterDef | undefined {
  return FILTER_BY_FIELD.get(field);
}

/** Human labels for enum values where the wire spelling is not readable. */
export const VALUE_LABELS: Record<string, string> = {
  cloudflare_admin: "Cloudflare admin",
  // v1 spells Cloudflare staff `admin` and Cloudflare's automated systems `Cloudflare`.
  Cloudflare: "Cloudflare system",
  delegated_service: "Delegated service",
  api_token: "API token",
  api_key: "API key",
  api: "API",
  dash: "Dashboard",
  oauth: "OAuth",
  origin_ca_key: "Origin CA key",
  user: "User",
  admin: "Cloudflare admin",
  account: "Account",
  system: "System",
};
