import "server-only";
import { authorize, usableConfig, type Viewer } from "./auth";
import type { Config } from "./config";
import { problemResponse, toProblemResponse } from "./problem";
import { withApiHeaders } from "./security-headers";
import { clientClosedResponse, isClientAbort } from "./upstream-errors";

export interface RouteContext<P> {
  request: Request;
  requestId: string;
  config: Config;
  viewer: Viewer;
  params: P;
}

/**
 * Wrap a data route handler: configuration check (503, fail closed), sign-in (401/403), then the
 * handler; anything thrown becomes problem+json, and every answer carries the API security headers.
 */
export function dataRoute<P = Record<string, never>>(handler: (ctx: RouteContext<P>) => Promise<Response>) {
  return async (request: Request, segment?: { params: Promise<P> }): Promise<Response> => {
    const requestId = crypto.randomUUID();
    try {
      const usable = usableConfig();
      if (!usable.ok) return withApiHeaders(problemResponse(usable.problem, requestId), request);
      const config = usable.config;
      const viewer = await authorize(request, config);
      const params = segment?.params ? await segment.params : ({} as P);
      return withApiHeaders(await handler({ request, requestId, config, viewer, params }), request);
    } catch (error) {
      // The client went away: nobody reads an answer, and it is not a server fault.
      if (isClientAbort(error)) return clientClosedResponse();
      return withApiHeaders(toProblemResponse(error, requestId), request);
    }
  };
}
