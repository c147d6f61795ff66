import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { StatsResponse } from "@/lib/stats";
import { fakeUpstream, timeline } from "./fixtures";

const upstream = vi.hoisted(() => ({ calls: 0, impl: null as null | ((...args: unknown[]) => unknown) }));

vi.mock("@/lib/server/upstream", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/server/upstream")>();
  return {
    ...actual,
    fetchLogPage: (...args: unknown[]) => {
      upstream.calls += 1;
      return upstream.impl!(...args);
    },
  };
});

const { GET } = await import("@/app/api/logs/stats/route");

const ENV_KEYS = [
  "CLOUDFLARE_API_TOKEN",
  "CLOUDFLARE_API_TOKEN_FILE",
  "AUTH_MODE",
  "SANDBOX_NOW",
  "STATS_MAX_ENTRIES",
];
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const k of ENV_KEYS) saved[k] = process.env[k];
  for (const k of ENV_KEYS) delete process.env[k];
  // The sandbox clock pins `now`, so the window (and the fake's data) is fixed.
  process.env.SANDBOX_NOW = "2026-11-21T12:07:30Z";
});
afterAll(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});
beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
  upstream.calls = 0;
  upstream.impl = fakeUpstream(timeline(1_200)).fetchPage as never;
});

const get = (qs: string) => GET(new Request(`http://127.0.0.1/api/logs/stats?${qs}`));

describe("GET /api/logs/stats", () => {
  it.each([
    ["buckets=0", "buckets"],
    ["buckets=abc", "buckets"],
    ["buckets=501", "buckets"],
    ["buckets=10&buckets=20", "buckets"],
    ["range=1y", "range"],
    ["actor_email=not-an-email", "actor_email"],
    ["since=2026-11-21&before=2026-11-20", "before"],
    ["limit=10", "limit"],
  ])("answers 400 for %s without calling upstream", async (qs, parameter) => {
    const res = await get(qs);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json();
    expect(body.errors.map((e: { parameter: string }) => e.parameter)).toContain(parameter);
    expect(upstream.calls).toBe(0);
  });

  it("answers the counts as JSON, with the API headers", async () => {
    // Seven days ending at 12:07:30 touch 57 aligned three-hour bars.
    const res = await get("range=7d&buckets=57");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as StatsResponse;
    expect(body.bucketMs).toBe(3 * 3_600_000);
    expect(body.buckets).toHaveLength(57);
    expect(body.totals.entries).toBe(1_200);
    expect(body.coverage).toMatchObject({ entries: 1_200, complete: true });
    expect(body.meta).toEqual({ api: "v2", mode: "sandbox" });
    expect(Object.keys(body).sort()).toEqual([
      "bucketMs",
      "buckets",
      "coverage",
      "meta",
      "top",
      "totals",
      "window",
    ]);
  });

  it("uses 48 buckets by default and accepts the page's view parameters", async () => {
    const res = await get(
      "since=2026-11-20T12:00:00Z&before=2026-11-21T12:00:00Z&tz=local&columns=time,actorEmail",
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as StatsResponse).buckets).toHaveLength(48);
  });

  it("reports upstream faults as problems and does not keep them", async () => {
    const { ProblemError } = await import("@/lib/server/problem");
    upstream.impl = async () => {
      throw new ProblemError({
        status: 502,
        slug: "upstream-unavailable",
        title: "Upstream error",
        detail: "x",
      });
    };
    const failed = await get("range=30d&buckets=30");
    expect(failed.status).toBe(502);
    upstream.impl = fakeUpstream(timeline(10)).fetchPage as never;
    const ok = await get("range=30d&buckets=30");
    expect(ok.status).toBe(200);
    expect(upstream.calls).toBe(2);
  });
});
