import packageJson from "@/package.json";
import { isSignedIn, usableConfig } from "@/lib/server/auth";
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
  if (!(await isSignedIn(request, config)))
    return withApiHeaders(Response.json({ status }, { headers }), request);
  // The budget tells how the dashboard is used: signed-in callers only.
  const budget = await budgetStatus(config);
  const body = { status, configured: true, mode: config.mode, api: config.api, upstream, budget, version };
  return withApiHeaders(Response.json(body, { headers }), request);
}
