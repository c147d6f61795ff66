import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { LogExplorer } from "@/components/log-explorer/log-explorer";
import { PageProblem } from "@/components/log-explorer/page-problem";
import { logEntryQueryOptions, logsQueryOptions, PAGE_SIZE } from "@/lib/queries";
import { redirect } from "next/navigation";
import { foldAliases, loadSearchParams, pickQuery, validateSearch, type LogQuery } from "@/lib/search-params";
import { archiveIsOn, archiveLogPage } from "@/lib/server/archive/logs";
import { accountChoices, resolveAccount } from "@/lib/server/accounts";
import { authorizePage } from "@/lib/server/auth";
import { ProblemError } from "@/lib/server/problem";
import { getConfig, type Config } from "@/lib/server/config";
import { logPage, spender, type CallContext } from "@/lib/server/gateway";
import { walkLogPage } from "@/lib/server/walk-pages";
import { requestNow } from "@/lib/server/upstream";

type SearchParams = Record<string, string | string[] | undefined>;

/** A slow upstream must not hold the first paint: past this, the browser fetches (and shows progress). */
const PREFETCH_DEADLINE_MS = 4_000;

function toUrlSearchParams(raw: SearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v);
  }
  return params;
}

/** One page, from the archive when it holds the window (as /api/logs answers), else from the API. */
async function firstPage(config: Config, query: LogQuery, limit: number, now: Date, ctx: CallContext) {
  const archived = await archiveLogPage(config, query, { cursor: null, limit, now, q: query.q });
  if (archived.page) return archived.page;
  // The API has no text search: the browser's own request then shows the 400.
  if (query.q) throw new Error(archived.reason);
  // A window walked a moment ago answers as `/api/logs` would, with no call.
  const walked = await walkLogPage(config, query, { cursor: null, limit, now }, ctx);
  if (walked) return walked;
  // Through the page cache: the same key as the browser's own first request, so its refetch is free.
  return logPage(config, query, { cursor: null, limit, now, deadlineMs: PREFETCH_DEADLINE_MS }, ctx);
}

/**
 * Prefetch what the client would fetch first, with the same query options (and so the same keys):
 * the first page, and the open entry when a link names one that is not on it. Failures are left to
 * the client, which shows them with a retry.
 */
async function prefetch(
  client: QueryClient,
  config: Config,
  query: LogQuery,
  log: string | null,
  now: Date,
  ctx: CallContext,
) {
  const first = await client
    .infiniteQuery({
      ...logsQueryOptions(query),
      queryFn: () => firstPage(config, query, PAGE_SIZE, now, ctx),
    })
    .catch(() => null);
  if (!first || !log || first.pages[0]?.data.some((row) => row.id === log)) return;
  await client
    .query({
      ...logEntryQueryOptions(log, query),
      queryFn: async () => {
        const scoped = await firstPage(config, { ...query, id: [log], "id.not": [] }, 1, now, ctx);
        if (scoped.data[0]) return scoped.data[0];
        const wide = await firstPage(config, loadSearchParams({ id: log, range: "90d" }), 1, now, ctx);
        return wide.data[0] ?? null;
      },
    })
    .catch(() => null);
}

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = toUrlSearchParams(await searchParams);
  // A link with a deprecated spelling (`audit_log_id`) opens under the current one, which the page reads.
  const folded = foldAliases(params);
  if (folded !== params) redirect(`/?${folded}`);
  const auth = await authorizePage("/");
  if ("denied" in auth) return <PageProblem {...auth.denied} />;
  const result = getConfig();
  if (!result.ok) {
    return <PageProblem status={503} title="Server not configured" detail={result.problems.join("; ")} />;
  }
  // The account the link names (or the viewer's first), as every data route resolves it.
  let config: Config;
  try {
    config = resolveAccount(result.config, auth.viewer, params);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    const { status, title, detail, errors } = error.init;
    return <PageProblem status={status} title={title} detail={errors?.[0]?.message ?? detail} />;
  }
  const now = requestNow(config);
  // A link past Cloudflare's retention opens when the archive is on; /api/logs then says whether it holds it.
  const validation = validateSearch(params, { api: config.api, now, beyondRetention: archiveIsOn() });
  const client = new QueryClient();
  if (validation.ok) {
    const search = loadSearchParams(params);
    await prefetch(client, config, pickQuery(search), search.log, now, spender("interactive", auth.viewer));
  }

  return (
    <HydrationBoundary state={dehydrate(client)}>
      <LogExplorer
        api={config.api}
        mode={config.mode}
        account={config.accountId}
        accounts={accountChoices(result.config, auth.viewer)}
        authMode={config.authMode}
        anyAccessEmail={config.access?.allowAnyEmail ?? false}
        viewerEmail={auth.viewer.email}
        archive={archiveIsOn()}
        linkErrors={validation.ok ? [] : validation.errors}
      />
    </HydrationBoundary>
  );
}
