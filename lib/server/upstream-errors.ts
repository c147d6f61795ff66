import "server-only";
import { ProblemError, type ProblemInit } from "./problem";

/**
 * How upstream failures are shown to API callers. Every problem here has
 * a generic detail: the upstream body and SDK messages go to the server log only (as the error's cause,
 * which `toProblemResponse` logs with the request id), scrubbed of credentials.
 */

/** The caller went away (its request was aborted): stop, answer nothing useful, log nothing. */
export class ClientAbortError extends Error {
  constructor() {
    super("The client closed the request.");
    this.name = "ClientAbortError";
  }
}

export function isClientAbort(error: unknown): error is ClientAbortError {
  return error instanceof ClientAbortError;
}

/** What a route answers when its caller is gone: nobody reads it (499, as nginx logs it). */
export function clientClosedResponse(): Response {
  return new Response(null, { status: 499 });
}

/** Remove anything credential-like from text bound for the server log. */
export function scrub(text: string, token: string | null): string {
  let out = text;
  if (token) out = out.split(token).join("[redacted]");
  return out.replace(/\bbearer\s+\S+/gi, "[redacted]");
}

/** Server-log detail of a failure: kept as the problem's cause, never sent to the client. */
export function logCause(message: string, token: string | null): Error {
  return new Error(scrub(message, token).slice(0, 2000));
}

function problem(init: ProblemInit, cause: Error): ProblemError {
  return new ProblemError(init, { cause });
}

export function upstreamAuth(cause: Error): ProblemError {
  return problem(
    {
      status: 502,
      slug: "upstream-auth",
      title: "Upstream authentication failed",
      detail:
        "Cloudflare rejected the API token (check its Account Settings Read permission and account id).",
    },
    cause,
  );
}

export function upstreamRateLimited(retryAfter: number, cause: Error): ProblemError {
  return problem(
    {
      status: 503,
      slug: "upstream-rate-limited",
      title: "Upstream rate limit reached",
      detail: `Cloudflare is rate-limiting this API token; try again in ${retryAfter} seconds.`,
      retryAfter,
    },
    cause,
  );
}

export function upstreamUnavailable(cause: Error, retryAfter?: number): ProblemError {
  return problem(
    {
      status: 502,
      slug: "upstream-unavailable",
      title: "Upstream unavailable",
      detail: "The Cloudflare API could not be reached or failed; try again shortly.",
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    },
    cause,
  );
}

export function upstreamTimeout(cause: Error): ProblemError {
  return problem(
    {
      status: 504,
      slug: "upstream-timeout",
      title: "Upstream timeout",
      detail: "The Cloudflare API did not answer in time; try again or narrow the query.",
    },
    cause,
  );
}

export function upstreamInvalid(cause: Error): ProblemError {
  return problem(
    {
      status: 502,
      slug: "upstream-invalid-response",
      title: "Invalid upstream response",
      detail: "The Cloudflare API sent a response that is not a valid audit-log page.",
    },
    cause,
  );
}

/** An upstream 4xx other than auth/not-found/rate-limit: our query was refused. */
export function upstreamRejected(cause: Error, message: string | null): ProblemError {
  return problem(
    {
      status: 502,
      slug: "upstream-rejected",
      title: "Upstream rejected the query",
      detail: message
        ? `Cloudflare rejected the query: ${message}`
        : "Cloudflare rejected the query; see the server log for details.",
    },
    cause,
  );
}

/** The circuit breaker is open: calls fail at once, none reaches Cloudflare. */
export function upstreamPaused(retryAfter: number): ProblemError {
  return new ProblemError({
    status: 503,
    slug: "upstream-paused",
    title: "Upstream calls paused",
    detail: `Most recent calls to the Cloudflare API failed, so calls are paused for ${retryAfter} seconds to spare the account's API budget.`,
    retryAfter,
  });
}

export function notFound(detail: string, cause: Error): ProblemError {
  return problem({ status: 404, slug: "not-found", title: "Not found", detail }, cause);
}

/**
 * The first upstream error message when it is safe to show: short printable text naming one of the
 * parameters we sent (a validation message such as "invalid product_category"), never the token.
 */
export function safeUpstreamMessage(body: unknown, sentKeys: string[], token: string | null): string | null {
  if (!body || typeof body !== "object") return null;
  const errors = (body as { errors?: unknown }).errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : null;
  const message = first && typeof first === "object" ? (first as { message?: unknown }).message : null;
  if (typeof message !== "string" || message.length === 0 || message.length > 200) return null;
  if (!/^[\x20-\x7e]+$/.test(message) || /bearer/i.test(message)) return null;
  if (token && message.includes(token)) return null;
  const names = new Set(sentKeys.flatMap((k) => [k, k.replace(/\.not$/, "")]));
  return [...names].some((name) => message.includes(name)) ? message : null;
}
