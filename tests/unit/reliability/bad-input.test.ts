import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as history } from "@/app/api/logs/[id]/history/route";
import { GET as exportCheck } from "@/app/api/logs/export/check/route";
import { GET as exportLogs } from "@/app/api/logs/export/route";
import { GET as logs } from "@/app/api/logs/route";
import { GET as stats } from "@/app/api/logs/stats/route";
import { FIELD_IDS, FILTERS } from "@/lib/audit-log";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

/**
 * Random and hostile query strings against the data routes: every answer is a 2xx or a 4xx
 * problem+json, never a 5xx or a stack trace, and invalid input never reaches the upstream.
 */
let upstream: SandboxServer;
const saved = { ...process.env };

beforeAll(async () => {
  upstream = await startSandboxServer({ port: 0, size: 3_000, seed: 7, enableFaults: true });
  Object.assign(process.env, {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: upstream.url,
    AUTH_MODE: "none",
    AUDIT_LOGS_API: "v2",
  });
});

afterAll(async () => {
  process.env = saved;
  await upstream.close();
});

const UPSTREAM_CHECKED = new Set([
  "product_category",
  ...FILTERS.filter((f) => f.kind === "enum").flatMap((f) => [f.param, `${f.param}.not`]),
]);

const KEYS = [
  "range",
  "since",
  "before",
  "direction",
  "cursor",
  "limit",
  "format",
  "buckets",
  "account",
  "columns",
  "tz",
  "log",
  "action_type",
  "action_type.not",
  "action_result",
  "actor_email",
  "actor_email.not",
  "actor_ip_address",
  "actor_type",
  "resource_type.not",
  "raw_status_code",
  "product_category",
  "id",
  "__proto__",
  "constructor",
  "action_type.not.not",
];

const HOSTILE = [
  "",
  " ",
  "../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  '=HYPERLINK("http://x","y")',
  "\u0000",
  "\r\nSet-Cookie: x=1",
  "ℌ𝔢𝔩𝔩𝔬 世界 مرحبا",
  "x".repeat(5_000),
  "2026-02-30",
  "2026-11-21T25:00:00Z",
  "-1",
  "1e309",
  "NaN",
  "0x10",
  "10.0.0.0/33",
  "::ffff:999.1.1.1",
  "a@b",
  "%E0%A4%A",
  '{"$gt":""}',
  "24h",
  "7d",
  "desc",
  "csv",
  "success",
  "create",
  "alice@example.com",
  "10.0.0.0/8",
  "500",
];

const pair = fc.tuple(
  fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 20 })),
  fc.oneof(
    fc.constantFrom(...HOSTILE),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
  ),
);
const query = fc.array(pair, { minLength: 1, maxLength: 6 });

async function expectWellFormed(res: Response) {
  expect(res.status, await res.clone().text()).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json();
    expect(body.status).toBe(res.status);
    expect(typeof body.title).toBe("string");
    // No stack frame, source path or raw error text.
    expect(JSON.stringify(body)).not.toMatch(/\\n\s+at |node_modules|\.(?:js|ts|mjs):\d+|Error:/);
  } else {
    await res.body?.cancel();
  }
}

const HANDLERS = {
  "/api/logs": logs,
  "/api/logs/export": exportLogs,
  "/api/logs/export/check": exportCheck,
  "/api/logs/stats": stats,
  "/api/health": health,
};
const ROUTES = Object.keys(HANDLERS) as (keyof typeof HANDLERS)[];
/** Routes that read the URL model; the health check ignores its query, and asks the upstream itself. */
const DATA_ROUTES = ROUTES.filter((r) => r !== "/api/health");

/** Hostile requests sent by this file, counted so the total can be checked at the end. */
let sent = 0;

/** Send a raw query string to a route and check the answer; the problem body of a 400, or null. */
async function probe(route: keyof typeof HANDLERS, rawQuery: string) {
  sent++;
  const hitsBefore = upstream.faults.hits;
  const res = await HANDLERS[route](new Request(`http://localhost${route}?${rawQuery}`));
  const status = res.status;
  const problem =
    status === 400 ? ((await res.clone().json()) as { errors?: { parameter: string }[] }) : null;
  await expectWellFormed(res);
  // Cursors are signed, so even a well-formed forged one is refused before any upstream call. Only
  // the upstream can tell an enum value newer than this dashboard's list, or a product category it
  // does not have: those cost a call.
  const onlyUpstreamCan = problem?.errors?.every((e) => UPSTREAM_CHECKED.has(e.parameter));
  if (status === 400 && !onlyUpstreamCan)
    expect(upstream.faults.hits, rawQuery.slice(0, 200)).toBe(hitsBefore);
  return { status, problem };
}

const long = (n: number, c = "x") => c.repeat(n);
const repeated = (key: string, value: string, n: number) =>
  Array.from({ length: n }, () => `${key}=${encodeURIComponent(value)}`).join("&");
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Hostile queries, each with the parameter its 400 must name (null: any answer below 500 will do, as
 * for a harmless value such as an encoded path in a text filter, which is sent upstream encoded).
 */
const CATALOGUE: [name: string, query: string, parameter: string | null][] = [
  ["a 9,000-character value", `raw_uri=${long(9_000)}`, "raw_uri"],
  ["a 600-character filter value", `resource_type=${long(600)}`, "resource_type"],
  ["2,000 distinct keys", Array.from({ length: 2_000 }, (_, i) => `k${i}=v`).join("&"), null],
  ["a 5,000-character key", `${long(5_000)}=1`, long(5_000).slice(0, 64)],
  ["a filter given 51 times", repeated("actor_email", "a@example.com", 51), "actor_email"],
  ["a filter given 1,000 times", repeated("action_type", "create", 1_000), "action_type"],
  ["range given 300 times", repeated("range", "24h", 300), "range"],
  ["columns naming one field 3,000 times", `columns=${Array(3_000).fill("id").join(",")}`, "columns"],
  ["columns naming every field twice", `columns=${[...FIELD_IDS, ...FIELD_IDS].join(",")}`, "columns"],
  [
    "columns naming a long unknown field 40 times",
    `columns=${Array(40).fill(long(150)).join(",")}`,
    "columns",
  ],
  ["a NUL in a filter", "resource_type=a%00b", "resource_type"],
  ["terminal escapes in a filter", "resource_type=%07%1B%5B31m", "resource_type"],
  ["CRLF in the open entry", "log=x%0D%0ASet-Cookie:%20a=1", "log"],
  ["DEL as an email", "actor_email=%7F", "actor_email"],
  ["a tab in a date", "since=2026-11-01%09", "since"],
  ["an encoded path in a text filter", "resource_id=..%2F..%2Fetc%2Fpasswd", null],
  ["a double-encoded slash", "zone_name=%252F%252F", null],
  ["an encoded slash in a key", "action%2Ftype=create", "action/type"],
  ["an encoded slash in the time zone", "tz=Europe%2FBerlin", "tz"],
  ["a limit of 23 digits", "limit=99999999999999999999999", "limit"],
  ["a limit of 1e309", "limit=1e309", "limit"],
  ["a negative limit", "limit=-1", "limit"],
  ["a fractional limit", "limit=1.5", "limit"],
  ["a million buckets", "buckets=1000000", "buckets"],
  ["a range of 999,999 days", "range=999999d", "range"],
  ["a range of 14 digits", "range=99999999999999m", "range"],
  ["a status code of 11 digits", "raw_status_code=99999999999", "raw_status_code"],
  ["the year 275760", "since=275760-09-13T00:00:00Z", "since"],
  ["an offset of +99:99", "since=2026-11-01T00:00:00%2B99:99", "since"],
  ["an unknown account", `account=${long(32, "f")}`, "account"],
  ["a path as the account", "account=..%2F..%2F", "account"],
  ["60 accounts", repeated("account", "x", 60), "account"],
  ["a cursor of zero bytes", "cursor=AAAA", "cursor"],
  ["a cursor of an empty object", `cursor=${b64({})}`, "cursor"],
  [
    "a forged cursor from 1970 to 2100",
    `cursor=${b64({ n: "x", s: "1970-01-01T00:00:00Z", b: "2100-01-01T00:00:00Z" })}`,
    "cursor",
  ],
  [
    "a forged cursor with a reversed window",
    `cursor=${b64({ n: "1", s: "2026-11-20", b: "2026-11-01" })}`,
    "cursor",
  ],
  ["a 3,000-character cursor", `cursor=${long(3_000, "A")}`, "cursor"],
  ["an empty cursor", "cursor=", "cursor"],
  ["a cursor with a slash", "cursor=a%2Fb", "cursor"],
  ["a cursor with a NUL", "cursor=a%00b", "cursor"],
  ["prototype keys", "__proto__=x&constructor.prototype=1", "__proto__"],
  ["empty keys", "&&&&=&==", ""],
  ["a broken percent-encoding in an email", "actor_email=%E0%A4%A", "actor_email"],
  ["a lone surrogate in an email", "actor_email=%ED%A0%80", "actor_email"],
  ["a format nobody offers", "format=xlsx", "format"],
];

describe("a catalogue of hostile requests, on every route", () => {
  it.each(CATALOGUE)("%s", async (_name, rawQuery, parameter) => {
    for (const route of DATA_ROUTES) {
      const { status, problem } = await probe(route, rawQuery);
      if (parameter === null) continue;
      expect(status, `${route}?${rawQuery.slice(0, 100)}`).toBe(400);
      expect(problem?.errors?.map((e) => e.parameter.slice(0, 64))).toContain(parameter);
    }
    const { status } = await probe("/api/health", rawQuery);
    expect(status).toBe(200);
  });

  it.each([
    ["an encoded slash", "a%2Fb"],
    ["a double-encoded slash", "a%252Fb"],
    ["dot segments", "..%2F..%2Fetc"],
    ["a NUL", "a%00b"],
    ["a CRLF", "a%0D%0Ab"],
    ["300 characters", long(300)],
    ["a huge number", "9".repeat(400)],
  ])("a history id with %s: 400 naming id, nothing sent upstream", async (_name, id) => {
    sent++;
    const hitsBefore = upstream.faults.hits;
    const res = await history(
      new Request(`http://localhost/api/logs/x/history?action_time=2026-11-01T00:00:00Z`),
      { params: Promise.resolve({ id: decodeURIComponent(id) }) },
    );
    expect(res.status).toBe(400);
    expect((await res.clone().json()).errors.map((e: { parameter: string }) => e.parameter)).toContain("id");
    await expectWellFormed(res);
    expect(upstream.faults.hits).toBe(hitsBefore);
  });

  it.each(CATALOGUE.filter(([, , parameter]) => parameter !== null))(
    "the history route, with %s: a 4xx problem, nothing sent upstream",
    async (_name, rawQuery, parameter) => {
      sent++;
      const hitsBefore = upstream.faults.hits;
      const res = await history(
        new Request(`http://localhost/api/logs/x/history?action_time=2026-11-01T00:00:00Z&${rawQuery}`),
        { params: Promise.resolve({ id: "00000000-0000-0000-0000-000000000000" }) },
      );
      const status = res.status;
      await expectWellFormed(res);
      // A well-formed cursor of the upstream's is opaque here: only the upstream can refuse it.
      if (parameter === "cursor" && upstream.faults.hits > hitsBefore) return;
      expect(status).toBe(400);
      expect(upstream.faults.hits).toBe(hitsBefore);
    },
  );
});

describe("bad input never breaks the API", () => {
  it("answers random and hostile queries with 2xx or a 4xx problem", async () => {
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom(...ROUTES), async (pairs, route) => {
        const params = new URLSearchParams();
        for (const [k, v] of pairs) params.append(k, v);
        await probe(route, params.toString());
      }),
      { numRuns: 300, seed: 20261121 },
    );
  });

  it("answers hostile history ids and times with 2xx or a 4xx problem", async () => {
    const id = fc.oneof(
      fc.constantFrom(
        "../../etc/passwd",
        "..%2F..",
        "%00",
        "a/b",
        "x".repeat(300),
        "' OR 1=1",
        "00000000-0000-0000-0000-000000000000",
      ),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(id, fc.constantFrom(...HOSTILE), async (logId, time) => {
        sent++;
        const hitsBefore = upstream.faults.hits;
        const params = new URLSearchParams({ action_time: time, since: "2026-11-01", before: time });
        const res = await history(new Request(`http://localhost/api/logs/x/history?${params}`), {
          params: Promise.resolve({ id: logId }),
        });
        const status = res.status;
        await expectWellFormed(res);
        if (status === 400) expect(upstream.faults.hits).toBe(hitsBefore);
      }),
      { numRuns: 120, seed: 7 },
    );
  });

  it("answers a cursor taken from another query with 400 naming the cursor", async () => {
    const first = await logs(new Request("http://localhost/api/logs?range=30d&limit=5"));
    const { nextCursor } = (await first.json()) as { nextCursor: string };
    expect(nextCursor).toBeTruthy();
    const res = await logs(
      new Request(
        `http://localhost/api/logs?range=30d&limit=5&action_result=failure&cursor=${encodeURIComponent(nextCursor)}`,
      ),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([
      { parameter: "cursor", message: expect.stringContaining("first page") },
    ]);
  });

  it("sent at least 500 hostile requests in all", () => {
    // Vitest runs a file's tests in order, so this one counts every request above.
    expect(sent).toBeGreaterThanOrEqual(500);
  });
});
