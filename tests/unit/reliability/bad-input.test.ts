import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as history } from "@/app/api/logs/[id]/history/route";
import { GET as exportCheck } from "@/app/api/logs/export/check/route";
import { GET as exportLogs } from "@/app/api/logs/export/route";
import { GET as logs } from "@/app/api/logs/route";
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

const KEYS = [
  "range",
  "since",
  "before",
  "direction",
  "cursor",
  "limit",
  "format",
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
};
const ROUTES = Object.keys(HANDLERS) as (keyof typeof HANDLERS)[];

describe("bad input never breaks the API", () => {
  it("answers random and hostile queries with 2xx or a 4xx problem", async () => {
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom(...ROUTES), async (pairs, route) => {
        const params = new URLSearchParams();
        for (const [k, v] of pairs) params.append(k, v);
        const hitsBefore = upstream.faults.hits;
        const res = await HANDLERS[route](new Request(`http://localhost${route}?${params}`));
        const status = res.status;
        const problem = status === 400 ? await res.clone().json() : null;
        await expectWellFormed(res);
        // Only the upstream can tell a well-formed cursor of another query: that one costs a call.
        const onlyCursor = problem?.errors?.every((e: { parameter: string }) => e.parameter === "cursor");
        if (status === 400 && !onlyCursor) expect(upstream.faults.hits).toBe(hitsBefore);
      }),
      { numRuns: 250, seed: 20261121 },
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
});
