import { capabilities } from "@/lib/capabilities";
import { invalidQuery, problemResponse } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";
import { history as fetchHistory, spender } from "@/lib/server/gateway";
import { historyNeedsV2, validateHistoryRequest } from "@/lib/server/history";
import { requestNow } from "@/lib/server/upstream";

export const dynamic = "force-dynamic";

/** The change history of the resource an entry touched (v2 only), with `historyStatus`. */
export const GET = dataRoute<{ id: string }>(async ({ request, requestId, config, params, viewer }) => {
  if (!capabilities(config.api).history) throw historyNeedsV2();
  const history = validateHistoryRequest(params.id, new URL(request.url).searchParams, requestNow(config));
  if (!history.ok) return problemResponse(invalidQuery(history.errors), requestId);
  const page = await fetchHistory(config, history.value, spender("interactive", viewer), {
    signal: request.signal,
  });
  return Response.json(page, { headers: { "cache-control": "no-store" } });
});
