import { manifestResponse } from "@/lib/server/export-manifest-route";
import { dataRoute } from "@/lib/server/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/logs/export/{id}/manifest`: what an export contained (rows, bytes, SHA-256, window, query),
 * for the viewer who ran it, for 24 h. 409 while the export is still running; 404 when unknown,
 * expired or another viewer's.
 */
export const GET = dataRoute<{ id: string }>(async ({ requestId, config, viewer, params }) =>
  manifestResponse(config, viewer, params.id, requestId),
);
