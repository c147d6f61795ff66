import "server-only";
import { ACCESS_JWT_HEADER, AccessTokenError, accessAllowed, verifyAccessToken } from "./access-jwt";
import { recordSignIn, type AuthLayer } from "./audit-trail";
import { BASIC_CHALLENGE, checkBasicAuth } from "./basic-auth";
import { clientAddress } from "./client-address";
import { getConfig, type AuthMode, type Config, type ConfigResult } from "./config";
import { ProblemError, type ProblemInit } from "./problem";
import { signInThrottle } from "./sign-in-throttle";

/** Who is reading the logs, as established by the configured sign-in. */
export interface Viewer {
  /** Email, service-token client id or basic user; "anonymous" with AUTH_MODE=none. */
  id: string;
  email: string | null;
  method: AuthMode;
}

/** Anything with `get(name)`: a `Headers`, or the read-only headers of `next/headers`. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The server's configuration when it can serve, or the 503 a request gets before any sign-in: a
 * broken configuration, or a real token without AUTH_MODE (fail closed).
 */
export function usableConfig(
  result: ConfigResult = getConfig(),
): { ok: true; config: Config } | { ok: false; problem: ProblemInit } {
  if (!result.ok)
    return {
      ok: false,
      problem: {
        status: 503,
        slug: "not-configured",
        title: "Server not configured",
        detail: `Fix the server configuration: ${result.problems.join("; ")}.`,
      },
    };
  if (result.config.authMode === null)
    return {
      ok: false,
      problem: {
        status: 503,
        slug: "not-configured",
        title: "Sign-in not configured",
        detail:
          "A Cloudflare API token is configured but AUTH_MODE is not set. Set AUTH_MODE=access (Cloudflare Access), basic, or none (only behind another login).",
      },
    };
  return { ok: true, config: result.config };
}

const UNAUTHENTICATED_DETAIL: Record<"access" | "basic", string> = {
  access:
    "Sign in through Cloudflare Access: this request carries no valid Cf-Access-Jwt-Assertion header for this application.",
  basic: "Sign in with the dashboard's user name and password.",
};

interface Denial {
  status: 401 | 403 | 429 | 502 | 503;
  who?: string;
  reason: string;
  attemptedUser?: string;
  client?: string | null;
  /** 429: seconds until the throttle lets this client or user name try again. */
  retryAfter?: number;
  /** 403: refused for the transport (plain HTTP), not for who the viewer is. */
  plainHttp?: boolean;
}

function deny(
  method: AuthMode | "unconfigured",
  route: string,
  layer: AuthLayer,
  denial: Denial,
): ProblemError {
  recordSignIn({
    who: denial.who ?? "unknown",
    method,
    route,
    outcome: "deny",
    reason: denial.reason,
    layer,
    status: denial.status,
    attemptedUser: denial.attemptedUser,
    client: denial.client,
  });
  // The reason stays in the server log: callers learn the status, never which check failed.
  switch (denial.status) {
    case 401:
      return new ProblemError({
        status: 401,
        slug: "unauthenticated",
        title: "Sign-in required",
        detail: UNAUTHENTICATED_DETAIL[method === "basic" ? "basic" : "access"],
        ...(method === "basic" ? { headers: { "www-authenticate": BASIC_CHALLENGE } } : {}),
      });
    case 403:
      if (denial.plainHttp)
        return new ProblemError({
          status: 403,
          slug: "forbidden",
          title: "HTTPS required",
          detail:
            "Basic sign-in sends the password with every request: this server accepts it over HTTPS only. Reach it through its HTTPS address (a TLS proxy listed in TRUSTED_PROXIES), or set BASIC_AUTH_ALLOW_HTTP=true.",
        });
      return new ProblemError({
        status: 403,
        slug: "forbidden",
        title: "Not allowed",
        detail: "You are signed in, but this identity is not allowed to read these audit logs.",
      });
    case 429:
      return new ProblemError({
        status: 429,
        slug: "too-many-sign-ins",
        title: "Too many failed sign-ins",
        detail:
          "Too many failed sign-in attempts from this address or for this user name: wait, then try again.",
        retryAfter: denial.retryAfter,
      });
    case 502:
      return new ProblemError({
        status: 502,
        slug: "upstream-unavailable",
        title: "Sign-in check unavailable",
        detail: "The Cloudflare Access signing keys could not be fetched. Try again shortly.",
      });
    case 503:
      return new ProblemError({
        status: 503,
        slug: "not-configured",
        title: "Sign-in not configured",
        detail: "Set AUTH_MODE=access, basic or none.",
      });
  }
}

function allow(viewer: Viewer, who: string, route: string, layer: AuthLayer, reason: string): Viewer {
  recordSignIn({ who, method: viewer.method, route, outcome: "allow", reason, layer });
  return viewer;
}

/**
 * Check the sign-in carried by a request's headers. Throws a ProblemError (401, 403, or 502 when the
 * Access keys cannot be fetched), after logging the decision.
 */
export async function authorizeHeaders(
  headers: HeaderSource,
  route: string,
  config: Config,
  layer: AuthLayer,
): Promise<Viewer> {
  switch (config.authMode) {
    case "none":
      return allow(
        { id: "anonymous", email: null, method: "none" },
        "anonymous",
        route,
        layer,
        "AUTH_MODE=none",
      );

    case "basic":
      return authorizeBasic(headers, route, config, layer);

    case "access": {
      if (!config.access)
        throw deny("access", route, layer, { status: 503, reason: "Access settings missing" });
      const token = headers.get(ACCESS_JWT_HEADER)?.trim();
      if (!token)
        throw deny("access", route, layer, { status: 401, reason: "no Cf-Access-Jwt-Assertion header" });
      let identity;
      try {
        identity = await verifyAccessToken(token, config.access);
      } catch (error) {
        if (!(error instanceof AccessTokenError)) throw error;
        if (error.kind === "unavailable")
          console.error(`Cloudflare Access keys unavailable:`, error.cause ?? error);
        throw deny("access", route, layer, {
          status: error.kind === "invalid" ? 401 : 502,
          reason: error.reason,
        });
      }
      const who = identity.kind === "user" ? identity.email : `service:${identity.commonName}`;
      const decision = accessAllowed(identity, config.access);
      if (!decision.allowed)
        throw deny("access", route, layer, { status: 403, who, reason: decision.reason });
      const viewer: Viewer =
        identity.kind === "user"
          ? { id: identity.email, email: identity.email, method: "access" }
          : { id: identity.commonName, email: null, method: "access" };
      return allow(
        viewer,
        who,
        route,
        layer,
        identity.kind === "user" ? "Access identity" : "Access service token",
      );
    }

    default:
      throw deny("unconfigured", route, layer, { status: 503, reason: "AUTH_MODE not set" });
  }
}

/**
 * Basic sign-in: over HTTPS in production, throttled per client address and per user name tried
 * (a blocked key is refused even with the right password), the tried name logged on every refusal.
 */
async function authorizeBasic(
  headers: HeaderSource,
  route: string,
  config: Config,
  layer: AuthLayer,
): Promise<Viewer> {
  if (!config.basic) throw deny("basic", route, layer, { status: 503, reason: "basic credentials missing" });
  const client = clientAddress(headers, { accessVerified: false, trustedProxies: config.trustedProxies });
  if (config.production && !config.basicAllowHttp && !forwardedHttps(headers, config))
    throw deny("basic", route, layer, { status: 403, reason: "plain HTTP", plainHttp: true, client });
  const check = checkBasicAuth(headers.get("authorization"), config.basic);
  // A browser's first request carries no credentials: it asks for the challenge, it guesses nothing.
  if (!check.ok && check.reason === "missing credentials")
    throw deny("basic", route, layer, { status: 401, reason: check.reason, client });

  const throttle = signInThrottle(config);
  const attemptedUser = check.ok || check.reason === "wrong credentials" ? check.user : undefined;
  const keys = { address: client, user: attemptedUser ?? null };
  if (!check.ok) {
    const wait = await throttle.fail(keys);
    throw deny(
      "basic",
      route,
      layer,
      wait === null
        ? { status: 401, reason: check.reason, attemptedUser, client }
        : { status: 429, reason: `${check.reason}; throttled`, attemptedUser, client, retryAfter: wait },
    );
  }
  const wait = await throttle.blocked(keys);
  if (wait !== null)
    throw deny("basic", route, layer, {
      status: 429,
      reason: "throttled after failed attempts",
      attemptedUser,
      client,
      retryAfter: wait,
    });
  return allow(
    { id: check.user, email: null, method: "basic" },
    check.user,
    route,
    layer,
    "password accepted",
  );
}

/**
 * Whether the client reached the dashboard over HTTPS. Next.js serves plain HTTP and builds even the
 * request URL's scheme from `X-Forwarded-Proto`, which a client can send itself: so HTTPS means a TLS
 * proxy, and the header is believed only when TRUSTED_PROXIES says the dashboard sits behind one. The
 * last value is the one the nearest proxy wrote.
 */
function forwardedHttps(headers: HeaderSource, config: Config): boolean {
  if (config.trustedProxies.length === 0) return false;
  const proto = headers.get("x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase();
  return proto === "https";
}

/**
 * Check the request's sign-in. Every route handler (through `dataRoute`) and the server page call
 * this, whatever `proxy.ts` already did: a proxy must not be the only check. Throws a 401/403
 * ProblemError when refused.
 */
export async function authorize(
  request: Request,
  config: Config,
  layer: AuthLayer = "route",
): Promise<Viewer> {
  return authorizeHeaders(request.headers, new URL(request.url).pathname, config, layer);
}

/**
 * Whether a request is signed in, for answers that only say more to a viewer (health). A request that
 * carries no credentials at all is a stranger without a line in the sign-in trail: load balancers poll
 * without them every few seconds.
 */
export async function isSignedIn(request: Request, config: Config): Promise<boolean> {
  return (await signedInViewer(request, config)) !== null;
}

/** The viewer a request signs in as, or null (no credentials, or refused), as {@link isSignedIn} decides. */
export async function signedInViewer(request: Request, config: Config): Promise<Viewer | null> {
  const carried =
    config.authMode === "none" ||
    (config.authMode === "basic" && request.headers.has("authorization")) ||
    (config.authMode === "access" && request.headers.has(ACCESS_JWT_HEADER));
  if (!carried) return null;
  try {
    return await authorize(request, config);
  } catch (error) {
    if (error instanceof ProblemError) return null;
    throw error;
  }
}

export type PageAuthorization =
  { viewer: Viewer } | { denied: { status: number; title: string; detail: string } };

/**
 * The server page's own sign-in check, rebuilt from the incoming request headers (`next/headers`).
 * A denial comes back as data for the page to render: the proxy has already answered such requests
 * with the real status, so this only matters when the proxy did not run.
 */
export async function authorizePage(route: string = "/"): Promise<PageAuthorization> {
  const { headers } = await import("next/headers");
  const requestHeaders = await headers();
  const usable = usableConfig();
  if (!usable.ok) {
    const { status, title, detail } = usable.problem;
    return { denied: { status, title, detail } };
  }
  try {
    return { viewer: await authorizeHeaders(requestHeaders, route, usable.config, "page") };
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    const { status, title, detail } = error.init;
    return { denied: { status, title, detail } };
  }
}
