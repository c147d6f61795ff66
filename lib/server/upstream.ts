import "server-only";
import type { AuditLog } from "@/lib/audit-log";
import type { LogQuery } from "@/lib/search-params";
import type { Config } from "./config";

/** One page of normalized entries, as `/api/logs` returns it. */
export interface LogPage {
  data: AuditLog[];
  /** Opaque: the v2 cursor, or the next v1 page number; null after the last page. */
  nextCursor: string | null;
  meta: { api: "v2" | "v1"; mode: "sandbox" | "cloudflare"; since: string; before: string };
}

export interface PageOptions {
  cursor?: string | null;
  limit: number;
  signal?: AbortSignal;
  now?: Date;
}

/** Fetch one page of the audit logs matching a query (to be implemented). */
export async function fetchLogPage(config: Config, query: LogQuery, options: PageOptions): Promise<LogPage> {
  void config;
  void query;
  void options;
  throw new Error("not implemented");
}
