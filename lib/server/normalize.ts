import "server-only";
import { withDerivedFields } from "@/lib/derived-fields";
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
function text(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

type Section = Record<string, unknown>;
const NO_SECTION: Section = Object.freeze({});

/** A section such as `actor` or `resource`: the object, or an empty one when missing or malformed. */
function section(v: unknown): Section {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Section) : NO_SECTION;
}

const count = z.union([z.number(), z.string()]).nullish().catch(null);

/** Integer from a number or a numeric string (`raw.status_code`, counts). */
function toInt(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\d{1,9}$/.test(v.trim())) return Number(v.trim());
  return null;
}

/**
 * v2 `resource.scope` is a string in practice and an object in the schema. An object naming its scope
 * (`{type: "accounts"}`) is read as that name, so it shows and filters like the string; any other
 * object is kept as JSON text, and an empty one is no scope.
 */
function scopeText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Section;
  for (const key of ["type", "name", "scope", "value"])
    if (typeof o[key] === "string" && o[key] !== "") return o[key] as string;
  return Object.keys(o).length > 0 ? JSON.stringify(v) : null;
}

/**
 * A v1 before/after value. Cloudflare sends `newValue` as text (`""`, `"null"` or JSON text) and,
 * for many actions, the same value decoded as `newValueJson`. The decoded object wins; JSON text is
 * decoded so it is shown, diffed and exported as JSON rather than as an escaped string; `""` and
 * `"null"` mean no value. Text that is not JSON is kept as it came.
 */
export function v1Value(decoded: unknown, text: unknown): unknown {
  if (decoded !== undefined && decoded !== null) return decoded;
  if (typeof text !== "string") return text ?? null;
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "null") return null;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

/** v1 `action.result` is a boolean; strings (a v2-style value) are kept as they come. */
function resultText(v: unknown): string {
  if (v === true) return "success";
  if (v === false) return "failure";
  return typeof v === "string" ? v : "";
}

/** The entry as an object; anything else is not an audit-log entry at all. */
function entryObject(entry: unknown): Section {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry))
    throw new InvalidUpstreamBody("an entry is not an object");
  return entry as Section;
}

const EMPTY_V1_ONLY = {
  actionInfo: null,
  ownerId: null,
  interface: null,
  metadata: null,
  oldValue: null,
  newValue: null,
} as const;

/**
 * Normalize one v2 (`logs/audit`) entry. Throws {@link InvalidUpstreamBody} when it is not an object.
 * Plain property reads rather than a schema: a page holds up to 1,000 entries, and exports walk
 * thousands of pages.
 */
export function normalizeV2Entry(entry: unknown): AuditLog {
  return withDerivedFields(v2Row(entry));
}

function v2Row(entry: unknown): AuditLog {
  const e = entryObject(entry);
  const action = section(e.action);
  const actor = section(e.actor);
  const raw = section(e.raw);
  const resource = section(e.resource);
  const zone = section(e.zone);
  const account = section(e.account);
  return {
    id: text(e.id) ?? "",
    time: text(action.time) ?? "",
    actionType: text(action.type) ?? "",
    actionResult: resultText(action.result),
    actionDescription: text(action.description),
    actorEmail: text(actor.email),
    actorIp: text(actor.ip_address),
    actorType: text(actor.type),
    actorContext: text(actor.context),
    actorId: text(actor.id),
    actorTokenId: text(actor.token_id),
    actorTokenName: text(actor.token_name),
    resourceType: text(resource.type),
    resourceProduct: text(resource.product),
    resourceId: text(resource.id),
    resourceScope: scopeText(resource.scope),
    zoneId: text(zone.id),
    zoneName: text(zone.name),
    accountId: text(account.id),
    accountName: text(account.name),
    rayId: text(raw.cf_ray_id),
    method: text(raw.method),
    statusCode: toInt(raw.status_code),
    uri: text(raw.uri),
    userAgent: text(raw.user_agent),
    ...EMPTY_V1_ONLY,
    request: resource.request ?? null,
    response: resource.response ?? null,
    raw: entry,
  };
}

/** Normalize one v1 (`audit_logs`) entry. Throws {@link InvalidUpstreamBody} when it is not an object. */
export function normalizeV1Entry(entry: unknown): AuditLog {
  return withDerivedFields(v1Row(entry));
}

function v1Row(entry: unknown): AuditLog {
  const e = entryObject(entry);
  const action = section(e.action);
  const actor = section(e.actor);
  const resource = section(e.resource);
  const zone = section(e.zone);
  const metadata = e.metadata ?? null;
  const metaZone = text(section(metadata).zone_name);
  return {
    id: text(e.id) ?? "",
    time: text(e.when) ?? "",
    actionType: text(action.type) ?? "",
    actionResult: resultText(action.result),
    actionDescription: null,
    actionInfo: text(action.info),
    actorEmail: text(actor.email),
    actorIp: text(actor.ip),
    actorType: text(actor.type),
    actorContext: null,
    actorId: text(actor.id),
    actorTokenId: null,
    actorTokenName: null,
    resourceType: text(resource.type),
    resourceProduct: null,
    resourceId: text(resource.id),
    resourceScope: null,
    zoneId: text(zone.id),
    zoneName: text(zone.name) ?? metaZone,
    // The owner is the account or the user the resource belongs to: not necessarily this account.
    accountId: null,
    accountName: null,
    ownerId: text(section(e.owner).id),
    rayId: null,
    method: null,
    statusCode: null,
    uri: null,
    userAgent: null,
    interface: text(e.interface),
    metadata,
    oldValue: v1Value(e.oldValueJson, e.oldValue),
    newValue: v1Value(e.newValueJson, e.newValue),
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
  // Not in Cloudflare's spec, but what the official SDK reads; used when `cursor` is absent.
  cursors: z.looseObject({ after: z.string().nullish() }).nullish().catch(null),
  count,
  history_status: z.string().nullish(),
});

const v1Info = z.looseObject({
  page: z.unknown().optional(),
  per_page: z.unknown().optional(),
  total_count: z.unknown().optional(),
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
  /** `result_info.cursor`, else `result_info.cursors.after`; null when absent or empty (the last page). */
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
    cursor: info.data.cursor || info.data.cursors?.after || null,
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
