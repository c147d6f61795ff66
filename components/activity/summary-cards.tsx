"use client";

import type { ApiVersion } from "@/lib/audit-log";
import { formatCount } from "@/lib/format";
import type { StatsResponse } from "@/lib/stats";
import { TopValues, type OnFilter } from "./top-values";

interface SummaryCardsProps {
  stats: StatsResponse;
  api: ApiVersion;
  onFilter: OnFilter;
}

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="min-w-0 rounded-md border border-line bg-surface px-3 py-1.5">
      <dt className="text-2xs font-medium tracking-wide text-muted uppercase">{label}</dt>
      <dd className="truncate text-base font-semibold text-fg tabular-nums">
        {value}
        {detail && <span className="ml-1.5 text-xs font-normal text-muted">{detail}</span>}
      </dd>
    </div>
  );
}

const percent = (rate: number) =>
  rate === 0 ? "0%" : rate < 0.001 ? "<0.1%" : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;

/** Totals (entries, unique actors, failure rate) as figures. */
export function SummaryFigures({ stats }: { stats: StatsResponse }) {
  const { totals } = stats;
  return (
    <dl className="grid grid-cols-3 gap-2">
      <Figure label="Entries" value={formatCount(totals.entries)} />
      <Figure label="Unique actors" value={formatCount(totals.uniqueActors)} />
      <Figure
        label="Failure rate"
        value={percent(totals.failureRate)}
        detail={totals.failure > 0 ? `${formatCount(totals.failure)} failed` : undefined}
      />
    </dl>
  );
}

/** The top actors, action types, products and IP addresses, each value a click-to-filter button. */
export function SummaryCards({ stats, api, onFilter }: SummaryCardsProps) {
  const common = { total: stats.totals.entries, api, onFilter };
  return (
    <div className="grid min-w-0 grid-cols-1 gap-2 sm:grid-cols-2 xl:grid-cols-4">
      <TopValues title="Top actors" param={(v) => v.param} values={stats.top.actors} {...common} />
      <TopValues title="Top action types" param="action_type" values={stats.top.actionTypes} {...common} />
      <TopValues title="Top products" param="resource_product" values={stats.top.products} {...common} />
      <TopValues title="Top IP addresses" param="actor_ip_address" values={stats.top.ips} {...common} />
      {stats.top.unrecognised?.length > 0 && (
        <TopValues
          title="New values (result, actor type, context)"
          param={(v) => v.param}
          values={stats.top.unrecognised}
          {...common}
        />
      )}
    </div>
  );
}
