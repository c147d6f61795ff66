import packageJson from "@/package.json";
import { resolveAccount } from "@/lib/server/accounts";
import { signedInViewer, usableConfig, type Viewer } from "@/lib/server/auth";
import type { Config } from "@/lib/server/config";
import { ProblemError } from "@/lib/server/problem";
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
  const body = { status, configured: true, mode: config.mode, api: config.api, upstream, version };
  // The budget tells how the dashboard is used: signed-in callers only, for the account asked
  // (`account=<id>`, as on data routes: each token has its own). An account the viewer may not read,
  // or does not exist, gets none; readiness itself never fails on the query.
  const account = accountFor(config, viewer, new URL(request.url).searchParams);
  if (!account) return withApiHeaders(Response.json(body, { headers }), request);
  const budget = await budgetStatus(account);
  return withApiHeaders(Response.json({ ...body, api: account.api, budget }, { headers }), request);
}

function accountFor(config: Config, viewer: Viewer, params: URLSearchParams): Config | null {
  try {
    return resolveAccount(config, viewer, params);
  } catch (error) {
    if (error instanceof ProblemError) return null;
    throw error;
  }
}
