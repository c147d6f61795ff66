import "server-only";
import { z } from "zod";
import type { AuditLog } from "@/lib/audit-log";

/**
 * Upstream JSON → {@link AuditLog}. The schemas are deliberately lenient: Cloudflare adds enum values and
 * fields without notice, so a field of an unexpected type becomes null (the entry keeps it in `raw`) and
 * only a body that is not an audit-log envelope at all is refused.
 */

/** The upstream answered 200 with something that is not a usable audit-log envelope. */
export class InvalidUpstreamBody extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "InvalidUpstreamBody";
  }
}

/** A string field; numbers and booleans are kept as text, anything else (or nothing) is null. */
const text = z
  .unknown()
  .optional()
  .transform((v): string | null => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return null;
  });

/** A section such as `actor` or `resource`: any object, or an empty one when missing or malformed. */
function section<S extends z.ZodRawShape>(shape: S) {
  const schema = z.looseObject(shape);
  return schema.catch(() => schema.parse({}));
}

/** Any JSON value, kept as it came (absent → undefined). */
const anything = z.unknown().optional();

const count = z.union([z.number(), z.string()]).nullish().catch(null);

/** Integer from a number or a numeric string (`raw.status_code`, counts). */
function toInt(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\d{1,9}$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** v2 `resource.scope` is a string in practice, an object in the schema: keep text, print objects as JSON. */
function scopeText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && Object.keys(v).length > 0) return JSON.stringify(v);
  return null;
}

/** v1 `action.result` is a boolean; strings (a v2-style value) are kept as they come. */
function resultText(v: unknown): string {
  if (v === true) return "success";
  if (v === false) return "failure";
  return typeof v === "string" ? v : "";
}

const v2Entry = z.looseObject({
  id: text,
  account: section({ id: text, name: text }),
  action: section({ description: text, result: anything, time: text, type: text }),
  actor: section({
    id: text,
    context: text,
    email: text,
    ip_address: text,
    token_id: text,
    token_name: text,
    type: text,
  }),
  raw: section({ cf_ray_id: text, method: text, status_code: anything, uri: text, user_agent: text }),
  resource: section({
    id: text,
    product: text,
    type: text,
    scope: anything,
    request: anything,
    response: anything,
  }),
  zone: section({ id: text, name: text }),
});

const v1Entry = z.looseObject({
  id: text,
  when: text,
  action: section({ type: text, result: anything }),
  actor: section({ id: text, email: text, ip: text, type: text }),
  interface: text,
  metadata: anything,
  oldValue: anything,
  newValue: anything,
  oldValueJson: anything,
  newValueJson: anything,
  owner: section({ id: text }),
  resource: section({ id: text, type: text }),
  zone: section({ id: text, name: text }),
});

const EMPTY_V1_ONLY = { interface: null, metadata: null, oldValue: null, newValue: null } as const;

/** Normalize one v2 (`logs/audit`) entry. Throws {@link InvalidUpstreamBody} when it is not an object. */
export function normalizeV2Entry(entry: unknown): AuditLog {
  const parsed = v2Entry.safeParse(entry);
  if (!parsed.success || Array.isArray(entry)) throw new InvalidUpstreamBody("an entry is not an object");
  const e = parsed.data;
  return {
    id: e.id ?? "",
    time: e.action.time ?? "",
    actionType: e.action.type ?? "",
    actionResult: resultText(e.action.result),
    actionDescription: e.action.description,
    actorEmail: e.actor.email,
    actorIp: e.actor.ip_address,
    actorType: e.actor.type,
    actorContext: e.actor.context,
    actorId: e.actor.id,
    actorTokenId: e.actor.token_id,
    actorTokenName: e.actor.token_name,
    resourceType: e.resource.type,
    resourceProduct: e.resource.product,
    resourceId: e.resource.id,
    resourceScope: scopeText(e.resource.scope),
    zoneId: e.zone.id,
    zoneName: e.zone.name,
    accountId: e.account.id,
    accountName: e.account.name,
    rayId: e.raw.cf_ray_id,
    method: e.raw.method,
    statusCode: toInt(e.raw.status_code),
    uri: e.raw.uri,
    userAgent: e.raw.user_agent,
    ...EMPTY_V1_ONLY,
    request: e.resource.request ?? null,
    response: e.resource.response ?? null,
    raw: entry,
  };
}

/** Normalize one v1 (`audit_logs`) entry. Throws {@link InvalidUpstreamBody} when it is not an object. */
export function normalizeV1Entry(entry: unknown): AuditLog {
  const parsed = v1Entry.safeParse(entry);
  if (!parsed.success || Array.isArray(entry)) throw new InvalidUpstreamBody("an entry is not an object");
  const e = parsed.data;
  const metadata = e.metadata ?? null;
  const metaZone =
    metadata &&
    typeof metadata === "object" &&
    "zone_name" in metadata &&
    typeof metadata.zone_name === "string"
      ? metadata.zone_name
      : null;
  return {
    id: e.id ?? "",
    time: e.when ?? "",
    actionType: e.action.type ?? "",
    actionResult: resultText(e.action.result),
    actionDescription: null,
    actorEmail: e.actor.email,
    actorIp: e.actor.ip,
    actorType: e.actor.type,
    actorContext: null,
    actorId: e.actor.id,
    actorTokenId: null,
    actorTokenName: null,
    resourceType: e.resource.type,
    resourceProduct: null,
    resourceId: e.resource.id,
    resourceScope: null,
    zoneId: e.zone.id,
    zoneName: e.zone.name ?? metaZone,
    accountId: e.owner.id,
    accountName: null,
    rayId: null,
    method: null,
    statusCode: null,
    uri: null,
    userAgent: null,
    interface: e.interface,
    metadata,
    // The structured forms, when sent, are more useful than the JSON-in-a-string ones.
    oldValue: e.oldValueJson ?? e.oldValue ?? null,
    newValue: e.newValueJson ?? e.newValue ?? null,
    request: null,
    response: null,
    raw: entry,
  };
}

const envelope = z.looseObject({
  success: z.literal(true),
  result: z.array(z.unknown()),
  result_info: z.looseObject({}).nullish(),
});

const v2Info = z.looseObject({
  cursor: z.string().nullish(),
  count,
  history_status: z.string().nullish(),
});

const v1Info = z.looseObject({
  page: anything,
  per_page: anything,
  total_count: anything,
});

/** Check the common envelope: `success === true` and an array `result`; anything else is refused. */
function parseEnvelope(body: unknown) {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) {
    if (!body || typeof body !== "object" || Array.isArray(body))
      throw new InvalidUpstreamBody("not a JSON object");
    const b = body as Record<string, unknown>;
    if (b.success !== true) throw new InvalidUpstreamBody("success is not true");
    if (!Array.isArray(b.result)) throw new InvalidUpstreamBody("result is not an array");
    throw new InvalidUpstreamBody("result_info is not an object");
  }
  return parsed.data;
}

export interface V2Page {
  data: AuditLog[];
  /** `result_info.cursor`; null when absent or empty (the last page). */
  cursor: string | null;
  historyStatus: string | null;
}

/** A v2 list or history page. */
export function parseV2Page(body: unknown): V2Page {
  const env = parseEnvelope(body);
  const info = v2Info.safeParse(env.result_info ?? {});
  if (!info.success) throw new InvalidUpstreamBody("result_info.cursor is not a string");
  return {
    data: env.result.map(normalizeV2Entry),
    cursor: info.data.cursor || null,
    historyStatus: info.data.history_status ?? null,
  };
}

export interface V1Page {
  data: AuditLog[];
  /** `result_info.total_count` when sent as a number. */
  totalCount: number | null;
}

/** A v1 page (`page`/`per_page` paging; `result_info` is optional). */
export function parseV1Page(body: unknown): V1Page {
  const env = parseEnvelope(body);
  const info = v1Info.safeParse(env.result_info ?? {});
  return {
    data: env.result.map(normalizeV1Entry),
    totalCount: info.success ? toInt(info.data.total_count) : null,
  };
}
