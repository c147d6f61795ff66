import { LIVE_PRIORITY, LIVE_PRIORITY_HEADER } from "@/lib/live-follow";
import { pickQuery, validateSearch } from "@/lib/search-params";
import { archiveIsOn, archiveLogPage } from "@/lib/server/archive/logs";
import { logPageJson, spender } from "@/lib/server/gateway";
import { invalidQuery, problemResponse } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";
import { walkLogPage } from "@/lib/server/walk-pages";
import { requestNow } from "@/lib/server/upstream";

export const dynamic = "force-dynamic";

/**
 * One page of audit-log entries for the URL model, plus `cursor` and `limit`. Identical
 * requests share one upstream call and are answered from the cache for a few seconds.
 */
export const GET = dataRoute(async ({ request, requestId, config, viewer }) => {
  const now = requestNow(config);
  const params = new URL(request.url).searchParams;
  const options = { api: config.api, now, accept: ["cursor", "limit"] } as const;
  // With the archive on, a window older than Cloudflare's retention may still be answered from it.
  const beyondRetention = archiveIsOn();
  const search = validateSearch(params, { ...options, beyondRetention });
  if (!search.ok) return problemResponse(invalidQuery(search.errors), requestId);
  const { cursor, limit } = search.value;
  const query = pickQuery(search.value);
  // The archive answers when it holds the whole window, with no upstream call.
  const archived = await archiveLogPage(config, query, { cursor, limit, now, q: query.q });
  if (archived.page) return Response.json(archived.page, { headers: { "cache-control": "no-store" } });
  if (beyondRetention) {
    const strict = validateSearch(params, options);
    if (!strict.ok) return problemResponse(invalidQuery(strict.errors), requestId);
  }
  if (query.q)
    return problemResponse(
      invalidQuery([
        { parameter: "q", message: `Text search is answered by the archive only, and ${archived.reason}.` },
      ]),
      requestId,
    );
  // A live check is nobody waiting: it spends below a person's requests, like the activity overview.
  const live = request.headers.get(LIVE_PRIORITY_HEADER) === LIVE_PRIORITY;
  const ctx = spender(live ? "overview" : "interactive", viewer);
  // A filter change within a window walked a moment ago is answered from that walk.
  const walked = await walkLogPage(config, query, { cursor, limit, now }, ctx);
  if (walked) return Response.json(walked, { headers: { "cache-control": "no-store" } });
  const json = await logPageJson(config, query, { cursor, limit, now, signal: request.signal }, ctx);
  return new Response(json, {
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
});
