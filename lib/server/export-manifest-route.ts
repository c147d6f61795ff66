import "server-only";
import { accountLabel } from "./accounts";
import type { Viewer } from "./auth";
import type { Config } from "./config";
import { isExportId, readExportStatus, readManifest } from "./export-manifest";
import { getValueStore } from "./manifest-store";
import { invalidQuery, problemResponse } from "./problem";

/** Seconds a caller asking for a running export's manifest is told to wait. */
const RUNNING_RETRY_AFTER_SECONDS = 5;

const badId = (requestId: string) =>
  problemResponse(
    invalidQuery([{ parameter: "id", message: "Expected an export id, as sent in X-Export-Id." }]),
    requestId,
  );

/** Unknown, expired and another viewer's exports get the same answer, so ids reveal nothing. */
const noSuchExport = (detail: string, requestId: string) =>
  problemResponse({ status: 404, slug: "not-found", title: "No such export", detail }, requestId);

/** The answer of the status route: rows so far and any pause for the budget, 400 or 404. */
export async function statusResponse(
  config: Config,
  viewer: Viewer,
  id: string,
  requestId: string,
): Promise<Response> {
  if (!isExportId(id)) return badId(requestId);
  const status = await readExportStatus(getValueStore(config), viewer, id, Date.now(), accountLabel(config));
  if (status === null) return noSuchExport("No export of yours has this id.", requestId);
  return Response.json(status, { headers: { "cache-control": "no-store" } });
}

/** The answer of the manifest route: the manifest, 400 for a malformed id, 409 while running, or 404. */
export async function manifestResponse(
  config: Config,
  viewer: Viewer,
  id: string,
  requestId: string,
): Promise<Response> {
  if (!isExportId(id)) return badId(requestId);
  const found = await readManifest(getValueStore(config), viewer, id, accountLabel(config));
  if (found === "running")
    return problemResponse(
      {
        status: 409,
        slug: "export-running",
        title: "Export still running",
        detail: "The manifest is written when the export ends, so it never describes an unfinished file.",
        retryAfter: RUNNING_RETRY_AFTER_SECONDS,
      },
      requestId,
    );
  if (found === null)
    return noSuchExport(
      "No manifest of yours has this id: manifests are kept for 24 hours, for the viewer who exported.",
      requestId,
    );
  return Response.json(found, { headers: { "cache-control": "no-store" } });
}
