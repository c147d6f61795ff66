/** Shared helpers of the sandbox tests: a small dataset, authenticated calls, and page walks. */
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { createSandboxHandler, type SandboxHandler, type SandboxOptions } from "@/lib/sandbox/handler";

export const NOW = new Date("2026-11-15T12:00:00Z");
export const ACCOUNT = SANDBOX_ACCOUNT_ID;
export const AUTH = { authorization: `Bearer ${SANDBOX_TOKEN}` };
/** A window holding every entry of a dataset anchored at {@link NOW}. */
export const ALL_TIME = { since: "2026-06-01", before: "2026-11-16" };
export const BASE = "https://api.cloudflare.com/client/v4";

export type Params = Record<string, string | number | (string | number)[]>;

/** Cloudflare's JSON, read field by field in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Entry = any;

export function makeHandler(options: SandboxOptions = {}): SandboxHandler {
  return createSandboxHandler({ size: 3000, seed: 7, now: NOW, ...options });
}

export function query(params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: Entry;
}

export async function call(
  handler: SandboxHandler,
  path: string,
  params: Params = {},
  init: RequestInit = { headers: AUTH },
): Promise<Reply> {
  const response = await handler(new Request(`${BASE}${path}${query(params)}`, init));
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, headers: response.headers, text, body };
}

export const v2Path = `/accounts/${ACCOUNT}/logs/audit`;
export const v1Path = `/accounts/${ACCOUNT}/audit_logs`;

/** Every v2 entry for `params`, following cursors; fails on a repeated cursor or page. */
export async function walkV2(
  handler: SandboxHandler,
  params: Params,
  path = v2Path,
): Promise<{ entries: Entry[]; pages: number }> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  const seen = new Set<string>();
  do {
    const reply = await call(handler, path, { limit: 1000, ...params, ...(cursor ? { cursor } : {}) });
    if (reply.status !== 200) throw new Error(`page ${pages + 1}: ${reply.status} ${reply.text}`);
    pages++;
    entries.push(...reply.body.result);
    cursor = reply.body.result_info.cursor;
    if (cursor !== undefined && seen.has(cursor)) throw new Error("cursor repeated");
    if (cursor !== undefined) seen.add(cursor);
  } while (cursor !== undefined && pages < 10_000);
  return { entries, pages };
}
