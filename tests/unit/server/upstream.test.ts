import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadQuery } from "@/lib/search-params";
import { clearProductCategories } from "@/lib/server/product-categories";
import { ProblemError } from "@/lib/server/problem";
import { encodeCursor } from "@/lib/server/cursor";
import { buildV2Query, fetchLogPage, retryAfterOf, transportOnly } from "@/lib/server/upstream";
import { ClientAbortError } from "@/lib/server/upstream-errors";
import {
  ACCOUNT,
  TOKEN,
  fakeFetch,
  hanging,
  json,
  stalledBody,
  testConfig,
  v2Body,
  v2Entry,
} from "./fake-upstream";

const NOW = new Date("2026-11-15T12:00:00Z");
const query = (qs = "") => loadQuery(new URLSearchParams(qs));
/** A cursor as `fetchLogPage` hands it out for this query: the upstream position and the walk's window. */
const cursorOf = (
  next: string,
  {
    qs = "",
    config = testConfig(),
    since = "2026-11-08T12:00:00.000Z",
    before = "2026-11-15T12:00:00.000Z",
  } = {},
) => encodeCursor(config, query(qs), next, { since: new Date(since), before: new Date(before) });
/** The upstream position in a cursor (after its 32-byte signature). */
const nextOf = (cursor: string | null) =>
  cursor && JSON.parse(Buffer.from(cursor, "base64url").subarray(32).toString()).n;
const page = (qs = "", options: Partial<Parameters<typeof fetchLogPage>[2]> = {}, config = testConfig()) =>
  fetchLogPage(config, query(qs), { limit: 100, now: NOW, ...options }, transportOnly(config));

/** The problem a call fails with (or a failed assertion when it does not fail with one). */
async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return (error as ProblemError).init;
}

/**
 * The promise, after checking that it settled while timers are faked and none has fired: a call that
 * waited for any timer (a retry's sleep) would still be pending.
 */
async function settledWithoutTimers<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let turn = 0; turn < 100 && !settled; turn++) await new Promise((r) => setImmediate(r));
  expect(settled).toBe(true);
  return promise;
}

beforeEach(() => {
  clearProductCategories();
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("v2 requests", () => {
  it("sends the window, direction, limit, cursor and every filter as repeated and .not keys", async () => {
    const { calls } = fakeFetch((url) =>
      url.pathname.endsWith("/product_categories")
        ? json({
            success: true,
            errors: [],
            result: [{ value: "zerotrust", label: "Zero Trust", products: [] }],
          })
        : json(v2Body([v2Entry("a")], "c2")),
    );
    const result = await page(
      "range=7d&direction=asc&action_type=create&action_type=update&action_type.not=delete" +
        "&actor_email=a@example.com&raw_uri=/x?y=1%26z&product_category=zerotrust",
      {
        cursor: cursorOf("abc==", {
          qs:
            "range=7d&direction=asc&action_type=create&action_type=update&action_type.not=delete" +
            "&actor_email=a@example.com&raw_uri=/x?y=1%26z&product_category=zerotrust",
        }),
        limit: 50,
      },
    );
    expect(calls.map((c) => c.url.pathname.split("/").pop())).toEqual(["product_categories", "audit"]);
    const url = calls[1].url;
    expect(url.origin + url.pathname).toBe(
      `https://api.example.test/client/v4/accounts/${ACCOUNT}/logs/audit`,
    );
    expect(url.search).toBe(
      "?since=2026-11-08T12%3A00%3A00.000Z&before=2026-11-15T12%3A00%3A00.000Z&direction=asc&limit=50&cursor=abc%3D%3D" +
        "&action_type=create&action_type=update&action_type.not=delete&actor_email=a%40example.com" +
        "&product_category=zerotrust&raw_uri=%2Fx%3Fy%3D1%26z",
    );
    expect(nextOf(result.nextCursor)).toBe("c2");
    expect(result.data.map((r) => r.id)).toEqual(["a"]);
    expect(result.meta).toEqual({
      api: "v2",
      mode: "cloudflare",
      since: "2026-11-08T12:00:00.000Z",
      before: "2026-11-15T12:00:00.000Z",
    });
  });

  it("resolves since/before given as dates", () => {
    const q = buildV2Query(
      query("since=2026-11-01&before=2026-11-02T06:00:00%2B02:00"),
      {
        since: new Date("2026-11-01T00:00:00Z"),
        before: new Date("2026-11-02T04:00:00Z"),
      },
      { limit: 10 },
    );
    expect(q).toMatchObject({
      since: "2026-11-01T00:00:00.000Z",
      before: "2026-11-02T04:00:00.000Z",
      limit: 10,
    });
    expect(q).not.toHaveProperty("cursor");
  });

  it("ends the walk when result_info.cursor is absent or empty", async () => {
    fakeFetch(json(v2Body([v2Entry("a")], "")));
    expect((await page()).nextCursor).toBeNull();
    fakeFetch(json(v2Body([v2Entry("a")])));
    expect((await page("", {}, testConfig())).nextCursor).toBeNull();
  });

  it("sends only the bearer token, never the Global API key variables", async () => {
    vi.stubEnv("CLOUDFLARE_API_KEY", "global-key-should-not-leak");
    vi.stubEnv("CLOUDFLARE_EMAIL", "owner@example.com");
    vi.stubEnv("CLOUDFLARE_API_USER_SERVICE_KEY", "service-key");
    vi.stubEnv("CLOUDFLARE_CUSTOM_HEADERS", "X-Auth-Key: from-custom-headers\nX-Auth-Email: x@example.com");
    const { calls } = fakeFetch(json(v2Body([])));
    await page("", {}, testConfig());
    const headers = [...calls[0].headers.keys()];
    expect(calls[0].headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(headers.filter((h) => h.startsWith("x-auth"))).toEqual([]);
  });
});

describe("v1 requests", () => {
  const v1 = () => testConfig({ AUDIT_LOGS_API: "v1" });
  const v1Entry = (id: string) => ({
    id,
    when: "2026-11-01T10:00:00Z",
    action: { type: "add", result: true },
  });
  const body = (n: number, info: Record<string, unknown> = {}) => ({
    success: true,
    errors: [],
    messages: [],
    result: Array.from({ length: n }, (_, i) => v1Entry(`e${i}`)),
    result_info: info,
  });

  it("maps the supported filters to dotted names and pages by page/per_page", async () => {
    const { calls } = fakeFetch(json(body(2)));
    const result = await page(
      "range=24h&action_type=add&actor_email=a@example.com&actor_ip_address=10.0.0.0/8&zone_name=example.com&id=x",
      {
        limit: 2,
        cursor: cursorOf("3", {
          qs: "range=24h&action_type=add&actor_email=a@example.com&actor_ip_address=10.0.0.0/8&zone_name=example.com&id=x",
          config: v1(),
          since: "2026-11-14T12:00:00.000Z",
        }),
      },
      v1(),
    );
    const url = calls[0].url;
    expect(url.pathname).toBe(`/client/v4/accounts/${ACCOUNT}/audit_logs`);
    expect(url.search).toBe(
      "?since=2026-11-14T12%3A00%3A00.000Z&before=2026-11-15T12%3A00%3A00.000Z&direction=desc&page=3&per_page=2" +
        "&action.type=add&actor.email=a%40example.com&actor.ip=10.0.0.0%2F8&zone.name=example.com&id=x",
    );
    expect(nextOf(result.nextCursor)).toBe("4");
    expect(result.data[0]).toMatchObject({ actionResult: "success", actionType: "add" });
  });

  it("stops only on an empty page: a short page or a reached total_count may still have successors", async () => {
    fakeFetch(json(body(1)));
    expect(nextOf((await page("", { limit: 2 }, v1())).nextCursor)).toBe("2");
    fakeFetch(json(body(0)));
    expect(
      (await page("", { limit: 2, cursor: cursorOf("5", { config: v1() }) }, v1())).nextCursor,
    ).toBeNull();
    fakeFetch(json(body(2, { page: 2, per_page: 2, total_count: 4 })));
    expect(
      nextOf((await page("", { limit: 2, cursor: cursorOf("2", { config: v1() }) }, v1())).nextCursor),
    ).toBe("3");
    fakeFetch(json(body(2, { page: 1, per_page: 2, total_count: 5 })));
    expect(nextOf((await page("", { limit: 2 }, v1())).nextCursor)).toBe("2");
  });

  it("reports a page that disagrees with total_count in meta.dataQuality, and logs it", async () => {
    const warn = vi.mocked(console.warn);
    fakeFetch(json(body(9, { page: 1, per_page: 10, total_count: 47 })));
    const short = await page("", { limit: 10 }, v1());
    expect(short.data).toHaveLength(9);
    expect(short.meta.dataQuality).toMatchObject({ totalCount: 47, expected: 10, received: 9 });
    expect(short.meta.dataQuality?.message).toContain("47");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("total_count disagrees"));
    fakeFetch(json(body(3, { page: 6, per_page: 10, total_count: 47 })));
    expect(
      (await page("", { limit: 10, cursor: cursorOf("6", { config: v1() }) }, v1())).meta.dataQuality,
    ).toMatchObject({
      expected: 0,
      received: 3,
    });
    fakeFetch(json(body(7, { page: 5, per_page: 10, total_count: 47 })));
    expect(
      (await page("", { limit: 10, cursor: cursorOf("5", { config: v1() }) }, v1())).meta.dataQuality,
    ).toBeUndefined();
  });

  it("refuses a cursor that is not a page number, and unsupported filters, without calling upstream", async () => {
    const { calls } = fakeFetch(json(body(0)));
    expect(await problemOf(page("", { cursor: cursorOf("abc", { config: v1() }) }, v1()))).toMatchObject({
      status: 400,
      slug: "invalid-query",
    });
    expect(await problemOf(page("action_result=success", {}, v1()))).toMatchObject({ status: 400 });
    expect(calls).toHaveLength(0);
  });
});

describe("retries and error mapping", () => {
  const ok = json(v2Body([v2Entry("a")]));
  const status = (
    s: number,
    headers: Record<string, string> = {},
    body: unknown = { success: false, errors: [{ code: 1, message: "x" }] },
  ) => json(body, { status: s, headers });

  it("retries a 429 after a short Retry-After and succeeds", async () => {
    const { calls } = fakeFetch(status(429, { "retry-after": "0" }), ok);
    expect((await page()).data).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });

  it("fails at once with 503 and the upstream Retry-After when it is long", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { calls } = fakeFetch(status(429, { "retry-after": "300" }));
    const init = await problemOf(settledWithoutTimers(page()));
    expect(init).toMatchObject({ status: 503, slug: "upstream-rate-limited", retryAfter: 300 });
    expect(calls).toHaveLength(1);
  });

  it("gives up on 5xx after three attempts with 502", async () => {
    const { calls } = fakeFetch(status(500));
    expect(await problemOf(page())).toMatchObject({ status: 502, slug: "upstream-unavailable" });
    expect(calls).toHaveLength(3);
  });

  it("retries connection errors, then answers 502", async () => {
    const { calls } = fakeFetch(new TypeError("fetch failed"));
    expect(await problemOf(page())).toMatchObject({ status: 502, slug: "upstream-unavailable" });
    expect(calls).toHaveLength(3);
  });

  it("maps 401/403 to 502 upstream-auth without retrying", async () => {
    for (const s of [401, 403]) {
      const { calls } = fakeFetch(
        status(s, {}, { success: false, errors: [{ code: 10000, message: "Authentication error" }] }),
      );
      const init = await problemOf(page("", {}, testConfig()));
      expect(init).toMatchObject({ status: 502, slug: "upstream-auth" });
      expect(init.detail).toContain("Account Settings Read");
      expect(calls).toHaveLength(1);
    }
  });

  it("maps 400 to 502 upstream-rejected, showing only a short message naming a sent parameter", async () => {
    fakeFetch(status(400, {}, { success: false, errors: [{ message: "since is too far back" }] }));
    expect((await problemOf(page(""))).detail).toContain("since is too far back");
    fakeFetch(status(400, {}, { success: false, errors: [{ message: `secret internals ${TOKEN}` }] }));
    const init = await problemOf(page("", {}, testConfig()));
    expect(init).toMatchObject({ status: 502, slug: "upstream-rejected" });
    expect(init.detail).not.toContain("secret");
  });

  it("maps a 400 naming one of the viewer's filters to a 400 naming that filter", async () => {
    const refusal = { success: false, errors: [{ message: 'actor_type.not has an invalid value "robot"' }] };
    fakeFetch(status(400, {}, refusal));
    const init = await problemOf(page("actor_type=user&actor_type.not=robot"));
    expect(init).toMatchObject({ status: 400, slug: "invalid-query" });
    expect(init.errors).toEqual([{ parameter: "actor_type.not", message: expect.stringContaining("robot") }]);
  });

  it("maps a 404 of the list endpoint to upstream-rejected", async () => {
    fakeFetch(status(404));
    expect(await problemOf(page())).toMatchObject({ status: 502, slug: "upstream-rejected" });
  });

  it("answers 502 for a 200 that is HTML, empty, truncated or not a successful envelope", async () => {
    const bodies = [
      new Response("<html>Bad gateway</html>", { headers: { "content-type": "text/html" } }),
      new Response(""),
      new Response('{"success":true,"result":[', { headers: { "content-type": "application/json" } }),
      json({ success: false, errors: [], result: [] }),
      json({ success: true, result: { a: 1 } }),
      json({ success: true, result: [v2Entry("a"), "not an entry"] }),
    ];
    for (const body of bodies) {
      const { calls } = fakeFetch(body);
      expect(await problemOf(page("", {}, testConfig()))).toMatchObject({
        status: 502,
        slug: "upstream-invalid-response",
      });
      expect(calls).toHaveLength(1);
    }
  });

  // A hanging upstream never answers: only the call's deadline can end these calls (the attempt's
  // own timeout is far longer than the test's), so no wall-clock bound is needed.
  it("answers 504 when the upstream hangs before headers, within the deadline", async () => {
    fakeFetch(hanging);
    expect(await problemOf(page("", { deadlineMs: 400 }))).toMatchObject({
      status: 504,
      slug: "upstream-timeout",
    });
  });

  it("answers 504 when the body stalls after the headers", async () => {
    fakeFetch(() => stalledBody());
    expect(await problemOf(page("", { deadlineMs: 400 }))).toMatchObject({
      status: 504,
      slug: "upstream-timeout",
    });
  });

  it("answers 504 even when the transport ignores the abort signal", async () => {
    fakeFetch(() => new Promise<Response>(() => {}));
    expect(await problemOf(page("", { deadlineMs: 300 }))).toMatchObject({ status: 504 });
  });

  it("stops when the client goes away, aborting the upstream call", async () => {
    const { calls } = fakeFetch(hanging);
    const controller = new AbortController();
    const pending = page("", { signal: controller.signal });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(ClientAbortError);
    expect(calls[0].signal?.aborted).toBe(true);
  });

  it("makes no further call when the client goes away during a retry wait", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { calls } = fakeFetch(status(429, { "retry-after": "2" }), ok);
    const controller = new AbortController();
    const pending = page("", { signal: controller.signal });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    controller.abort();
    await expect(settledWithoutTimers(pending)).rejects.toBeInstanceOf(ClientAbortError);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
  });

  it("logs no token: the problem's cause is scrubbed", async () => {
    fakeFetch(status(500, {}, { success: false, errors: [{ message: `echo Bearer ${TOKEN}` }] }));
    const error = await page("", {}, testConfig()).catch((e: ProblemError) => e);
    const cause = String((error as ProblemError).cause);
    expect(cause).toContain("500");
    expect(cause).not.toContain(TOKEN);
    expect(cause).not.toMatch(/bearer/i);
  });
});

describe("retryAfterOf", () => {
  it("reads seconds, milliseconds and HTTP dates; ignores garbage", () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(retryAfterOf(h({ "retry-after": "3" }))).toBe(3000);
    expect(retryAfterOf(h({ "retry-after-ms": "150" }))).toBe(150);
    expect(
      retryAfterOf(h({ "retry-after": "Wed, 21 Oct 2015 07:28:10 GMT" }), Date.parse("2015-10-21T07:28:00Z")),
    ).toBe(10_000);
    expect(retryAfterOf(h({ "retry-after": "soon" }))).toBeNull();
    expect(retryAfterOf(h({}))).toBeNull();
  });
});
