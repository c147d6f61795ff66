import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseRateLimit, SandboxRateLimiter } from "@/lib/sandbox/rate-limit";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { parseConfig } from "@/lib/server/config";
import { ACCOUNT, ALL_TIME, AUTH, call, makeHandler, NOW, query, v2Path } from "./helpers";

/** A limiter on a clock the test moves by hand. */
function pinned(limit: number, windowSeconds: number) {
  let now = NOW.getTime();
  const limiter = new SandboxRateLimiter({ limit, windowSeconds }, () => now);
  return { limiter, at: (seconds: number) => (now = NOW.getTime() + seconds * 1000) };
}

const allowed = (limiter: SandboxRateLimiter, token = "a") => limiter.take(token).allowed;

describe("SANDBOX_RATE_LIMIT format", () => {
  it("reads calls/seconds and off, and refuses anything else", () => {
    expect(parseRateLimit("1200/300s")).toEqual({ limit: 1200, windowSeconds: 300 });
    expect(parseRateLimit(" 120/30s ")).toEqual({ limit: 120, windowSeconds: 30 });
    expect(parseRateLimit("off")).toBeNull();
    for (const bad of ["", "1200", "1200/300", "0/30s", "12/0s", "-1/30s", "1.5/30s", "12/30m"])
      expect(() => parseRateLimit(bad), bad).toThrow(/1200\/300s/);
  });

  it("is part of the server configuration: Cloudflare's limit by default, lowered or off by env", () => {
    const read = (SANDBOX_RATE_LIMIT?: string) => {
      const result = parseConfig({ SANDBOX_RATE_LIMIT });
      if (!result.ok) throw new Error(result.problems.join("; "));
      return result.config.sandboxRateLimit;
    };
    expect(read()).toEqual({ limit: 1200, windowSeconds: 300 });
    expect(read("120/30s")).toEqual({ limit: 120, windowSeconds: 30 });
    expect(read("off")).toBeNull();
    const bad = parseConfig({ SANDBOX_RATE_LIMIT: "lots" });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.join()).toMatch(/^SANDBOX_RATE_LIMIT: expected calls\/seconds/);
  });
});

describe("the sandbox's per-token limit", () => {
  it("allows `limit` calls in a window and counts the quota down in the Ratelimit header", () => {
    const { limiter, at } = pinned(3, 10);
    const remaining = [0, 1, 2].map((s) => {
      at(s);
      const decision = limiter.take("a");
      expect(decision.allowed).toBe(true);
      expect(decision.headers["ratelimit-policy"]).toBe('"default";q=3;w=10');
      expect(decision.headers["retry-after"]).toBeUndefined();
      return decision.headers.ratelimit;
    });
    // The quota is whole again 10 s after the first call, counted from each answer.
    expect(remaining).toEqual(['"default";r=2;t=10', '"default";r=1;t=9', '"default";r=0;t=8']);
  });

  it("refuses the call over the limit with Retry-After, and keeps the token locked out a whole window", () => {
    const { limiter, at } = pinned(3, 10);
    for (const s of [0, 1, 2]) {
      at(s);
      expect(allowed(limiter)).toBe(true);
    }
    at(5);
    const refused = limiter.take("a");
    expect(refused).toMatchObject({ allowed: false, retryAfter: 10 });
    expect(refused.headers).toMatchObject({ "retry-after": "10", ratelimit: '"default";r=0;t=10' });
    // At 13 s every counted call has left the window, but the lockout set at 5 s lasts until 15 s.
    at(13);
    expect(limiter.take("a")).toMatchObject({ allowed: false, retryAfter: 2 });
    at(14.5);
    expect(limiter.take("a")).toMatchObject({ allowed: false, retryAfter: 1 });
    at(15);
    expect(allowed(limiter)).toBe(true);
  });

  it("holds over any span of the window's length, not per fixed window", () => {
    const { limiter, at } = pinned(3, 10);
    at(9);
    for (let k = 0; k < 3; k++) expect(allowed(limiter)).toBe(true);
    // A fixed window starting at 10 s would allow three more here: six calls in two seconds.
    at(10.5);
    expect(allowed(limiter)).toBe(false);
  });

  it("frees one slot as each call leaves the window", () => {
    const { limiter, at } = pinned(2, 10);
    at(0);
    expect(allowed(limiter)).toBe(true);
    at(6);
    expect(allowed(limiter)).toBe(true);
    at(10);
    // The call at 0 s has left the window ending now; the one at 6 s has not.
    expect(limiter.take("a")).toMatchObject({ allowed: true, headers: { ratelimit: '"default";r=0;t=6' } });
  });

  it("counts each token apart", () => {
    const { limiter } = pinned(1, 10);
    expect(allowed(limiter, "a")).toBe(true);
    expect(allowed(limiter, "a")).toBe(false);
    expect(allowed(limiter, "b")).toBe(true);
  });

  it("reports the 429s sent, calls per window and the busiest span of any start", () => {
    const { limiter, at } = pinned(4, 10);
    for (const s of [0, 8, 9, 11, 12, 13, 25]) {
      at(s);
      limiter.take("a");
    }
    const stats = limiter.stats();
    expect(stats).toMatchObject({ limit: 4, windowSeconds: 10, calls: 7, spanSeconds: 10 });
    // 8, 9, 11, 12 fill the quota; 13 is refused and locks the token out until 23; 25 is allowed again.
    expect(stats.throttled).toBe(1);
    expect(stats.windows).toEqual([3, 3, 1]);
    // Fixed windows show at most 3, but 8–13 s holds 5 calls.
    expect(stats.busiestSpan).toBe(5);
    expect(limiter.stats(2).busiestSpan).toBe(2);
    limiter.reset();
    expect(limiter.stats()).toMatchObject({ calls: 0, throttled: 0, windows: [], busiestSpan: 0 });
    expect(allowed(limiter)).toBe(true);
  });
});

describe("the sandbox answers over the limit as Cloudflare does", () => {
  it("429 with code 971 in the v4 envelope, Retry-After and rate-limit headers; 200s carry the quota", async () => {
    const { limiter } = pinned(2, 300);
    const handler = makeHandler({ limiter });
    const params = { ...ALL_TIME, limit: 5 };
    const first = await call(handler, v2Path, params);
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit")).toBe('"default";r=1;t=300');
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=2;w=300');
    expect((await call(handler, v2Path, params)).status).toBe(200);
    const over = await call(handler, v2Path, params);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({
      success: false,
      errors: [{ code: 971, message: "Please wait and consider throttling your request speed" }],
      messages: [],
      result: null,
    });
    expect(over.headers.get("retry-after")).toBe("300");
    expect(over.headers.get("ratelimit")).toBe('"default";r=0;t=300');
    expect(over.headers.get("ratelimit-policy")).toBe('"default";q=2;w=300');
  });

  it("applies Cloudflare's 1,200 calls per 5 minutes when no limit is given", async () => {
    const reply = await call(makeHandler(), v2Path, { ...ALL_TIME, limit: 1 });
    expect(reply.headers.get("ratelimit-policy")).toBe('"default";q=1200;w=300');
    expect(reply.headers.get("ratelimit")).toBe('"default";r=1199;t=300');
  });

  it("has no limit and sends no rate-limit headers when turned off", async () => {
    const handler = makeHandler({ rateLimit: null });
    const reply = await call(handler, v2Path, { ...ALL_TIME, limit: 1 });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("ratelimit")).toBeNull();
  });
});

describe("the standalone sandbox's limit and stats", () => {
  let server: SandboxServer;
  const v2 = `${query({ ...ALL_TIME, limit: 5 })}`;
  const get = () => fetch(`${server.url}/accounts/${ACCOUNT}/logs/audit${v2}`, { headers: AUTH });
  const stats = async () =>
    (await (await fetch(`http://127.0.0.1:${server.port}/__sandbox/stats`)).json()) as {
      hits: number;
      rateLimit: { throttled: number; calls: number; windows: number[]; busiestSpan: number; limit: number };
    };

  beforeAll(async () => {
    server = await startSandboxServer({
      port: 0,
      size: 300,
      now: NOW,
      enableFaults: true,
      rateLimit: { limit: 3, windowSeconds: 300 },
    });
  });
  afterAll(() => server.close());
  beforeEach(() => fetch(`http://127.0.0.1:${server.port}/__sandbox/reset`, { method: "POST" }));

  it("counts the 429s it sent and the calls of each window; reset clears them", async () => {
    const statuses: number[] = [];
    for (let k = 0; k < 5; k++) {
      const response = await get();
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const seen = await stats();
    expect(seen.hits).toBe(5);
    expect(seen.rateLimit).toMatchObject({ limit: 3, calls: 5, throttled: 2, windows: [5], busiestSpan: 5 });
    await fetch(`http://127.0.0.1:${server.port}/__sandbox/reset`, { method: "POST" });
    expect((await stats()).rateLimit).toMatchObject({ calls: 0, throttled: 0 });
    expect((await get()).status).toBe(200);
  });
});
