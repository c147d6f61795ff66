import type { AuditLog } from "@/lib/audit-log";
import { parseConfig, type Config } from "@/lib/server/config";

/** A complete entry with plain values; override what a test is about. */
export function makeLog(overrides: Partial<AuditLog> = {}): AuditLog {
  const id = overrides.id ?? "log-1";
  return {
    id,
    time: "2026-11-01T10:00:00Z",
    actionType: "update",
    actionResult: "success",
    actionDescription: "Updated a DNS record",
    actionInfo: null,
    actorEmail: "alice@example.com",
    actorIp: "198.51.100.7",
    actorType: "user",
    actorContext: "dash",
    actorId: "actor-1",
    actorTokenId: null,
    actorTokenName: null,
    resourceType: "dns.record",
    resourceProduct: "dns",
    resourceId: "res-1",
    resourceScope: "zones",
    zoneId: "zone-1",
    zoneName: "example.com",
    accountId: "acc-1",
    ownerId: null,
    accountName: "Example",
    rayId: "ray-1",
    method: "PATCH",
    statusCode: 200,
    uri: "/zones/zone-1/dns_records/res-1",
    userAgent: "Mozilla/5.0",
    interface: null,
    metadata: null,
    oldValue: null,
    newValue: null,
    request: { content: "a" },
    response: null,
    raw: { id },
    ...overrides,
  };
}

function defaultConfig(): Config {
  const parsed = parseConfig({});
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.config;
}

/** Sandbox mode with every default, as a server without any environment runs. */
export const sandboxConfig: Config = defaultConfig();
