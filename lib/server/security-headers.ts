import "server-only";

/**
 * Response security headers. `proxy.ts` puts them on
 * every response it lets through or makes itself; route handlers add the API set again through
 * `withApiHeaders`, so a handler reached without the proxy is covered too.
 */

/** Browser features the dashboard never uses. Only names Chromium knows, so it logs no warnings. */
export const PERMISSIONS_POLICY =
  "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

export const HSTS = "max-age=63072000; includeSubDomains";

/** Headers on every response: pages, API, exports, errors and the proxy's own answers. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // Shared URLs carry actor emails and IP addresses in their query strings.
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": PERMISSIONS_POLICY,
  // An internal security dashboard must never be indexed, even when exposed by mistake.
  "x-robots-tag": "noindex, nofollow",
};

/** The policy of anything that is not a page: it loads nothing and may not be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers every API response carries. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  ...BASE_HEADERS,
  "cache-control": "no-store",
  "content-security-policy": API_CSP,
};

/** Whether the client reached us over HTTPS, directly or through a TLS-terminating proxy. */
export function isHttps(request: { url: string; headers: Headers }): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return request.url.startsWith("https:");
}

/** A fresh, unguessable CSP nonce (128 random bits, base64). */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export interface PageCspOptions {
  https: boolean;
  /** React's development build evaluates code to rebuild server stacks; production never does. */
  development?: boolean;
}

/** The Content-Security-Policy of a page rendered with `nonce`. */
export function pageCsp(nonce: string, { https, development = false }: PageCspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Not a nonce: nonces cover <style> elements but never `style="…"` attributes, and React renders
    // those (the virtualized table positions its rows with inline styles; Radix sets them on
    // popovers). A nonce here would block them, and styles cannot run script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Whether this server runs `next dev` (a build-time constant, not a product setting). */
export function isDevelopment(): boolean {
  // eslint-disable-next-line no-restricted-properties -- NODE_ENV is inlined by the compiler, not configuration
  return process.env.NODE_ENV === "development";
}

/** Headers of a page response rendered with `nonce`. */
export function pageHeaders(nonce: string, https: boolean): Record<string, string> {
  return {
    ...BASE_HEADERS,
    "content-security-policy": pageCsp(nonce, { https, development: isDevelopment() }),
    ...(https ? { "strict-transport-security": HSTS } : {}),
  };
}

/** Headers of an API response (also used for the plain pages the proxy answers with itself). */
export function apiHeaders(https: boolean): Record<string, string> {
  return { ...API_HEADERS, ...(https ? { "strict-transport-security": HSTS } : {}) };
}

/**
 * Add the API security headers to a response, keeping any the handler set itself. With the request,
 * HSTS is added when it came over HTTPS (the proxy adds it otherwise).
 */
export function withApiHeaders(response: Response, request?: { url: string; headers: Headers }): Response {
  const headers = apiHeaders(request ? isHttps(request) : false);
  for (const [k, v] of Object.entries(headers)) if (!response.headers.has(k)) response.headers.set(k, v);
  return response;
}
