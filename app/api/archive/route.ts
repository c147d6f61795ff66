import { getArchive } from "@/lib/server/archive/runtime";
import { archiveStatus, OFF_STATUS } from "@/lib/server/archive/status";
import { dataRoute } from "@/lib/server/route";
import { requestNow } from "@/lib/server/upstream";

export const dynamic = "force-dynamic";

/** The archive's progress: state, span, entries, lag, last error and the head of its hash chain. */
export const GET = dataRoute(async ({ config }) => {
  const archive = getArchive();
  const body = archive ? await archiveStatus(await archive.db, requestNow(config)) : OFF_STATUS;
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
