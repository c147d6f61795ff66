import { parse } from "csv-parse/sync";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
  type MockInstance,
} from "vitest";
import { GET as checkRoute } from "@/app/api/logs/export/check/route";
import { GET as exportRoute } from "@/app/api/logs/export/route";
import { GET as logsRoute } from "@/app/api/logs/route";
import type { AuditLog, FieldId } from "@/lib/audit-log";
import { columnValue, csvCells } from "@/lib/csv";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { activeExports } from "@/lib/server/export-limits";

// The sandbox spreads its entries over the 120 days before its clock.
const NOW = new Date("2026-11-20T12:00:00Z");
const SIZE = 4000;
const WINDOW = "since=2026-07-01T00:00:00Z&before=2026-11-21T00:00:00Z";
const COLUMNS: FieldId[] = [
  "id",
  "time",
  "actionType",
  "actorEmail",
  "statusCode",
  "resourceType",
  "newValue",
  "uri",
];

let sandbox: SandboxServer;
let info: MockInstance<typeof console.info>;

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: SIZE, seed: 7, now: NOW });
});
afterAll(async () => {
  await sandbox.close();
});

function useCloudflareMode(env: Record<string, string> = {}) {
  for (const key of ["CLOUDFLARE_API_TOKEN_FILE", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "SANDBOX_NOW"])
    vi.stubEnv(key, undefined);
  const settings: Record<string, string> = {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: sandbox.url,
    AUDIT_LOGS_API: "v2",
    AUTH_MODE: "none",
    EXPORT_MAX_ROWS: "1000000",
    ...env,
  };
  for (const [key, value] of Object.entries(settings)) vi.stubEnv(key, value);
}

beforeEach(() => {
  sandbox.faults.reset();
  useCloudflareMode();
  info = vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await vi.waitFor(() => expect(activeExports()).toBe(0));
});

/** Let pending callbacks and I/O run, without waiting for any amount of wall-clock time. */
async function turns(n = 50) {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Every upstream call has ended (the bound only turns a hang into a failure). */
const callsEnd = () =>
  vi.waitFor(() => expect(sandbox.faults.inFlight).toBe(0), { timeout: 10_000, interval: 5 });

const callExport = (query: string, init?: RequestInit) =>
  exportRoute(new Request(`http://localhost/api/logs/export?${query}`, init));

/** Every entry `/api/logs` returns for a query, page after page. */
async function walkLogs(query: string): Promise<AuditLog[]> {
  const out: AuditLog[] = [];
  let cursor: string | null = null;
  do {
    const url = `http://localhost/api/logs?${query}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response = await logsRoute(new Request(url));
    expect(response.status).toBe(200);
    const page = (await response.json()) as { data: AuditLog[]; nextCursor: string | null };
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

describe.each(["v2", "v1"] as const)("GET /api/logs/export against the sandbox (%s)", (api) => {
  beforeEach(() => useCloudflareMode({ AUDIT_LOGS_API: api }));
  const query = `${WINDOW}&action_type=update`;

  it("CSV equals the /api/logs pages row for row", async () => {
    const expected = await walkLogs(query);
    expect(expected.length).toBeGreaterThan(1000);
    const response = await callExport(`${query}&format=csv&columns=${COLUMNS.join(",")}`);
    expect(response.status).toBe(200);
    const records: string[][] = parse(utf8(new Uint8Array(await response.arrayBuffer())), { bom: true });
    expect(records[0]).toEqual([
      "Audit log ID",
      "Action timestamp",
      "Action type",
      "Actor email",
      "HTTP status",
      "Resource type",
      "New value",
      "Request URI",
    ]);
    const rows = records.slice(1);
    expect(rows.map((r) => r[0])).toEqual(expected.map((log) => log.id));
    rows.forEach((row, i) =>
      expect(row).toEqual(csvCells(COLUMNS.map((id) => columnValue(expected[i], id))).map(String)),
    );
  });

  it("NDJSON equals the /api/logs pages entry for entry", async () => {
    const expected = await walkLogs(query);
    const response = await callExport(`${query}&format=ndjson`);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await response.text()).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((line) => JSON.parse(line) as AuditLog)).toEqual(expected);
  });
});

describe("GET /api/logs/export: the file", () => {
  it("starts with the BOM at byte 0 only, with CRLF records and download headers", async () => {
    const response = await callExport(`${WINDOW}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="cf-audit-${SANDBOX_ACCOUNT_ID}-20260701T000000Z-20261121T000000Z.csv"`,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 3).toString("hex")).toBe("efbbbf");
    expect(bytes.indexOf(Buffer.from("efbbbf", "hex"), 1)).toBe(-1);
    const records: string[][] = parse(utf8(bytes), { bom: true });
    expect(records).toHaveLength(SIZE + 1);
    expect(new Set(records.map((r) => r.length))).toEqual(new Set([9]));
    for (const cell of records.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r\n\0＝＋－＠]/);
    const lines = info.mock.calls.map((args) => String(args[0]));
    expect(lines.find((line) => line.includes("export end"))).toMatch(/"outcome":"complete","rows":4000,/);
  });

  it("answers 400 for a bad query without calling upstream", async () => {
    const response = await callExport("format=xlsx&columns=nope");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { errors: { parameter: string }[] };
    expect(body.errors.map((e) => e.parameter).sort()).toEqual(["columns", "format"]);
    expect(sandbox.faults.hits).toBe(0);
  });
});

describe("GET /api/logs/export: failures and limits", () => {
  it("an immediate upstream failure is a problem+json status", async () => {
    sandbox.faults.push({ kind: "status", status: 500 }, 10);
    const response = await callExport(`${WINDOW}&format=csv`);
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("a failure after page 2 makes reading the body reject", async () => {
    const response = await callExport(`${WINDOW}&format=csv`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    sandbox.faults.push({ kind: "status", status: 500 }, 10);
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    ).rejects.toThrow(/export failed after \d+ entries/);
    expect(info.mock.calls.at(-1)?.[0]).toMatch(/"outcome":"failed"/);
  });

  it("a client that goes away stops the upstream paging", async () => {
    sandbox.faults.set({ kind: "slow", delayMs: 100 });
    const reader = (await callExport(`${WINDOW}&format=csv`)).body!.getReader();
    await reader.read();
    const hits = sandbox.faults.hits;
    await reader.cancel();
    // The call for the next page may already be on the wire: it is aborted, and none follows it.
    await turns();
    await callsEnd();
    await turns();
    expect(sandbox.faults.inFlight).toBe(0);
    expect(sandbox.faults.hits).toBeLessThanOrEqual(hits + 1);
    expect(hits).toBeLessThan(SIZE / 1000);
    expect(info.mock.calls.at(-1)?.[0]).toMatch(/"outcome":"cancelled"/);
  });

  it("the request's abort signal stops it too", async () => {
    const client = new AbortController();
    const reader = (await callExport(`${WINDOW}&format=ndjson`, { signal: client.signal })).body!.getReader();
    await reader.read();
    client.abort();
    const hits = sandbox.faults.hits;
    await expect(reader.read()).rejects.toThrow(/went away/);
    await callsEnd();
    await turns();
    expect(sandbox.faults.inFlight).toBe(0);
    expect(sandbox.faults.hits).toBeLessThanOrEqual(hits + 1);
  });

  it("more rows than EXPORT_MAX_ROWS end the file with an error", async () => {
    useCloudflareMode({ EXPORT_MAX_ROWS: "2500" });
    const response = await callExport(`${WINDOW}&format=csv`);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow(/More than 2500 entries match/);
  });

  it("the first page already over EXPORT_MAX_ROWS is 422", async () => {
    useCloudflareMode({ EXPORT_MAX_ROWS: "10" });
    const response = await callExport(`${WINDOW}&format=csv`);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { type: string }).type).toBe("/problems/export-too-large");
  });

  it("a third concurrent export gets 429 with Retry-After", async () => {
    const first = await callExport(`${WINDOW}&format=csv`);
    const second = await callExport(`${WINDOW}&format=ndjson`);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await callExport(`${WINDOW}&format=csv`);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("30");
    expect(((await third.json()) as { type: string }).type).toBe("/problems/too-many-exports");
    await first.body!.cancel();
    await second.body!.cancel();
    const fourth = await callExport(`${WINDOW}&format=csv&columns=id`);
    expect(fourth.status).toBe(200);
    await fourth.arrayBuffer();
  });
});

describe("GET /api/logs/export/check", () => {
  const callCheck = (query: string) =>
    checkRoute(new Request(`http://localhost/api/logs/export/check?${query}`));

  it("answers the file's name and window after one upstream page, holding no export slot", async () => {
    const response = await callCheck(`${WINDOW}&format=ndjson&action_type=update`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      filename: `cf-audit-${SANDBOX_ACCOUNT_ID}-20260701T000000Z-20261121T000000Z.ndjson`,
      since: "2026-07-01T00:00:00.000Z",
      before: "2026-11-21T00:00:00.000Z",
      exportId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
    });
    expect(sandbox.faults.hits).toBe(1);
    expect(activeExports()).toBe(0);
  });

  it("answers the problem the export would: bad input (no upstream call), upstream failure, size, slots", async () => {
    const bad = await callCheck(`${WINDOW}&format=xlsx`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { parameter: string }[] }).errors[0].parameter).toBe("format");
    expect(sandbox.faults.hits).toBe(0);

    sandbox.faults.set({ kind: "status", status: 403 });
    const denied = await callCheck(`${WINDOW}&format=csv`);
    expect(denied.status).toBe(502);
    expect(((await denied.json()) as { type: string }).type).toBe("/problems/upstream-auth");
    sandbox.faults.reset();

    useCloudflareMode({ EXPORT_MAX_ROWS: "10" });
    expect((await callCheck(`${WINDOW}&format=csv`)).status).toBe(422);
    useCloudflareMode();

    const first = await callExport(`${WINDOW}&format=csv`);
    const second = await callExport(`${WINDOW}&format=csv`);
    const busy = await callCheck(`${WINDOW}&format=csv`);
    expect(busy.status).toBe(429);
    expect(busy.headers.get("retry-after")).toBe("30");
    await first.body!.cancel();
    await second.body!.cancel();
    expect((await callCheck(`${WINDOW}&format=csv`)).status).toBe(200);
  });

  it("answers a 503 while the upstream keeps refusing with 429, instead of waiting like the export would", async () => {
    sandbox.faults.set({ kind: "status", status: 429, retryAfter: "1" });
    const response = await callCheck(`${WINDOW}&format=csv`);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(activeExports()).toBe(0);
  });
});
