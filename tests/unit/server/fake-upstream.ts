import { vi } from "vitest";
import { parseConfig, type Config } from "@/lib/server/config";

export const ACCOUNT = "0123456789abcdef0123456789abcdef";
export const TOKEN = "unit-test-token-5f1c";

/** A cloudflare-mode configuration whose SDK client uses the current global `fetch`. */
export function testConfig(env: Record<string, string> = {}): Config {
  const result = parseConfig({
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    CLOUDFLARE_BASE_URL: "https://api.example.test/client/v4",
    AUTH_MODE: "none",
    ...env,
  });
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.config;
}

export type Reply = Response | Error | ((url: URL, init: RequestInit) => Response | Promise<Response>);

export interface FakeCall {
  url: URL;
  headers: Headers;
  signal: AbortSignal | null;
}

/**
 * Replace the global `fetch` (which the SDK captures when a client is made) with a scripted upstream:
 * each call takes the next reply; the last one repeats.
 */
export function fakeFetch(...replies: Reply[]) {
  const calls: FakeCall[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ url, headers: new Headers(init.headers), signal: init.signal ?? null });
    const reply = replies[Math.min(calls.length - 1, replies.length - 1)];
    if (reply instanceof Error) throw reply;
    if (typeof reply === "function") return reply(url, init);
    return reply.clone();
  });
  vi.stubGlobal("fetch", fetch);
  return { calls, fetch };
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) },
  });
}

export function v2Body(result: unknown[], cursor?: string | null) {
  return {
    success: true,
    errors: [],
    result,
    result_info: { count: String(result.length), ...(cursor !== undefined ? { cursor } : {}) },
  };
}

export function v2Entry(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    account: { id: ACCOUNT, name: "Example" },
    action: { description: "Add Member", result: "success", time: "2026-11-01T10:00:00Z", type: "create" },
    actor: {
      id: "u1",
      context: "dash",
      email: "alice@example.com",
      ip_address: "198.51.100.7",
      type: "user",
    },
    raw: {
      cf_ray_id: "8e9b1c60ef9e1c9a",
      method: "POST",
      status_code: 200,
      uri: "/accounts/x/members",
      user_agent: "UA",
    },
    resource: { id: "r1", product: "members", type: "member", scope: "accounts", request: {}, response: {} },
    zone: { id: "z1", name: "example.com" },
    ...extra,
  };
}

/** A response whose headers arrive and whose body then sends `prefix` and never ends. */
export function stalledBody(prefix = '{"success":true,"result":['): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(prefix));
    },
  });
  return new Response(stream, { headers: { "content-type": "application/json" } });
}

/** A fetch that never answers, but gives up (as undici does) when its signal aborts. */
export function hanging(_url: URL, init: RequestInit): Promise<Response> {
  return new Promise((_, reject) => {
    init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), {
      once: true,
    });
  });
}
