/**
 * One stored event as the v1 `audit_logs` object (§2.3 of the API notes): boolean result, v1 actor
 * types, `interface`, `metadata`, and the before/after values as JSON strings (sometimes also as
 * objects, `oldValueJson`/`newValueJson`, as the legacy Go client decodes them).
 */
import type { JsonObject } from "./bodies";
import type { Dataset } from "./dataset";
import { entryId } from "./prng";
import { parts } from "./record";

/** v1 names Cloudflare's own actors differently: staff are `admin`, systems are `Cloudflare`. */
const V1_ACTOR_TYPE = {
  user: "user",
  account: "user",
  cloudflare_admin: "admin",
  system: "Cloudflare",
} as const;

/** The v1 (`audit_logs`) object of entry `i`. */
export function v1Record(ds: Dataset, i: number, accountId: string): JsonObject {
  const p = parts(ds, i);
  const who = ds.identities[ds.ident[i]];
  const zone = ds.zones[ds.zone[i]];
  const previous = p.previous();
  const metadata: JsonObject = {
    product: p.def.product,
    type: p.def.type,
    name: String(p.request.name ?? previous.name ?? p.resId),
  };
  if (zone.name) metadata.zone_name = zone.name;
  if (p.hostile !== null && p.hostileTarget !== 0) metadata.value = p.hostile;
  const newValue = p.action === "delete" ? "" : JSON.stringify(p.request);
  const oldValue = p.action === "create" ? "" : JSON.stringify(previous);
  const withJson = ((p.h >>> 3) & 1) === 1;
  return {
    id: entryId(ds.seed, i),
    action: { result: ds.status[i] < 400, type: p.action },
    actor: {
      email: who.email,
      id: who.actorId ?? accountId,
      ip: ds.ips[ds.ip[i]],
      type: V1_ACTOR_TYPE[who.type],
    },
    interface: who.context === "dash" ? "UI" : "API",
    metadata,
    newValue,
    ...(withJson && newValue ? { newValueJson: p.request } : {}),
    oldValue,
    ...(withJson && oldValue ? { oldValueJson: previous } : {}),
    owner: { id: accountId },
    resource: { id: p.resId, type: p.def.type.toLowerCase().replace(/[^a-z0-9]+/g, "_") },
    when: p.time,
  };
}
