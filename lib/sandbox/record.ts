/**
 * One stored event rendered as Cloudflare renders it: the v2 `logs/audit` object (§3.3 of the API
 * notes). The v1 shape (v1-record.ts) is rendered from the same parts.
 */
import { requestBody, type Json, type JsonObject } from "./bodies";
import { ACCOUNT_NAME, ACTIONS, type Dataset } from "./dataset";
import { HOSTILE_EVERY, HOSTILE_VALUES } from "./hostile";
import { RESOURCE_TYPES, type ResourceTypeDef } from "./products";
import { entryId, hash3, rayId } from "./prng";
import { resourceId } from "./resources";

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, "0"));
let cachedDay = NaN;
let cachedDayText = "";

/** `YYYY-MM-DDTHH:MM:SSZ` for whole-second times (the day part is cached: pages are time-ordered). */
export function isoTime(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const sec = Math.floor((ms - day * 86_400_000) / 1000);
  return `${cachedDayText}${TWO_DIGITS[Math.floor(sec / 3600)]}:${TWO_DIGITS[Math.floor(sec / 60) % 60]}:${TWO_DIGITS[sec % 60]}Z`;
}

const METHOD = { create: "POST", delete: "DELETE" } as const;
/** Cloudflare's error codes and messages by status, one picked per entry from the seed. */
const ERRORS: Record<number, { code: number; message: string }[]> = {
  400: [
    { code: 1004, message: "DNS Validation Error" },
    { code: 9207, message: "Request body is invalid: name is required" },
    { code: 12130, message: "access.api.error.invalid_request: session_duration must be a valid duration" },
  ],
  403: [
    { code: 10000, message: "Authentication error" },
    { code: 9109, message: "Unauthorized to access requested resource" },
  ],
  409: [
    { code: 81057, message: "Record already exists." },
    { code: 10026, message: "A resource with this name already exists" },
  ],
  429: [{ code: 971, message: "Please wait and consider throttling your request speed" }],
  500: [{ code: 10001, message: "Internal server error" }],
  502: [{ code: 10002, message: "Bad gateway" }],
  503: [{ code: 10003, message: "Service temporarily unavailable" }],
};

/** The error envelope Cloudflare answers a failed call with. */
function errorBody(ds: Dataset, i: number, status: number): Json {
  const choices = ERRORS[status] ?? ERRORS[500];
  const error = choices[hash3(ds.seed, i, 706) % choices.length];
  return { success: false, errors: [error], messages: [], result: null };
}

export function typeOf(ds: Dataset, i: number): ResourceTypeDef {
  return RESOURCE_TYPES[(ds.op[i] / 3) | 0];
}

export function actionOf(ds: Dataset, i: number): (typeof ACTIONS)[number] {
  return ACTIONS[ds.op[i] % 3];
}

export function methodOf(ds: Dataset, i: number): string {
  const action = actionOf(ds, i);
  return action === "update" ? typeOf(ds, i).update : METHOD[action];
}

/** The request's path, as v2 logs it in `raw.uri` (without `/client/v4`). */
export function uriOf(ds: Dataset, i: number, accountId: string): string {
  const def = typeOf(ds, i);
  const prefix = {
    accounts: `/accounts/${accountId}/`,
    zones: `/zones/${ds.zones[ds.zone[i]].id}/`,
    user: "/user/",
    memberships: "/",
  }[def.scope];
  const collection = prefix + def.path;
  return def.idKind === "singleton" || actionOf(ds, i) === "create"
    ? collection
    : `${collection}/${resourceId(ds, ds.res[i])}`;
}

function description(def: ResourceTypeDef, action: string): string {
  if (def.type === "Member" && action !== "update")
    return action === "create" ? "Add Member" : "Remove Member";
  return `${action[0].toUpperCase()}${action.slice(1)} ${def.type}`;
}

export interface Parts {
  def: ResourceTypeDef;
  action: string;
  resId: string;
  time: string;
  request: JsonObject;
  /** The resource's body before this change (v1 `oldValue`). */
  previous: () => JsonObject;
  hostile: string | null;
  hostileTarget: number;
  h: number;
}

export function parts(ds: Dataset, i: number): Parts {
  const def = typeOf(ds, i);
  const action = actionOf(ds, i);
  const n = ds.res[i];
  const h = hash3(ds.seed, i, 700);
  const body = {
    kind: def.body,
    name: def.names[n % def.names.length],
    zoneName: ds.zones[ds.zone[i]].name,
    singletonId: def.singletonId ?? "",
    h,
  };
  // About 1 entry in HOSTILE_EVERY carries a hostile value: in the request body (v2 and v1), the user
  // agent (v2) or the response and v1 metadata.
  const hostile =
    hash3(ds.seed, i, 702) % HOSTILE_EVERY === 0
      ? HOSTILE_VALUES[hash3(ds.seed, i, 703) % HOSTILE_VALUES.length]
      : null;
  const hostileTarget = hash3(ds.seed, i, 704) % 3;
  const request = action === "delete" ? {} : requestBody(body);
  if (hostile !== null && hostileTarget === 0) request[action === "delete" ? "comment" : "name"] = hostile;
  const previous = () => (action === "create" ? {} : requestBody({ ...body, h: hash3(ds.seed, i, 705) }));
  return {
    def,
    action,
    resId: resourceId(ds, n),
    time: isoTime(ds.time[i]),
    request,
    previous,
    hostile,
    hostileTarget,
    h,
  };
}

function response(ds: Dataset, i: number, p: Parts): Json {
  const status = ds.status[i];
  if (status >= 400) return errorBody(ds, i, status);
  if (p.action === "delete") return { id: p.resId };
  const object: JsonObject = { id: p.resId, ...p.request, modified_on: p.time };
  if (p.hostile !== null && p.hostileTarget === 2) object.description = p.hostile;
  return p.def.arrayResponse ? [object] : object;
}

/** The v2 (`logs/audit`) object of entry `i`. */
export function v2Record(ds: Dataset, i: number, accountId: string): JsonObject {
  const p = parts(ds, i);
  const who = ds.identities[ds.ident[i]];
  const zone = ds.zones[ds.zone[i]];
  const status = ds.status[i];
  const userAgent =
    p.hostile !== null && p.hostileTarget === 1 ? p.hostile : who.userAgents[p.h % who.userAgents.length];
  return {
    id: entryId(ds.seed, i),
    account: { id: accountId, name: ACCOUNT_NAME },
    action: {
      description: description(p.def, p.action),
      result: status < 400 ? "success" : "failure",
      time: p.time,
      type: p.action,
    },
    actor: {
      id: who.actorId ?? accountId,
      context: who.context,
      // Cloudflare's schema types the email as `format: email`: an actor without one has no field.
      ...(who.email ? { email: who.email } : {}),
      ip_address: ds.ips[ds.ip[i]],
      token_id: who.tokenId,
      token_name: who.tokenName,
      type: who.type,
    },
    raw: {
      cf_ray_id: rayId(ds.seed, i),
      method: methodOf(ds, i),
      status_code: status,
      uri: uriOf(ds, i, accountId),
      user_agent: userAgent,
    },
    resource: {
      id: p.resId,
      product: p.def.product,
      request: p.request,
      response: response(ds, i, p),
      scope: p.def.scope,
      type: p.def.type,
    },
    zone: { id: zone.id, name: zone.name },
  };
}
