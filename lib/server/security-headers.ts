import "server-only";

/** Headers every API response carries (security-reliability.md HDR-2/HDR-3). */
export const API_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/** Add the API security headers to a response (keeping any the handler set itself). */
export function withApiHeaders(response: Response): Response {
  for (const [k, v] of Object.entries(API_HEADERS)) if (!response.headers.has(k)) response.headers.set(k, v);
  return response;
}
