import { pickQuery, validateSearch } from "@/lib/search-params";
import { archiveIsOn } from "@/lib/server/archive/logs";
import { archiveStats } from "@/lib/server/archive/stats";
import { invalidQuery, problemResponse } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";
import { spender } from "@/lib/server/gateway";
import { getStats } from "@/lib/server/stats";
import { requestNow } from "@/lib/server/upstream";

export const dynamic = "force-dynamic";

/** Counts over time by result, totals and top values for the URL model, plus `buckets`. */
export const GET = dataRoute(async ({ request, requestId, config, viewer }) => {
  const now = requestNow(config);
  const params = new URL(request.url).searchParams;
  const options = { api: config.api, now, accept: ["buckets"] } as const;
  // With the archive on, a window older than Cloudflare's retention may still be answered from it.
  const beyondRetention = archiveIsOn();
  const search = validateSearch(params, { ...options, beyondRetention });
  if (!search.ok) return problemResponse(invalidQuery(search.errors), requestId);
  const query = pickQuery(search.value);
  // The archive counts every entry of a window it holds, with no upstream call.
  const archived = await archiveStats(config, query, search.value.buckets, now).catch((error: unknown) => {
    console.warn(`archive stats failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  });
  if (archived) return Response.json(archived, { headers: { "cache-control": "no-store" } });
  if (beyondRetention) {
    const strict = validateSearch(params, options);
    if (!strict.ok) return problemResponse(invalidQuery(strict.errors), requestId);
  }
  const stats = await getStats(config, query, search.value.buckets, now, spender("overview", viewer));
  return Response.json(stats, { headers: { "cache-control": "no-store" } });
});
