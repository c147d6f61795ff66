import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the server knows about the data request under way, wherever in its call tree it is asked: the
 * audit trail reports how many upstream calls one request spent, counted where each attempt is made.
 */
export interface RequestContext {
  requestId: string;
  /** Upstream attempts made for this request so far, retries included. */
  upstreamCalls: number;
}

/**
 * On `globalThis`: the route bundles each get their own copy of this module, and the count must reach
 * the one instance the upstream module increments.
 */
const storage: AsyncLocalStorage<RequestContext> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("audit-log-explorer.request-context")
] ??= new AsyncLocalStorage<RequestContext>()) as AsyncLocalStorage<RequestContext>;

/** Run `fn` (and everything it starts) as part of a request. */
export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request under way, or undefined outside one (the health probe, the server page). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Count one upstream attempt against the request under way, if any. */
export function countUpstreamCall(): void {
  const context = storage.getStore();
  if (context) context.upstreamCalls++;
}
