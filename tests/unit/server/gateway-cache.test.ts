import { describe, expect, it } from "vitest";
import { validateSearch, type LogQuery } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import { logPageKey } from "@/lib/server/gateway";
import { createSharedCache } from "@/lib/server/shared-cache";
import type { LogPage, PageOptions } from "@/lib/server/upstream";
import { ClientAbortError } from "@/lib/server/upstream-errors";
import { makeLog, sandboxConfig as config } from "../export/fixtures";

const NOW = new Date("2026-11-20T12:00:00Z");

function query(qs: string): LogQuery {
  const result = validateSearch(new URLSearchParams(qs), { api: "v2", now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

interface Call {
  query: LogQuery;
  options: PageOptions;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * An upstream whose calls stay open until the test settles them; each answer carries the query it
 * was asked, so an answer given to the wrong caller shows.
 */
function controlledUpstream() {
  const calls: Call[] = [];
  const fetchPage = (_config: unknown, q: LogQuery, options: PageOptions) =>
    new Promise<LogPage>((resolve, reject) => {
      const page: LogPage = {
        data: [makeLog({ id: `${JSON.stringify(q.actor_email)}|${options.cursor ?? ""}` })],
        nextCursor: null,
        meta: { api: "v2", mode: "sandbox", since: "s", before: "b" },
      };
      options.signal?.addEventListener("abort", () => reject(new ClientAbortError()));
      calls.push({ query: q, options, resolve: () => resolve(page), reject });
    });
  return { calls, fetchPage };
}

type FetchPage = (config: Config, q: LogQuery, options: PageOptions) => Promise<LogPage>;

/** Pages through the gateway's cache, as `logPageJson` keys and keeps them. */
function createLogPages({
  fetchPage,
  ttlMs = 15_000,
  maxBytes,
}: {
  fetchPage: FetchPage;
  ttlMs?: number;
  maxBytes?: number;
}) {
  const shared = createSharedCache({ maxBytes });
  const getPage = (c: Config, q: LogQuery, options: PageOptions) =>
    shared.get(
      logPageKey(c, q, options.cursor ?? null, options.limit),
      async (signal) => JSON.stringify(await fetchPage(c, q, { ...options, signal })),
      { signal: options.signal, ttlMs },
    );
  return { getPage, cache: shared.local, inFlight: shared.inFlight };
}

const idOf = (json: string) => (JSON.parse(json) as LogPage).data[0].id;
const flush = () => new Promise((r) => setTimeout(r, 0));

describe("log page identity", () => {
  it("ignores the order and repetition of filter values and keys", () => {
    const a = logPageKey(
      config,
      query("actor_email=b@x.com&actor_email=a@x.com&action_type=create"),
      null,
      100,
    );
    const b = logPageKey(
      config,
      query("action_type=create&actor_email=a@x.com&actor_email=b@x.com&actor_email=a@x.com"),
      null,
      100,
    );
    expect(a).toBe(b);
  });

  it.each([
    ["another filter value", "actor_email=a@x.com", "actor_email=b@x.com", null, 100],
    ["an exclusion instead of an inclusion", "actor_email=a@x.com", "actor_email.not=a@x.com", null, 100],
    ["another range", "range=24h", "range=7d", null, 100],
    ["another direction", "direction=asc", "direction=desc", null, 100],
    ["another absolute window", "since=2026-11-01T00:00:00Z", "since=2026-11-02T00:00:00Z", null, 100],
    ["another cursor", "", "", "abc", 100],
    ["another page size", "", "", null, 50],
  ] as const)("tells apart %s", (_, qa, qb, cursor, limit) => {
    expect(logPageKey(config, query(qa), null, 100)).not.toBe(logPageKey(config, query(qb), cursor, limit));
  });

  it("tells apart two upstream configurations", () => {
    const q = query("range=7d");
    const v1 = { ...config, api: "v1" as const };
    expect(logPageKey(config, q, null, 100)).not.toBe(logPageKey(v1, q, null, 100));
  });
});

describe("coalescing and the short-lived cache", () => {
  it("answers 20 identical concurrent requests with one upstream call", async () => {
    const upstream = controlledUpstream();
    const { getPage } = createLogPages({ fetchPage: upstream.fetchPage });
    const q = query("actor_email=a@x.com");
    const waiting = Array.from({ length: 20 }, () => getPage(config, q, { limit: 100, now: NOW }));
    await flush();
    expect(upstream.calls).toHaveLength(1);
    upstream.calls[0].resolve();
    const answers = await Promise.all(waiting);
    expect(new Set(answers).size).toBe(1);
    expect(idOf(answers[0])).toBe('["a@x.com"]|');
  });

  it("never gives one query's answer to another", async () => {
    const upstream = controlledUpstream();
    const { getPage } = createLogPages({ fetchPage: upstream.fetchPage });
    const emails = ["a@x.com", "b@x.com", "c@x.com"];
    const waiting = emails.flatMap((email) =>
      Array.from({ length: 5 }, () => getPage(config, query(`actor_email=${email}`), { limit: 100 })),
    );
    await flush();
    expect(upstream.calls.map((c) => c.query.actor_email)).toEqual(emails.map((e) => [e]));
    // Settle in reverse order, so answers cannot line up with callers by accident.
    for (const call of [...upstream.calls].reverse()) call.resolve();
    const answers = await Promise.all(waiting);
    answers.forEach((answer, i) => expect(idOf(answer)).toBe(`["${emails[Math.floor(i / 5)]}"]|`));
  });

  it("answers a repeat within the TTL from memory and asks again after it", async () => {
    const upstream = controlledUpstream();
    const { getPage, cache } = createLogPages({ fetchPage: upstream.fetchPage, ttlMs: 200 });
    const q = query("range=7d");
    const first = getPage(config, q, { limit: 100 });
    await flush();
    upstream.calls[0].resolve();
    const answer = await first;
    expect(await getPage(config, q, { limit: 100 })).toBe(answer);
    expect(upstream.calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 250));
    // Gone without being looked up again: memory is given back after a burst.
    expect(cache.size).toBe(0);
    const later = getPage(config, q, { limit: 100 });
    await flush();
    expect(upstream.calls).toHaveLength(2);
    upstream.calls[1].resolve();
    await later;
  });

  it("keeps no failure: the next request asks the upstream again", async () => {
    const upstream = controlledUpstream();
    const { getPage } = createLogPages({ fetchPage: upstream.fetchPage });
    const q = query("range=7d");
    const both = [getPage(config, q, { limit: 100 }), getPage(config, q, { limit: 100 })];
    await flush();
    upstream.calls[0].reject(new Error("upstream down"));
    for (const waiting of both) await expect(waiting).rejects.toThrow("upstream down");
    const again = getPage(config, q, { limit: 100 });
    await flush();
    expect(upstream.calls).toHaveLength(2);
    upstream.calls[1].resolve();
    await again;
  });

  it("lets a caller leave at once while the others still get the answer", async () => {
    const upstream = controlledUpstream();
    const { getPage } = createLogPages({ fetchPage: upstream.fetchPage });
    const q = query("range=7d");
    const leaving = new AbortController();
    const left = getPage(config, q, { limit: 100, signal: leaving.signal });
    const staying = getPage(config, q, { limit: 100, signal: new AbortController().signal });
    await flush();
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(ClientAbortError);
    expect(upstream.calls[0].options.signal?.aborted).toBe(false);
    upstream.calls[0].resolve();
    expect(idOf(await staying)).toBe("[]|");
  });

  it("aborts the upstream call when every caller has left, and starts afresh for the next", async () => {
    const upstream = controlledUpstream();
    const { getPage, inFlight } = createLogPages({ fetchPage: upstream.fetchPage });
    const q = query("range=7d");
    const callers = [new AbortController(), new AbortController()];
    const waiting = callers.map((c) => getPage(config, q, { limit: 100, signal: c.signal }));
    await flush();
    for (const c of callers) c.abort();
    for (const w of waiting) await expect(w).rejects.toBeInstanceOf(ClientAbortError);
    expect(upstream.calls[0].options.signal?.aborted).toBe(true);
    expect(inFlight.size).toBe(0);
    const next = getPage(config, q, { limit: 100 });
    await flush();
    expect(upstream.calls).toHaveLength(2);
    upstream.calls[1].resolve();
    expect(idOf(await next)).toBe("[]|");
  });

  it("refuses a caller that has already left without calling the upstream", async () => {
    const upstream = controlledUpstream();
    const { getPage } = createLogPages({ fetchPage: upstream.fetchPage });
    const gone = AbortSignal.abort();
    await expect(getPage(config, query("range=7d"), { limit: 100, signal: gone })).rejects.toBeInstanceOf(
      ClientAbortError,
    );
    expect(upstream.calls).toHaveLength(0);
  });

  it("stays within its memory bound, dropping the least recently used answers", async () => {
    const upstream = controlledUpstream();
    const { getPage, cache } = createLogPages({ fetchPage: upstream.fetchPage, maxBytes: 5_000 });
    for (let i = 0; i < 20; i++) {
      const waiting = getPage(config, query(`actor_email=u${i}@x.com`), { limit: 100 });
      await flush();
      upstream.calls[i].resolve();
      await waiting;
    }
    expect(cache.calculatedSize).toBeLessThanOrEqual(5_000);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThan(20);
  });
});
