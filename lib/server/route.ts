import "server-only";
import { resolveAccount } from "./accounts";
import { canonicalQuery, recordDataRequest, type DataRequestRecord } from "./audit-trail";
import { authorize, usableConfig, type Viewer } from "./auth";
import { clientAddress } from "./client-address";
import type { Config } from "./config";
import { problemResponse, toProblemResponse } from "./problem";
import { runInRequest, type RequestContext } from "./request-context";
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
 * Wrap a data route handler: configuration check (503, fail closed), sign-in (401/403), the account
 * (`account=<id>`: 400 unknown, 403 not the viewer's; the handler gets that account's configuration), then the
 * handler; anything thrown becomes problem+json, and every answer carries the API security headers.
 * Each request leaves one `data-request` line in the audit trail once its body has ended.
 */
export function dataRoute<P = Record<string, never>>(handler: (ctx: RouteContext<P>) => Promise<Response>) {
  return (request: Request, segment?: { params: Promise<P> }): Promise<Response> => {
    const context: RequestContext = { requestId: crypto.randomUUID(), upstreamCalls: 0 };
    return runInRequest(context, async () => {
      const { requestId } = context;
      let config: Config | null = null;
      let account: string | null = null;
      let viewer: Viewer | null = null;
      let response: Response;
      try {
        const usable = usableConfig();
        if (!usable.ok) response = withApiHeaders(problemResponse(usable.problem, requestId), request);
        else {
          config = usable.config;
          viewer = await authorize(request, config);
          // Every data route reads one account: the one the request names, or the viewer's first.
          config = resolveAccount(config, viewer, new URL(request.url).searchParams);
          account = config.accountId;
          const params = segment?.params ? await segment.params : ({} as P);
          response = withApiHeaders(await handler({ request, requestId, config, viewer, params }), request);
        }
      } catch (error) {
        // The client went away: nobody reads an answer, and it is not a server fault.
        response = isClientAbort(error)
          ? clientClosedResponse()
          : withApiHeaders(toProblemResponse(error, requestId), request);
      }
      const url = new URL(request.url);
      const record: Omit<DataRequestRecord, "outcome"> = {
        requestId,
        who: viewer?.id ?? null,
        method: viewer?.method ?? config?.authMode ?? null,
        route: url.pathname,
        account,
        query: safeCanonicalQuery(url.searchParams),
        status: response.status,
        upstreamCalls: 0,
        client: clientAddress(request.headers, {
          // A request that signed in through Access carried a verified Access token.
          accessVerified: viewer?.method === "access",
          trustedProxies: config?.trustedProxies ?? [],
        }),
      };
      return recordWhenSent(response, context, (outcome) =>
        recordDataRequest({ ...record, outcome, upstreamCalls: context.upstreamCalls }),
      );
    });
  };
}

/** The trail must never turn an answer into a failure, whatever a client put in the query. */
function safeCanonicalQuery(params: URLSearchParams): Record<string, unknown> {
  try {
    return canonicalQuery(params);
  } catch {
    return { unreadable: true };
  }
}

/**
 * The response with its body passed through, so the trail line is written when the body has ended and
 * counts the upstream calls made while it streamed (an export pages as the client reads). Each read of
 * the body runs in the request's context; nothing is read ahead of the client.
 */
function recordWhenSent(
  response: Response,
  context: RequestContext,
  record: (outcome: DataRequestRecord["outcome"]) => void,
): Response {
  const source = response.body;
  if (!source) {
    record("complete");
    return response;
  }
  let ended = false;
  const end = (outcome: DataRequestRecord["outcome"]) => {
    if (ended) return;
    ended = true;
    record(outcome);
  };
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      pull: (controller) =>
        runInRequest(context, async () => {
          try {
            const chunk = await reader.read();
            if (chunk.done) {
              controller.close();
              end("complete");
            } else controller.enqueue(chunk.value);
          } catch (error) {
            end("failed");
            controller.error(error);
          }
        }),
      cancel: (reason) => {
        end("cancelled");
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
