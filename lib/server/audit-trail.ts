import "server-only";
import { canonicalFilters, loadQuery } from "@/lib/search-params";
import type { AuthMode, ConfigResult } from "./config";

/**
 * The server's own audit trail, as JSON lines on stdout, never with a token, JWT or password:
 * - `sign-in`: who was let in to read the audit logs, and who was turned away (paths only);
 * - `data-request`: what each data request asked for, by whom, from where, how it ended and how many
 *   upstream calls it spent.
 */

/** Where the decision was taken: the proxy, a route handler, or the server page. */
export type AuthLayer = "proxy" | "route" | "page";

export interface SignInDecision {
  /** Verified email, `service:<client id>`, basic user, "anonymous", or "unknown" when unverified. */
  who: string;
  method: AuthMode | "unconfigured";
  /** The path only: query strings carry filter values (emails, IP addresses). */
  route: string;
  outcome: "allow" | "deny";
  reason: string;
  layer: AuthLayer;
  status?: number;
  /** Basic sign-in refused: the user name that was tried (never the password). */
  attemptedUser?: string;
  /** The client's address, when a trusted source gives it. */
  client?: string | null;
}

/**
 * Allows are logged at most once per viewer, route and minute: one page view costs a proxy check, a
 * page check and a burst of data requests (scrolling, stats), and a line for each would bury the
 * trail. Denials are always logged: each one matters.
 */
export const ALLOW_LOG_INTERVAL_MS = 60_000;
/** Bound on remembered (viewer, route) pairs, so a stream of distinct paths cannot grow memory. */
export const ALLOW_LOG_MAX_KEYS = 2_000;

/**
 * Kept on `globalThis`: the proxy and the route handlers are separate bundles with their own copies of
 * this module, and the rate limit must hold across both layers.
 */
const lastAllowLogged: Map<string, number> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("audit-log-explorer.sign-in-trail")
] ??= new Map<string, number>()) as Map<string, number>;

/** Log a sign-in decision (allows rate-limited as above). Returns whether a line was written. */
export function recordSignIn(decision: SignInDecision, now: number = Date.now()): boolean {
  if (decision.outcome === "allow") {
    const key = `${decision.method}\u0000${decision.who}\u0000${decision.route}`;
    const last = lastAllowLogged.get(key);
    if (last !== undefined && now - last < ALLOW_LOG_INTERVAL_MS) return false;
    // Re-insert so the Map's order stays oldest-first, then evict from the front.
    lastAllowLogged.delete(key);
    lastAllowLogged.set(key, now);
    for (const oldest of lastAllowLogged.keys()) {
      if (lastAllowLogged.size <= ALLOW_LOG_MAX_KEYS) break;
      lastAllowLogged.delete(oldest);
    }
  }
  const { who, method, route, outcome, reason, layer, status, attemptedUser, client } = decision;
  console.info(
    JSON.stringify({
      time: new Date(now).toISOString(),
      event: "sign-in",
      outcome,
      who,
      method,
      route,
      reason,
      layer,
      ...(status !== undefined ? { status } : {}),
      ...(attemptedUser !== undefined ? { attemptedUser: attemptedUser.slice(0, 128) } : {}),
      ...(client ? { client } : {}),
    }),
  );
  return true;
}

/** Forget the allow-rate-limit memory (tests start from a clean trail). */
export function resetSignInTrail(): void {
  lastAllowLogged.clear();
}

/** Parameters besides the URL model that change what a data route reads or returns. */
const EXTRA_KEYS = ["limit", "format", "columns", "buckets", "action_time"] as const;
/** Longer values are cut in the trail; the line stays readable whatever a client sends. */
const MAX_VALUE_CHARS = 256;
const MAX_VALUES = 50;
/** Past this, the query is recorded by size only. */
const MAX_QUERY_CHARS = 16_384;

const clip = (value: string) =>
  value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;

/**
 * A request's query as the trail records it: the window as asked (a relative range stays relative),
 * the direction, the filters with sorted keys and values, and the other parameters that matter. The
 * cursor is opaque, so only whether one was sent (a later page) is kept.
 */
export function canonicalQuery(params: URLSearchParams): Record<string, unknown> {
  const query = loadQuery(params);
  const filters = canonicalFilters(query).map(([key, values]) => [
    key,
    values.slice(0, MAX_VALUES).map(clip),
  ]);
  const out: Record<string, unknown> = {
    ...(query.since ? { since: query.since, before: query.before } : { range: query.range }),
    direction: query.direction,
    filters: Object.fromEntries(filters),
  };
  for (const key of EXTRA_KEYS) {
    const value = params.get(key);
    if (value !== null) out[key] = clip(value);
  }
  if (params.has("cursor")) out.cursor = true;
  const size = JSON.stringify(out).length;
  return size > MAX_QUERY_CHARS ? { oversized: size } : out;
}

export interface DataRequestRecord {
  requestId: string;
  /** The signed-in viewer's id; null when the request was refused before sign-in succeeded. */
  who: string | null;
  method: AuthMode | null;
  route: string;
  /** The account read; null when the request was refused before it was known. */
  account?: string | null;
  query: Record<string, unknown>;
  status: number;
  /** How the body ended: sent in full, abandoned by the client, or cut short by a failure. */
  outcome: "complete" | "cancelled" | "failed";
  upstreamCalls: number;
  /** From a trusted source only (see client-address.ts); null when none can be believed. */
  client: string | null;
}

/** Write one `data-request` line. */
export function recordDataRequest(record: DataRequestRecord, now: number = Date.now()): void {
  console.info(JSON.stringify({ time: new Date(now).toISOString(), event: "data-request", ...record }));
}

export interface StartupLine {
  level: "info" | "warn" | "error";
  message: string;
}

/**
 * What the server says about its configuration when it starts, so a deployment that will answer 503
 * is visible in its log before the first request. Never includes the token.
 */
export function startupReport(result: ConfigResult): StartupLine[] {
  if (!result.ok) {
    return [
      {
        level: "error",
        message: `Audit Log Explorer is not configured; every page and data route answers 503 until this is fixed: ${result.problems.join("; ")}`,
      },
    ];
  }
  const { mode, api, authMode, access, basic } = result.config;
  const auth =
    authMode === "access" && access
      ? `access (issuer ${access.origin}, ${access.allowAnyEmail ? "any email" : `${access.allowedEmails.length} allowed email pattern(s)`}, ${access.allowedServiceTokens.length} allowed service token(s))`
      : authMode === "basic" && basic
        ? `basic (user ${basic.user})`
        : (authMode ?? "not set");
  const lines: StartupLine[] = [
    { level: "info", message: `Audit Log Explorer: mode=${mode} api=${api} auth=${auth}` },
  ];
  if (authMode === null) {
    lines.push({
      level: "error",
      message:
        "A Cloudflare API token is configured but AUTH_MODE is not set: every page and data route answers 503. Set AUTH_MODE=access (Cloudflare Access), basic, or none (only behind another login).",
    });
  } else if (
    authMode === "basic" &&
    result.config.production &&
    !result.config.basicAllowHttp &&
    result.config.trustedProxies.length === 0
  ) {
    lines.push({
      level: "warn",
      message:
        "Basic sign-in in production without TRUSTED_PROXIES: HTTPS cannot be recognised, so every sign-in is refused with 403. List the TLS proxy in TRUSTED_PROXIES, or set BASIC_AUTH_ALLOW_HTTP=true.",
    });
  } else if (authMode === "access" && access?.allowAnyEmail) {
    lines.push({
      level: "warn",
      message:
        "ACCESS_ALLOW_ANY_EMAIL=true: anyone Cloudflare Access admits can read the account's audit logs; list them in ACCESS_ALLOWED_EMAILS to narrow it.",
    });
  } else if (authMode === "none" && mode === "cloudflare") {
    lines.push({
      level: "warn",
      message:
        "AUTH_MODE=none with a real Cloudflare token: anyone who can reach this server can read the account's audit logs.",
    });
  }
  return lines;
}
