import { vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as history } from "@/app/api/logs/[id]/history/route";
import { GET as logs } from "@/app/api/logs/route";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { resetGateways as clearLogPages } from "@/lib/server/gateway";

/** Every variable the server or the SDK reads; each test starts from none of them. */
const ENV_KEYS = [
  "CLOUDFLARE_API_TOKEN",
  "CLOUDFLARE_API_TOKEN_FILE",
  "CLOUDFLARE_ACCOUNT_ID",
  "CLOUDFLARE_BASE_URL",
  "CLOUDFLARE_API_KEY",
  "CLOUDFLARE_EMAIL",
  "CLOUDFLARE_API_USER_SERVICE_KEY",
  "CLOUDFLARE_CUSTOM_HEADERS",
  "CLOUDFLARE_LOG",
  "AUDIT_LOGS_API",
  "AUTH_MODE",
  "SANDBOX_NOW",
  "SANDBOX_SEED",
  "SANDBOX_SIZE",
  "UPSTREAM_BUDGET",
  "UPSTREAM_INSTANCES",
  "UPSTREAM_VIEWER_SHARE",
  "REDIS_URL",
];

type Env = Record<string, string | undefined>;

/** A fresh environment, and no answer cached under the previous one. */
function setEnv(env: Env) {
  clearLogPages();
  for (const key of ENV_KEYS) vi.stubEnv(key, undefined);
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
}

/** Cloudflare mode against a standalone sandbox (restore with `vi.unstubAllEnvs()`). */
export function useCloudflareMode(baseUrl: string, env: Env = {}) {
  setEnv({
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: baseUrl,
    AUTH_MODE: "none",
    ...env,
  });
}

/** Sandbox mode: no token, the in-process sandbox answers. */
export function useSandboxMode(env: Env = {}) {
  setEnv(env);
}

const ORIGIN = "http://localhost";

/** Call the route handler serving `path` (as Next would), e.g. `/api/logs?range=1h`. */
export function callRoute(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(ORIGIN + path, init);
  const { pathname } = new URL(request.url);
  if (pathname === "/api/logs") return logs(request);
  if (pathname === "/api/health") return health(request);
  const match = /^\/api\/logs\/([^/]+)\/history$/.exec(pathname);
  if (match) return history(request, { params: Promise.resolve({ id: decodeURIComponent(match[1]) }) });
  throw new Error(`no route for ${pathname}`);
}

export async function callJson<T = Record<string, unknown>>(path: string, init?: RequestInit) {
  const response = await callRoute(path, init);
  const text = await response.text();
  return { response, text, body: JSON.parse(text) as T };
}
