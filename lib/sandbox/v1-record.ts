/**
 * One stored event as the v1 `audit_logs` object, in the forms real v1
 * entries take: v1 verbs (`rec_add`, `token_roll`, `change_setting`, `tls_settings_deployed` …),
 * a boolean result, `action.info` on some actions, Cloudflare's systems as actor `{id: "1", type:
 * "system"}` with no email or IP, `when` with microseconds for some sources, `interface` as `"UI"`
 * or `""`, and before/after values as `""`, `"null"` or JSON text, with the decoded object
 * (`oldValueJson`/`newValueJson`) next to the text for DNS records and TLS deployments.
 */
import type { JsonObject } from "./bodies";
import type { Dataset } from "./dataset";
import { entryId, hash3, hex32 } from "./prng";
import { actionOf, parts, typeOf } from "./record";

/** v1's actor types: Cloudflare staff are `admin`; Cloudflare's automated systems are `system`, id `1`. */
const V1_ACTOR_TYPE = {
  user: "user",
  account: "user",
  cloudflare_admin: "admin",
  system: "system",
} as const;

const GENERIC = { create: "add", update: "update", delete: "delete" } as const;

/** The v1 verb Cloudflare logs for entry `i` (what `action.type=` matches in v1). */
export function v1Verb(ds: Dataset, i: number): string {
  const def = typeOf(ds, i);
  const action = actionOf(ds, i);
  const who = ds.identities[ds.ident[i]];
  if (def.body === "dns") return { create: "rec_add", update: "rec_set", delete: "rec_del" }[action];
  if (def.body === "token")
    return { create: "token_create", update: "token_roll", delete: "token_revoke" }[action];
  if (def.body === "settings") return "change_setting";
  if (who.type === "system" && def.product === "SSL/TLS") return "tls_settings_deployed";
  return GENERIC[action];
}

/** Whether entry `i` has an actor IP in v1 (Cloudflare's systems have none). */
export function v1HasIp(ds: Dataset, i: number): boolean {
  return ds.identities[ds.ident[i]].type !== "system";
}

/** `2026-11-20T09:15:02.123456Z`: DNS changes and system actions carry microseconds. */
function v1When(time: string, micro: boolean, h: number): string {
  return micro ? `${time.slice(0, -1)}.${String(h % 1_000_000).padStart(6, "0")}Z` : time;
}

/** The v1 (`audit_logs`) object of entry `i`. */
export function v1Record(ds: Dataset, i: number, accountId: string): JsonObject {
  const p = parts(ds, i);
  const who = ds.identities[ds.ident[i]];
  const zone = ds.zones[ds.zone[i]];
  const verb = v1Verb(ds, i);
  const system = who.type === "system";
  const h2 = hash3(ds.seed, i, 710);
  const previous = p.previous();

  const metadata: JsonObject = {};
  if (p.def.body === "token") {
    metadata.token_name = String(p.request.name ?? previous.name ?? p.resId);
    metadata.token_tag = hex32(ds.seed, ds.res[i], 711);
  } else if (p.def.body === "settings") {
    metadata.name = p.def.singletonId ?? p.def.type;
    metadata.type = p.def.product;
    metadata.value = (p.request.value as JsonObject[string]) ?? true;
  } else if (p.def.body !== "dns") {
    metadata.product = p.def.product;
    metadata.type = p.def.type;
    metadata.name = String(p.request.name ?? previous.name ?? p.resId);
  }
  if (zone.name) metadata.zone_name = zone.name;
  if (p.hostile !== null && p.hostileTarget !== 0) metadata.value = p.hostile;

  // Before/after: DNS records and TLS deployments as decoded objects next to "" or "null"; settings
  // as JSON text of the setting's value; other changes as JSON text, or nothing at all.
  const values: JsonObject = {};
  if (p.def.body === "dns" || verb === "tls_settings_deployed") {
    const empty = (h2 & 1) === 1 ? "null" : "";
    values.newValue = p.action === "delete" ? empty : "";
    if (p.action !== "delete") values.newValueJson = p.request;
    values.oldValue = p.action === "delete" ? empty : "";
    if (p.action !== "create" && (p.action === "delete" || (h2 & 2) === 2)) values.oldValueJson = previous;
  } else if (p.def.body === "settings") {
    values.newValue = JSON.stringify(p.request.value ?? p.request);
    values.oldValue = JSON.stringify(previous.value ?? previous);
  } else if (p.def.body === "token" || (h2 & 4) === 4) {
    values.newValue = "";
    values.oldValue = "";
  } else {
    values.newValue = p.action === "delete" ? "" : JSON.stringify(p.request);
    values.oldValue = p.action === "create" ? "" : JSON.stringify(previous);
  }

  const action: JsonObject = { result: ds.status[i] < 400, type: verb };
  if (verb === "token_roll") action.info = `key digest: ${hex32(ds.seed, i, 712)}${hex32(ds.seed, i, 713)}`;

  return {
    id: entryId(ds.seed, i),
    action,
    actor: system
      ? { id: "1", type: "system" }
      : {
          ...(who.email ? { email: who.email } : {}),
          id: who.actorId ?? accountId,
          ip: ds.ips[ds.ip[i]],
          type: V1_ACTOR_TYPE[who.type],
        },
    interface: who.context === "dash" ? "UI" : "",
    metadata,
    ...values,
    // A user's own resources (API tokens) belong to the user, not to the account.
    owner: { id: p.def.scope === "user" && who.actorId ? who.actorId : accountId },
    resource: { id: p.resId, type: p.def.type.replace(/[^A-Za-z0-9]+/g, "_") },
    when: v1When(p.time, p.def.body === "dns" || system, h2 >>> 3),
  };
}
