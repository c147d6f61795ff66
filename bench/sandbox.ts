/**
 * Sandbox benchmark: generation time of 1,000,000 entries, and latency of 1,000-entry pages (v2 and
 * v1, with and without filters) through the in-process handler at that size, response text included.
 * Run alone with `npx tsx bench/sandbox.ts`; `npm run bench` calls {@link benchSandbox}.
 */
import { pathToFileURL } from "node:url";
import { SANDBOX_ACCOUNT_ID, SANDBOX_SEED, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { getDataset } from "@/lib/sandbox/dataset";
import { createSandboxHandler, type SandboxHandler } from "@/lib/sandbox/handler";

const SIZE = 1_000_000;
const PAGES = 40;
const NOW = new Date("2026-11-15T12:00:00Z");
const BASE = `https://api.cloudflare.com/client/v4/accounts/${SANDBOX_ACCOUNT_ID}`;
const HEADERS = { authorization: `Bearer ${SANDBOX_TOKEN}` };
const WINDOW = "since=2026-07-01&before=2026-11-16";

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** CPU time of each timed request: on a busy machine it shows the cost apart from waiting. */
let cpuSamples: number[] = [];

async function timed(handler: SandboxHandler, url: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const response = await handler(new Request(url, { headers: HEADERS }));
  const body = await response.text();
  const used = process.cpuUsage(cpu);
  cpuSamples.push((used.user + used.system) / 1000);
  if (response.status !== 200) throw new Error(`${response.status} ${body.slice(0, 300)}`);
  return { ms: performance.now() - started, body };
}

/** Walks `PAGES` v2 pages of one query by cursor; the first page is a warm-up. */
async function v2Pages(handler: SandboxHandler, filters: string): Promise<number[]> {
  const samples: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page <= PAGES; page++) {
    const url = `${BASE}/logs/audit?${WINDOW}&limit=1000${filters}${cursor ? `&cursor=${cursor}` : ""}`;
    const { ms, body } = await timed(handler, url);
    if (page > 0) samples.push(ms);
    cursor = JSON.parse(body).result_info.cursor;
    if (!cursor) break;
  }
  return samples;
}

/** Requests v1 pages 1…`PAGES` of one query; the first request also builds the match list. */
async function v1Pages(handler: SandboxHandler, filters: string): Promise<number[]> {
  const samples: number[] = [];
  for (let page = 1; page <= PAGES; page++) {
    samples.push((await timed(handler, `${BASE}/audit_logs?per_page=1000&page=${page}${filters}`)).ms);
  }
  return samples;
}

export async function benchSandbox(): Promise<Record<string, number>> {
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  getDataset(SANDBOX_SEED, SIZE, NOW.getTime());
  const generate = performance.now() - started;
  const generateCpu = process.cpuUsage(startedCpu);
  const handler = createSandboxHandler({ size: SIZE, now: NOW });

  const results: Record<string, number> = {
    generate_1m_ms: generate,
    generate_1m_cpu_ms: (generateCpu.user + generateCpu.system) / 1000,
  };
  const record = (name: string, samples: number[]) => {
    results[`${name}_p50_ms`] = percentile(samples, 50);
    results[`${name}_p95_ms`] = percentile(samples, 95);
    results[`${name}_cpu_p50_ms`] = percentile(cpuSamples.slice(-samples.length), 50);
  };
  cpuSamples = [];
  record("v2_page", await v2Pages(handler, ""));
  record(
    "v2_page_filtered",
    await v2Pages(handler, "&action_type=update&actor_context.not=dash&product_category=zerotrust"),
  );
  record(
    "v2_page_sparse_filter",
    await v2Pages(handler, "&actor_email=alice.moreau@acme.com&resource_product=DNS"),
  );
  record("v2_page_cidr", await v2Pages(handler, "&actor_ip_address=2a02::/16&action_result=failure"));
  const firstV1 = await v1Pages(handler, "&action.type=update&actor.ip=203.0.113.0/24");
  results.v1_first_filtered_request_ms = firstV1[0];
  record("v1_page_filtered", firstV1.slice(1));
  record("v1_page", await v1Pages(handler, ""));
  return results;
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  benchSandbox().then((results) => {
    const width = Math.max(...Object.keys(results).map((k) => k.length));
    for (const [name, value] of Object.entries(results))
      console.log(`${name.padEnd(width)}  ${value.toFixed(1)}`);
  });
}
