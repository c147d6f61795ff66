import { statusResponse } from "@/lib/server/export-manifest-route";
import { dataRoute } from "@/lib/server/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/logs/export/{id}/status`: how far the viewer's export has got (rows so far, and whether it
 * is paused for the API budget), polled by the export menu while the download runs. 404 when unknown,
 * expired or another viewer's.
 */
export const GET = dataRoute<{ id: string }>(async ({ requestId, config, viewer, params }) =>
  statusResponse(config, viewer, params.id, requestId),
);
