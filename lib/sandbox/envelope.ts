/**
 * Cloudflare's response envelopes: the v4 gateway shape for auth/routing errors
 * (`{success:false, errors:[{code, message}], messages:[], result:null}`) and the v2 audit-log
 * service shape, whose errors carry no code (`{success:false, errors:[{message}], messages:[]}`).
 */
import { fnv1a, hex8 } from "./prng";

export interface V4Message {
  code: number;
  message: string;
}

/** A JSON response with the headers Cloudflare's API sends (a `cf-ray` derived from the URL). */
export function json(
  status: number,
  body: unknown,
  url: string,
  headers: Record<string, string> = {},
): Response {
  const ray = `${hex8(fnv1a(url))}${hex8(fnv1a(`${url}#`))}`.slice(0, 16);
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=UTF-8", "cf-ray": `${ray}-SJC`, ...headers },
  });
}

export function v4Failure(
  status: number,
  errors: V4Message[],
  url: string,
  headers?: Record<string, string>,
): Response {
  return json(status, { success: false, errors, messages: [], result: null }, url, headers);
}

export function v2Failure(status: number, messages: string[], url: string): Response {
  return json(
    status,
    { success: false, errors: messages.map((message) => ({ message })), messages: [] },
    url,
  );
}

export function authenticationError(url: string): Response {
  return v4Failure(403, [{ code: 10000, message: "Authentication error" }], url);
}

/** Cloudflare's answer to a path it cannot route (an unknown path, or an account that is not ours). */
export function noRoute(path: string, url: string): Response {
  return v4Failure(
    400,
    [
      { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
      { code: 7000, message: "No route for that URI" },
    ],
    url,
  );
}

export function methodNotAllowed(method: string, url: string): Response {
  return v4Failure(405, [{ code: 10405, message: `Method ${method} not allowed` }], url, { allow: "GET" });
}
