import packageJson from "@/package.json";
import { resolveAccount } from "@/lib/server/accounts";
import { signedInViewer, usableConfig } from "@/lib/server/auth";
import { toProblemResponse } from "@/lib/server/problem";
import { withApiHeaders } from "@/lib/server/security-headers";
import { budgetStatus, checkUpstream } from "@/lib/server/gateway";

export const dynamic = "force-dynamic";

const version = packageJson.version;
const headers = { "cache-control": "no-store" };

/**
 * Readiness for load balancers, open without sign-in: a stranger learns `{ status }` only (`ok`, or
 * `degraded` with 503 while the server is not configured). A signed-in viewer also gets the mode, API
 * version, upstream reachability and error kind, and the software version: what an attacker would use
 * to pick a target. Configuration problems (which can name file paths) stay in the server log.
 */
export async function GET(request: Request): Promise<Response> {
  const usable = usableConfig();
  if (!usable.ok) {
    return withApiHeaders(Response.json({ status: "degraded" }, { status: 503, headers }), request);
  }
  const { config } = usable;
  const upstream = await checkUpstream(config);
  const status = upstream.reachable ? "ok" : "degraded";
  const viewer = await signedInViewer(request, config);
  if (!viewer) return withApiHeaders(Response.json({ status }, { headers }), request);
  // The budget tells how the dashboard is used: signed-in callers only, for the account asked
  // (`account=<id>`, as on data routes): each token has its own.
  let account;
  try {
    account = resolveAccount(config, viewer, new URL(request.url).searchParams);
  } catch (error) {
    return withApiHeaders(toProblemResponse(error), request);
  }
  const budget = await budgetStatus(account);
  const body = { status, configured: true, mode: config.mode, api: config.api, upstream, budget, version };
  return withApiHeaders(Response.json(body, { headers }), request);
}
