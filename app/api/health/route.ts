import packageJson from "@/package.json";
import { isSignedIn, usableConfig } from "@/lib/server/auth";
import { withApiHeaders } from "@/lib/server/security-headers";
import { checkUpstream } from "@/lib/server/upstream";

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
  const body = { status, configured: true, mode: config.mode, api: config.api, upstream, version };
  return withApiHeaders(Response.json(body, { headers }), request);
}
