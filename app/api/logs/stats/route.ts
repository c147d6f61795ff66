import { validateSearch, pickQuery } from "@/lib/search-params";
import { invalidQuery, ProblemError } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";
import { getStats } from "@/lib/server/stats";
import { requestNow } from "@/lib/server/upstream";

export const dynamic = "force-dynamic";

/** `GET /api/logs/stats?<URL model>&buckets=`: counts over time, totals and top values (DESIGN.md §3). */
export const GET = dataRoute(async ({ request, config }) => {
  const now = requestNow(config);
  const checked = validateSearch(new URL(request.url).searchParams, {
    api: config.api,
    now,
    accept: ["buckets"],
  });
  if (!checked.ok) throw new ProblemError(invalidQuery(checked.errors));
  const stats = await getStats(config, pickQuery(checked.value), checked.value.buckets, now);
  return Response.json(stats);
});
