import "server-only";
import type { ParamError } from "@/lib/search-params";

/** Stable problem types of the HTTP API; the slug is the last segment of `type`. */
export type ProblemSlug =
  | "invalid-query"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "not-configured"
  | "export-too-large"
  | "too-many-exports"
  | "export-running"
  | "too-many-sign-ins"
  | "upstream-auth"
  | "upstream-rate-limited"
  | "upstream-unavailable"
  | "upstream-invalid-response"
  | "upstream-timeout"
  | "upstream-rejected"
  | "upstream-paused"
  | "upstream-budget"
  | "internal";

export interface ProblemInit {
  status: number;
  slug: ProblemSlug;
  title: string;
  detail: string;
  errors?: ParamError[];
  /** Seconds, sent as `Retry-After` and echoed in the body. */
  retryAfter?: number;
  headers?: Record<string, string>;
}

/** An error that already knows how it is shown to API callers. Its detail never carries upstream bodies. */
export class ProblemError extends Error {
  readonly init: ProblemInit;
  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    super(`${init.status} ${init.slug}: ${init.detail}`, options);
    this.name = "ProblemError";
    this.init = init;
  }
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The JSON body of a problem, as `problemResponse` sends it. */
export function problemBody(init: ProblemInit, requestId?: string) {
  return {
    type: `/problems/${init.slug}`,
    title: init.title,
    status: init.status,
    detail: init.detail,
    ...(init.errors ? { errors: init.errors } : {}),
    ...(init.retryAfter !== undefined ? { retryAfter: init.retryAfter } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

export function problemResponse(init: ProblemInit, requestId?: string): Response {
  const headers = new Headers({ "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store" });
  if (init.retryAfter !== undefined) headers.set("retry-after", String(init.retryAfter));
  for (const [k, v] of Object.entries(init.headers ?? {})) headers.set(k, v);
  return new Response(JSON.stringify(problemBody(init, requestId)), { status: init.status, headers });
}

export function invalidQuery(errors: ParamError[]): ProblemInit {
  const n = errors.length;
  return {
    status: 400,
    slug: "invalid-query",
    title: "Invalid query parameters",
    detail: `${n} parameter${n === 1 ? " is" : "s are"} invalid: ${[...new Set(errors.map((e) => e.parameter))].join(", ")}.`,
    errors,
  };
}

/** Turn anything thrown in a route into a problem response; unexpected errors are logged, never shown. */
export function toProblemResponse(error: unknown, requestId: string = crypto.randomUUID()): Response {
  if (error instanceof ProblemError) {
    if (error.init.status >= 500) console.error(`[${requestId}] ${error.message}`, error.cause ?? "");
    return problemResponse(error.init, requestId);
  }
  console.error(`[${requestId}] unexpected error`, error);
  return problemResponse(
    {
      status: 500,
      slug: "internal",
      title: "Internal error",
      detail: "The server failed unexpectedly; see its log.",
    },
    requestId,
  );
}
