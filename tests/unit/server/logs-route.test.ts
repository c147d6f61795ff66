import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FILTERS, type AuditLog, type FilterDef } from "@/lib/audit-log";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { checkFilterValue } from "@/lib/search-params";
import { parseV1Page, parseV2Page } from "@/lib/server/normalize";
import { pinClock } from "../support/clock";
import { callJson, useCloudflareMode, useSandboxMode } from "./routes-support";

interface Page {
  data: AuditLog[];
  nextCursor: string | null;
  meta: { api: string; mode: string; since: string; before: string };
}

let sandbox: SandboxServer;
const auth = { authorization: `Bearer ${SANDBOX_TOKEN}` };

beforeAll(async () => {
  pinClock();
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: 3000, seed: 11, now: new Date() });
});
afterAll(async () => {
  await sandbox.close();
  vi.useRealTimers();
});
beforeEach(() => {
  sandbox.faults.reset();
  useCloudflareMode(sandbox.url);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The sandbox's own answer to a request URL, fetched directly with the bearer token. */
async function direct(url: string | URL): Promise<unknown> {
  const response = await fetch(url, { headers: auth });
  expect(response.status).toBe(200);
  return response.json();
}

const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A value of the filter's field that passes validation, taken from real rows. */
function sampleValue(filter: FilterDef, rows: AuditLog[], api: "v1" | "v2" = "v2"): string | null {
  if (!filter.field) return null;
  for (const row of rows) {
    const raw = row[filter.field];
    if (raw === null || raw === undefined || raw === "") continue;
    const value = String(raw);
    if (checkFilterValue(filter, value, api) === null) return value;
  }
  return null;
}

function fieldText(row: AuditLog, filter: FilterDef) {
  return String(row[filter.field!] ?? "").toLowerCase();
}

describe("GET /api/logs, v2, against the standalone sandbox", () => {
  let sample: AuditLog[];
  beforeAll(async () => {
    useCloudflareMode(sandbox.url);
    sample = (await callJson<Page>("/api/logs?range=90d&limit=1000")).body.data;
    vi.unstubAllEnvs();
  });

  it("answers a page with the documented shape", async () => {
    const { response, body } = await callJson<Page>("/api/logs?range=24h&limit=5");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(body.meta).toMatchObject({ api: "v2", mode: "cloudflare" });
    expect(Date.parse(body.meta.before) - Date.parse(body.meta.since)).toBe(86_400_000);
    expect(body.data.length).toBeLessThanOrEqual(5);
    expect(sandbox.faults.requests).toHaveLength(1);
    expect(sandbox.faults.requests[0].authorization).toBe(`Bearer ${SANDBOX_TOKEN}`);
  });

  const cases = FILTERS.flatMap((filter) =>
    (filter.negatable ? [false, true] : [false]).map((negated) => ({ filter: filter as FilterDef, negated })),
  );

  it.each(cases.map((c) => [`${c.filter.param}${c.negated ? ".not" : ""}`, c] as const))(
    "filter %s: exact upstream query, same rows as the sandbox's own answer",
    async (key, { filter, negated }) => {
      let value = sampleValue(filter, sample);
      if (filter.param === "product_category") {
        const categories = (await direct(
          `${sandbox.url}/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit/product_categories`,
        )) as {
          result: { value: string }[];
        };
        value = categories.result[0].value;
      }
      expect(value, `a sample value for ${key}`).not.toBeNull();
      sandbox.faults.reset();

      const { response, body } = await callJson<Page>(
        `/api/logs?range=90d&limit=200&${encodeURIComponent(key)}=${encodeURIComponent(value!)}`,
      );
      expect(response.status).toBe(200);
      // product_category is checked against the (cached) categories first: only list calls count here.
      const lists = sandbox.faults.requests.filter((r) => !r.url.includes("/product_categories"));
      expect(lists).toHaveLength(1);
      const sent = new URL(lists[0].url);
      expect(sent.pathname).toBe(`/client/v4/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit`);
      expect([...sent.searchParams]).toEqual([
        ["since", body.meta.since],
        ["before", body.meta.before],
        ["direction", "desc"],
        ["limit", "200"],
        [key, value],
      ]);

      const own = parseV2Page(await direct(sent));
      expect(body.data).toEqual(asJson(own.data));
      expect(body.nextCursor && decodeCursor(body.nextCursor)).toEqual(
        own.cursor ? { n: own.cursor, s: body.meta.since, b: body.meta.before } : null,
      );
      // A value taken from real rows always matches some; excluding it leaves rows exactly when some
      // entry has another value (every entry has the sandbox's one account name, for instance).
      const others = sample.filter((row) => fieldText(row, filter) !== value!.toLowerCase()).length;
      expect(body.data.length > 0, `${key} returns rows`).toBe(!negated || others > 0);
      if (filter.field && filter.kind !== "ip") {
        const wanted = value!.toLowerCase();
        for (const row of body.data)
          expect(fieldText(row, filter) === wanted, `${key} on ${row.id}`).toBe(!negated);
      }
    },
  );

  it("combines several values and filters into repeated keys", async () => {
    const { response, body } = await callJson<Page>(
      "/api/logs?range=90d&limit=50&action_type=create&action_type=delete&actor_type.not=system&direction=asc",
    );
    expect(response.status).toBe(200);
    const sent = new URL(sandbox.faults.requests[0].url);
    expect(sent.search).toBe(
      `?since=${encodeURIComponent(body.meta.since)}&before=${encodeURIComponent(body.meta.before)}` +
        "&direction=asc&limit=50&action_type=create&action_type=delete&actor_type.not=system",
    );
    for (const row of body.data) {
      expect(["create", "delete"]).toContain(row.actionType);
      expect(row.actorType).not.toBe("system");
    }
  });

  it("walks every matching entry exactly once, in order, through the cursor", async () => {
    const first = await callJson<Page>("/api/logs?range=90d&limit=1&actor_type=user");
    const { since, before } = first.body.meta;
    const window = `since=${encodeURIComponent(since)}&before=${encodeURIComponent(before)}&actor_type=user`;

    const ours: AuditLog[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 200; n++) {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const { response, body } = await callJson<Page>(`/api/logs?${window}&limit=137${suffix}`);
      expect(response.status).toBe(200);
      ours.push(...body.data);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();

    const reference: AuditLog[] = [];
    let next: string | null = null;
    do {
      const url = new URL(`${sandbox.url}/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit`);
      url.search = `since=${encodeURIComponent(since)}&before=${encodeURIComponent(before)}&actor_type=user&limit=1000`;
      if (next) url.searchParams.set("cursor", next);
      const page = parseV2Page(await direct(url));
      reference.push(...page.data);
      next = page.cursor;
    } while (next);

    expect(ours.length).toBeGreaterThan(137);
    expect(ours.map((r) => r.id)).toEqual(reference.map((r) => r.id));
    expect(new Set(ours.map((r) => r.id)).size).toBe(ours.length);
    const times = ours.map((r) => Date.parse(r.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe("GET /api/logs, v1, against the standalone sandbox", () => {
  beforeEach(() => useCloudflareMode(sandbox.url, { AUDIT_LOGS_API: "v1" }));

  it("sends each supported filter under its v1 name and matches the sandbox's own answer", async () => {
    const sample = (await callJson<Page>("/api/logs?range=90d&limit=1000")).body.data;
    for (const filter of FILTERS.filter((f) => "v1" in f) as FilterDef[]) {
      const value = sampleValue(filter, sample, "v1");
      expect(value, filter.param).not.toBeNull();
      sandbox.faults.reset();
      const { response, body } = await callJson<Page>(
        `/api/logs?range=90d&limit=1000&${filter.param}=${encodeURIComponent(value!)}`,
      );
      expect(response.status).toBe(200);
      const sent = new URL(sandbox.faults.requests[0].url);
      expect(sent.pathname).toBe(`/client/v4/accounts/${SANDBOX_ACCOUNT_ID}/audit_logs`);
      expect([...sent.searchParams]).toEqual([
        ["since", body.meta.since],
        ["before", body.meta.before],
        ["direction", "desc"],
        ["page", "1"],
        ["per_page", "1000"],
        [filter.v1, value],
      ]);
      const own = parseV1Page(await direct(sent));
      expect(body.data).toEqual(asJson(own.data));
      expect(body.data.length).toBeGreaterThan(0);
      expect(body.meta.api).toBe("v1");
    }
  });

  it("walks every entry exactly once, in order, through page cursors", async () => {
    const first = await callJson<Page>("/api/logs?range=30d&limit=1");
    const { since, before } = first.body.meta;
    const window = `since=${encodeURIComponent(since)}&before=${encodeURIComponent(before)}&direction=asc`;
    const ours: AuditLog[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 200; n++) {
      const suffix: string = cursor ? `&cursor=${cursor}` : "";
      const { body } = await callJson<Page>(`/api/logs?${window}&limit=100${suffix}`);
      ours.push(...body.data);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();

    const reference: AuditLog[] = [];
    for (let page = 1; ; page++) {
      const url = new URL(`${sandbox.url}/accounts/${SANDBOX_ACCOUNT_ID}/audit_logs`);
      url.search = `since=${encodeURIComponent(since)}&before=${encodeURIComponent(before)}&direction=asc&per_page=1000&page=${page}`;
      const { data } = parseV1Page(await direct(url));
      if (data.length === 0) break;
      reference.push(...data);
    }
    expect(ours.length).toBeGreaterThan(100);
    expect(ours.map((r) => r.id)).toEqual(reference.map((r) => r.id));
    expect(new Set(ours.map((r) => r.id)).size).toBe(ours.length);
    const times = ours.map((r) => Date.parse(r.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe("bad input", () => {
  const now = Date.now();
  const old = new Date(now - 600 * 86_400_000).toISOString();
  const bad: [string, string, Record<string, string>?][] = [
    ["since=garbage", "since"],
    ["since=2026-13-40T00:00:00Z", "since"],
    ["since=2026-11-02&before=2026-11-01", "before"],
    ["since=2026-11-01T00:00:00Z&before=2026-11-01T00:00:00Z", "before"],
    ["frobnicate=1", "frobnicate"],
    ["limit=0", "limit"],
    ["limit=5000", "limit"],
    ["limit=ten", "limit"],
    ["action_type=explode%21", "action_type"],
    ["actor_email=not-an-email", "actor_email"],
    ["direction=sideways", "direction"],
    ["range=1h&range=2h", "range"],
    ["range=600d", "range"],
    [`since=${encodeURIComponent(old)}`, "since"],
    ["action_result=success", "action_result", { AUDIT_LOGS_API: "v1" }],
    ["actor_email.not=a@example.com", "actor_email.not", { AUDIT_LOGS_API: "v1" }],
    ["widths=actorEmail:99999", "widths"],
    ["widths=nosuchcolumn:200", "widths"],
    ["density=cozy", "density"],
  ];

  it.each(bad)("%s → 400 naming %s, nothing sent upstream", async (qs, parameter, env) => {
    useCloudflareMode(sandbox.url, env);
    const { response, body } = await callJson<{
      status: number;
      type: string;
      errors: { parameter: string }[];
    }>(`/api/logs?${qs}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(body).toMatchObject({ status: 400, type: "/problems/invalid-query" });
    expect(body.errors.map((e) => e.parameter)).toContain(parameter);
    expect(sandbox.faults.hits).toBe(0);
  });

  it("refuses a v1 cursor that is not a page number, nothing sent upstream", async () => {
    useCloudflareMode(sandbox.url, { AUDIT_LOGS_API: "v1" });
    const { response, body } = await callJson<{ errors: { parameter: string }[] }>("/api/logs?cursor=abc");
    expect(response.status).toBe(400);
    expect(body.errors[0].parameter).toBe("cursor");
    expect(sandbox.faults.hits).toBe(0);
  });
});

describe("sandbox mode", () => {
  it("answers from the in-process sandbox without a token", async () => {
    useSandboxMode({ SANDBOX_SIZE: "2000", SANDBOX_SEED: "3", SANDBOX_NOW: "2026-11-15T12:00:00Z" });
    const { response, body } = await callJson<Page>("/api/logs?range=7d&limit=20");
    expect(response.status).toBe(200);
    expect(body.meta).toEqual({
      api: "v2",
      mode: "sandbox",
      since: "2026-11-08T12:00:00.000Z",
      before: "2026-11-15T12:00:00.000Z",
    });
    expect(body.data).toHaveLength(20);
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(sandbox.faults.hits).toBe(0);
  });

  it("answers v1 from the in-process sandbox too", async () => {
    useSandboxMode({
      SANDBOX_SIZE: "2000",
      SANDBOX_SEED: "3",
      SANDBOX_NOW: "2026-11-15T12:00:00Z",
      AUDIT_LOGS_API: "v1",
    });
    const { response, body } = await callJson<Page>("/api/logs?range=7d&limit=20");
    expect(response.status).toBe(200);
    expect(body.meta).toMatchObject({ api: "v1", mode: "sandbox" });
    expect(body.data).toHaveLength(20);
    expect(decodeCursor(body.nextCursor!)).toEqual({ n: "2", s: body.meta.since, b: body.meta.before });
  });
});

describe("cursor walks", () => {
  it("keep the window of the first page: a relative range does not slide between pages", async () => {
    useCloudflareMode(sandbox.url);
    const first = await callJson<Page>("/api/logs?range=30d&limit=5");
    // A minute later on the (pinned) clock: a window recomputed from the range would have moved.
    vi.setSystemTime(Date.now() + 60_000);
    const next = await callJson<Page>(
      `/api/logs?range=30d&limit=5&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    expect(next.response.status).toBe(200);
    expect(next.body.meta).toEqual(first.body.meta);
    const sent = new URL(sandbox.faults.requests.at(-1)!.url);
    expect(sent.searchParams.get("since")).toBe(first.body.meta.since);
    expect(sent.searchParams.get("before")).toBe(first.body.meta.before);
    expect(next.body.data[0].id).not.toBe(first.body.data[0].id);
  });
});

/** Our cursor: a 32-byte signature, then the upstream position and the walk's window as JSON (base64url). */
function decodeCursor(cursor: string) {
  return JSON.parse(Buffer.from(cursor, "base64url").subarray(32).toString("utf8"));
}
