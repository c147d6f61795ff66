import { validateSearch } from "@/lib/search-params";
import { exportLogs } from "@/lib/server/export";
import { invalidQuery, problemResponse } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";
import { requestNow } from "@/lib/server/upstream";

export const dynamic = "force-dynamic";

/**
 * `GET /api/logs/export?<URL model>&format=csv|ndjson&columns=<ids>`: every matching entry as a streamed
 * attachment, in the order of `direction` (DESIGN.md §3).
 */
export const GET = dataRoute(async ({ request, requestId, config, viewer }) => {
  const now = requestNow(config);
  const search = validateSearch(new URL(request.url).searchParams, {
    api: config.api,
    now,
    accept: ["format"],
  });
  if (!search.ok) return problemResponse(invalidQuery(search.errors), requestId);
  return exportLogs({ config, search: search.value, viewer, requestId, signal: request.signal, now });
});
