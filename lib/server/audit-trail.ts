import "server-only";
import type { AuthMode, ConfigResult } from "./config";

/**
 * The server's own audit trail: who was let in to read the audit logs, and who was turned away.
 * One JSON line per decision on stdout, never with a token, JWT, password or query string.
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
  const { who, method, route, outcome, reason, layer, status } = decision;
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
    }),
  );
  return true;
}

/** Forget the allow-rate-limit memory (tests start from a clean trail). */
export function resetSignInTrail(): void {
  lastAllowLogged.clear();
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
