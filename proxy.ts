import { NextResponse, type NextRequest } from "next/server";
import { authorize, usableConfig } from "@/lib/server/auth";
import { ProblemError, problemResponse, type ProblemInit } from "@/lib/server/problem";
import { apiHeaders, createNonce, isHttps, pageHeaders } from "@/lib/server/security-headers";

/**
 * First layer of sign-in and the security headers of every page and API response.
 * Route handlers and the server page check sign-in again: a proxy must never be the only check.
 */

/** Open for health checks: it tells a stranger `{ status }` only (more after sign-in, in the route). */
const HEALTH_PATH = "/api/health";
/**
 * Static files of `public/` that hold no data, open without sign-in: crawlers must be able to read
 * the robots file, and browsers fetch the manifest without credentials.
 */
const OPEN_FILES = new Set(["/robots.txt", "/manifest.webmanifest", "/icon.svg"]);

const isApiPath = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/");

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** The refusal for the request, or null when it may go on. */
async function refusal(request: NextRequest): Promise<ProblemInit | null> {
  try {
    const usable = usableConfig();
    if (!usable.ok) return usable.problem;
    await authorize(request, usable.config, "proxy");
    return null;
  } catch (error) {
    if (error instanceof ProblemError) return error.init;
    console.error("sign-in check failed unexpectedly", error);
    return {
      status: 500,
      slug: "internal",
      title: "Internal error",
      detail: "The server failed unexpectedly.",
    };
  }
}

function withHeaders<R extends Response>(response: R, headers: Record<string, string>): R {
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  return response;
}

/** A small page without scripts or styles, so browsers show the status (and prompt in basic mode). */
function refusalPage(problem: ProblemInit, https: boolean): Response {
  const title = escapeHtml(problem.title);
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${problem.status} ${title} · Audit Log Explorer</title></head>
<body><main><h1>${title}</h1><p>${escapeHtml(problem.detail)}</p></main></body></html>
`;
  const headers = new Headers({ ...apiHeaders(https), "content-type": "text/html; charset=utf-8" });
  for (const [k, v] of Object.entries(problem.headers ?? {})) headers.set(k, v);
  if (problem.retryAfter !== undefined) headers.set("retry-after", String(problem.retryAfter));
  return new Response(body, { status: problem.status, headers });
}

export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname } = request.nextUrl;
  const https = isHttps(request);
  const api = isApiPath(pathname);

  if (pathname !== HEALTH_PATH && !OPEN_FILES.has(pathname)) {
    const problem = await refusal(request);
    if (problem) {
      return api
        ? withHeaders(problemResponse(problem, crypto.randomUUID()), apiHeaders(https))
        : refusalPage(problem, https);
    }
  }
  if (api) return withHeaders(NextResponse.next(), apiHeaders(https));

  // Pages: a fresh nonce per request. Next reads it from the request's CSP while rendering and puts
  // it on its own scripts; the layout reads `x-nonce` for its inline script.
  const nonce = createNonce();
  const headers = pageHeaders(nonce, https);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

export const config = {
  // Everything but build assets: pages, API routes, RSC requests and prefetches alike.
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico).*)"],
};
