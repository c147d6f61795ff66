import type { AuditLog } from "@/lib/audit-log";
import { loadQuery, parseInstant, type LogQuery } from "@/lib/search-params";
import { parseConfig, type Config } from "@/lib/server/config";
import type { FetchLogPage } from "@/lib/server/stats";
import type { LogPage } from "@/lib/server/upstream";

export const NOW = new Date("2026-11-21T12:07:30Z");

/** A full row with the fields the overview reads; the rest empty. */
export function entry(time: string | number, fields: Partial<AuditLog> = {}): AuditLog {
  return {
    id: `e-${typeof time === "number" ? time : Date.parse(time)}-${Math.random().toString(36).slice(2, 8)}`,
    time: typeof time === "number" ? new Date(time).toISOString() : time,
    actionType: "update",
    actionResult: "success",
    actionDescription: null,
    actionInfo: null,
    actorEmail: "alice@example.com",
    actorIp: "198.51.100.7",
    actorType: "user",
    actorContext: null,
    actorId: null,
    actorTokenId: null,
    actorTokenName: null,
    resourceType: null,
    resourceProduct: "Access",
    resourceId: null,
    resourceScope: null,
    zoneId: null,
    zoneName: null,
    accountId: null,
    ownerId: null,
    accountName: null,
    rayId: null,
    method: null,
    statusCode: null,
    uri: null,
    userAgent: null,
    interface: null,
    metadata: null,
    oldValue: null,
    newValue: null,
    request: null,
    response: null,
    raw: null,
    ...fields,
  };
}

/** `count` entries one minute apart, newest at `newest`, alternating success/failure every seventh. */
export function timeline(count: number, newest: number = NOW.getTime() - 60_000): AuditLog[] {
  return Array.from({ length: count }, (_, i) =>
    entry(newest - i * 60_000, {
      actionResult: i % 7 === 0 ? "failure" : "success",
      actorEmail: `user${i % 3}@example.com`,
    }),
  );
}

export interface PageCall {
  query: LogQuery;
  cursor: string | null;
  limit: number;
  now: Date | undefined;
}

/**
 * An upstream stand-in: pages over `rows` (newest first) within the query's since/before and actor_email
 * filter, with the page index as cursor. Records every call.
 */
export function fakeUpstream(rows: AuditLog[], { failTimes = 0, delayMs = 5 } = {}) {
  const calls: PageCall[] = [];
  let failuresLeft = failTimes;
  const fetchPage: FetchLogPage = async (_config: Config, query, options): Promise<LogPage> => {
    calls.push({ query, cursor: options.cursor ?? null, limit: options.limit, now: options.now });
    await new Promise((r) => setTimeout(r, delayMs));
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      throw new Error("upstream unavailable");
    }
    const since = parseInstant(query.since!)!.getTime();
    const before = parseInstant(query.before!)!.getTime();
    const matching = rows.filter((r) => {
      const t = Date.parse(r.time);
      const emails = query.actor_email ?? [];
      return t >= since && t < before && (emails.length === 0 || emails.includes(r.actorEmail ?? ""));
    });
    const start = Number(options.cursor ?? 0);
    const data = matching.slice(start, start + options.limit);
    const next = start + options.limit;
    return {
      data,
      nextCursor: next < matching.length ? String(next) : null,
      meta: { api: "v2", mode: "sandbox", since: query.since!, before: query.before! },
    };
  };
  return { fetchPage, calls };
}

/** A sandbox-mode configuration with the given stats budget. */
export function testConfig(statsMaxEntries = 20_000): Config {
  const result = parseConfig({ STATS_MAX_ENTRIES: String(statsMaxEntries) });
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.config;
}

/** A URL-model query from a query string. */
export function query(qs: string): LogQuery {
  return loadQuery(new URLSearchParams(qs));
}
