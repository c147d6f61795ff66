import "server-only";
import { authorize, type Viewer } from "./auth";
import { getConfig, type Config } from "./config";
import { problemResponse, toProblemResponse } from "./problem";
import { withApiHeaders } from "./security-headers";

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
      const result = getConfig();
      if (!result.ok) {
        return withApiHeaders(
          problemResponse(
            {
              status: 503,
              slug: "not-configured",
              title: "Server not configured",
              detail: `Fix the server configuration: ${result.problems.join("; ")}.`,
            },
            requestId,
          ),
        );
      }
      const config = result.config;
      if (config.authMode === null) {
        return withApiHeaders(
          problemResponse(
            {
              status: 503,
              slug: "not-configured",
              title: "Sign-in not configured",
              detail:
                "A Cloudflare API token is configured but AUTH_MODE is not set. Set AUTH_MODE=access (Cloudflare Access), basic, or none (only behind another login).",
            },
            requestId,
          ),
        );
      }
      const viewer = await authorize(request, config);
      const params = segment?.params ? await segment.params : ({} as P);
      return withApiHeaders(await handler({ request, requestId, config, viewer, params }));
    } catch (error) {
      return withApiHeaders(toProblemResponse(error, requestId));
    }
  };
}
