import packageJson from "@/package.json";
import { usableConfig } from "@/lib/server/auth";
import { withApiHeaders } from "@/lib/server/security-headers";
import { checkUpstream } from "@/lib/server/upstream";

export const dynamic = "force-dynamic";

const version = packageJson.version;
const headers = { "cache-control": "no-store" };

/**
 * Readiness and upstream reachability for load balancers and operators: open without sign-in, since it
 * tells mode and reachability only, never a log entry or the token. Without a usable configuration it
 * answers 503 with what to fix.
 */
export async function GET(request: Request): Promise<Response> {
  const usable = usableConfig();
  if (!usable.ok) {
    const body = { status: "degraded", configured: false, detail: usable.problem.detail, version };
    return withApiHeaders(Response.json(body, { status: 503, headers }), request);
  }
  const { config } = usable;
  const upstream = await checkUpstream(config);
  const status = upstream.reachable ? "ok" : "degraded";
  const body = { status, configured: true, mode: config.mode, api: config.api, upstream, version };
  return withApiHeaders(Response.json(body, { headers }), request);
}
