import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import type { AuditLog } from "@/lib/audit-log";
import { validateSearch } from "@/lib/search-params";
import {
  EXPORT_IDLE_MS,
  exportFilename,
  exportLogs,
  type ExportRequest,
  type PageRequest,
  type PageSource,
} from "@/lib/server/export";
import { activeExports } from "@/lib/server/export-limits";
import { ProblemError } from "@/lib/server/problem";
import type { LogPage } from "@/lib/server/upstream";
import { makeLog, sandboxConfig } from "./fixtures";
import { DANGEROUS_CELL, naiveRead } from "./spreadsheet-reader";

const NOW = new Date("2026-11-20T12:00:00Z");
const META: LogPage["meta"] = {
  api: "v2",
  mode: "sandbox",
  since: "2026-11-13T12:00:00.000Z",
  before: "2026-11-20T12:00:00.000Z",
};
const viewer = { id: "alice@example.com", email: "alice@example.com", method: "none" as const };

function search(query: string) {
  const result = validateSearch(new URLSearchParams(query), { api: "v2", now: NOW, accept: ["format"] });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function rowsFor(page: number, n: number): AuditLog[] {
  return Array.from({ length: n }, (_, i) =>
    makeLog({ id: `p${page}-r${i}`, actorEmail: `=u${i}@example.com` }),
  );
}

type Step = AuditLog[] | Error | "hang";

/** Pages served in order; the cursor is the next page's index. An Error step fails that call. */
function fakeSource(steps: Step[], { endless = false } = {}) {
  const calls: PageRequest[] = [];
  const aborted: number[] = [];
  const source: PageSource = async (_query, request) => {
    calls.push(request);
    const index = request.cursor === null ? 0 : Number(request.cursor);
    const step = endless ? steps[0] : steps[index];
    if (step instanceof Error) throw step;
    if (step === "hang") {
      return new Promise<LogPage>((_, reject) =>
        request.signal.addEventListener("abort", () => {
          aborted.push(index);
          reject(new DOMException("aborted", "AbortError"));
        }),
      );
    }
    const next = endless || index + 1 < steps.length ? String(index + 1) : null;
    return { data: step, nextCursor: next, meta: META };
  };
  return { source, calls, aborted };
}

function run(source: PageSource, query = "format=csv&range=7d", extra: Partial<ExportRequest> = {}) {
  return exportLogs({
    config: sandboxConfig,
    search: search(query),
    viewer,
    requestId: "req-1",
    now: NOW,
    fetchPage: source,
    ...extra,
  });
}

const decode = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

async function readText(response: Response): Promise<string> {
  return decode(new Uint8Array(await response.arrayBuffer()));
}

/** Let every pending callback and I/O turn run, without waiting for any amount of wall-clock time. */
async function settle(turns = 20) {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

let info: MockInstance<typeof console.info>;
beforeEach(() => {
  info = vi.spyOn(console, "info").mockImplementation(() => {});
});
afterEach(() => {
  info.mockRestore();
  // Every export in a test has ended, so no concurrency slot leaks into the next one.
  expect(activeExports()).toBe(0);
});

describe("exportLogs: CSV", () => {
  it("streams every page after one BOM and the header, with CRLF records", async () => {
    const pages = [rowsFor(0, 3), rowsFor(1, 2), rowsFor(2, 4)];
    const { source, calls } = fakeSource(pages);
    const response = await run(source);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = decode(bytes);
    expect(text.indexOf("\uFEFF", 1)).toBe(-1);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    const records: string[][] = parse(text, { bom: true });
    expect(records[0]).toEqual([
      "Action timestamp",
      "Action type",
      "Action result",
      "Actor email",
      "Actor IP address",
      "Actor type",
      "Resource type",
      "Resource product",
      "Resource",
    ]);
    expect(records).toHaveLength(10);
    expect(records[1][3]).toBe("'=u0@example.com");
    expect(calls.map((c) => c.cursor)).toEqual([null, "1", "2"]);
  });

  it("asks for 1000 rows per page and passes the same now to every page", async () => {
    const { source, calls } = fakeSource([rowsFor(0, 1), rowsFor(1, 1), rowsFor(2, 1)]);
    await readText(await run(source));
    expect(calls.map((c) => c.limit)).toEqual([1000, 1000, 1000]);
    expect(new Set(calls.map((c) => c.now)).size).toBe(1);
    expect(calls[0].now).toBe(NOW);
  });

  it("selects and orders columns", async () => {
    const { source } = fakeSource([[makeLog({ id: "x", statusCode: 404, newValue: { a: 1 } })]]);
    const text = await readText(await run(source, "format=csv&columns=statusCode,id,newValue"));
    expect(text).toBe('\uFEFFHTTP status,Audit log ID,New value\r\n404,x,"{""a"":1}"\r\n');
  });

  it("writes the BOM and header when nothing matches", async () => {
    const { source } = fakeSource([[]]);
    const text = await readText(await run(source, "format=csv&columns=id"));
    expect(text).toBe("\uFEFFAudit log ID\r\n");
  });

  it("skips empty pages in the middle", async () => {
    const { source } = fakeSource([rowsFor(0, 1), [], [], rowsFor(3, 1)]);
    const text = await readText(await run(source, "format=csv&columns=id"));
    expect(text).toBe("\uFEFFAudit log ID\r\np0-r0\r\np3-r0\r\n");
  });

  it("sets the download headers from server-side values", async () => {
    const { source } = fakeSource([rowsFor(0, 1)]);
    const response = await run(source);
    await response.arrayBuffer();
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="cf-audit-sandbox-20261113T120000Z-20261120T120000Z.csv"',
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("exportLogs: NDJSON", () => {
  it("writes one full entry per line", async () => {
    const pages = [rowsFor(0, 2), rowsFor(1, 1)];
    const { source } = fakeSource(pages);
    const response = await run(source, "format=ndjson&range=7d");
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toMatch(/\.ndjson"$/);
    const text = await readText(response);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l))).toEqual(pages.flat());
  });

  it("keeps values with newlines on one line", async () => {
    const { source } = fakeSource([[makeLog({ actionDescription: "a\nb\r\nc\u2028" })]]);
    const text = await readText(await run(source, "format=ndjson"));
    expect(text.split("\n")).toHaveLength(2);
    expect(JSON.parse(text).actionDescription).toBe("a\nb\r\nc\u2028");
  });

  it("is empty when nothing matches", async () => {
    const { source } = fakeSource([[]]);
    expect(await readText(await run(source, "format=ndjson"))).toBe("");
  });
});

describe("exportLogs: failures", () => {
  it("throws the upstream problem when the first page fails, before any response", async () => {
    const problem = new ProblemError({ status: 502, slug: "upstream-unavailable", title: "t", detail: "d" });
    const { source } = fakeSource([problem]);
    await expect(run(source)).rejects.toBe(problem);
  });

  it("errors the stream when a later page fails, so the download fails", async () => {
    const upstream = new Error("upstream 500", { cause: new Error("GET /logs/audit → 500") });
    const { source } = fakeSource([rowsFor(0, 2), rowsFor(1, 2), upstream]);
    const response = await run(source);
    await expect(response.arrayBuffer()).rejects.toThrow(/export failed after 4 entries: upstream 500/);
    expect(info.mock.calls.at(-1)?.[0]).toMatch(/export end .*"outcome":"failed"/);
    expect(info.mock.calls.at(-1)?.[0]).toContain('"cause":"GET /logs/audit → 500"');
  });

  it("answers 422 when the first page already exceeds the row cap", async () => {
    const { source } = fakeSource([rowsFor(0, 5)]);
    const error = await run(source, undefined, { maxRows: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).init).toMatchObject({ status: 422, slug: "export-too-large" });
  });

  it("ends with an error when more rows follow the cap", async () => {
    const { source, calls } = fakeSource([rowsFor(0, 1000), rowsFor(1, 1000), rowsFor(2, 1000)]);
    const response = await run(source, undefined, { maxRows: 2500 });
    await expect(response.arrayBuffer()).rejects.toThrow(/More than 2500 entries match/);
    expect(calls).toHaveLength(3);
  });

  it("completes when the cap is met exactly and the last page is empty", async () => {
    const { source, calls } = fakeSource([rowsFor(0, 1000), rowsFor(1, 1000), []]);
    const text = await readText(await run(source, "format=csv&columns=id", { maxRows: 2000 }));
    expect(text.split("\r\n")).toHaveLength(2002);
    expect(calls).toHaveLength(3);
  });

  it("stops an upstream that never ends at the page cap", async () => {
    const { source, calls } = fakeSource([[]], { endless: true });
    const response = await run(source, undefined, { maxRows: 2500 });
    await expect(response.arrayBuffer()).rejects.toThrow(/still paging after 4 calls/);
    expect(calls).toHaveLength(4);
  });

  it("errors the stream at the deadline and aborts the call in flight", async () => {
    const { source, aborted } = fakeSource([rowsFor(0, 1), "hang"]);
    const response = await run(source, undefined, { deadlineMs: 100 });
    await expect(response.arrayBuffer()).rejects.toThrow(/time limit/);
    expect(aborted).toEqual([1]);
  });
});

describe("exportLogs: backpressure", () => {
  it("a reader that stops reading stops the paging after one call ahead", async () => {
    const { source, calls } = fakeSource([rowsFor(0, 1)], { endless: true });
    const reader = (await run(source)).body!.getReader();
    await reader.read();
    await reader.read();
    await settle();
    expect(calls).toHaveLength(3);
    await reader.cancel();
  });

  it("a reader that stops reading stops the serializing within a page, however large the page", async () => {
    let serialized = 0;
    const big = Array.from({ length: 1000 }, (_, i) => {
      const log = makeLog({ id: `r${i}` });
      Object.defineProperty(log, "actorEmail", {
        enumerable: true,
        get: () => (serialized++, `${"x".repeat(2000)}@example.com`),
      });
      return log;
    });
    const { source } = fakeSource([big]);
    const reader = (await run(source)).body!.getReader();
    const first = await reader.read();
    await settle();
    // One slice of 25 rows makes the first chunk; nothing more is written until the reader asks.
    expect(serialized).toBeLessThanOrEqual(50);
    expect(first.value!.byteLength).toBeLessThan(200_000);
    let bytes = first.value!.byteLength;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      bytes += chunk.value.byteLength;
    expect(serialized).toBe(1000);
    expect(bytes).toBeGreaterThan(1000 * 2000);
  });

  it("puts the next page's call on the wire before serializing the current page", async () => {
    // A call reaches the wire only after some asynchronous preparation, as the SDK's does.
    let onWire = 0;
    const seenWhenSerialized: number[] = [];
    const page = (index: number): AuditLog[] => {
      const log = makeLog({ id: `p${index}` });
      return [{ ...log, toJSON: () => (seenWhenSerialized.push(onWire), log) } as AuditLog];
    };
    const source: PageSource = async (_query, request) => {
      for (let hop = 0; hop < 50; hop++) await Promise.resolve();
      onWire++;
      const index = request.cursor === null ? 0 : Number(request.cursor);
      return { data: page(index), nextCursor: index < 2 ? String(index + 1) : null, meta: META };
    };
    await readText(await run(source, "format=ndjson&range=7d"));
    // Page 0 is serialized once page 1's call is out, page 1 once page 2's is; page 2 is the last.
    expect(seenWhenSerialized).toEqual([2, 3, 3]);
  });
});

describe("exportLogs: client goes away", () => {
  it("cancel aborts the call in flight and stops paging", async () => {
    const { source, calls, aborted } = fakeSource([rowsFor(0, 1), "hang", rowsFor(2, 1)]);
    const reader = (await run(source)).body!.getReader();
    await reader.read();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    await reader.cancel();
    expect(aborted).toEqual([1]);
    await settle();
    expect(calls).toHaveLength(2);
    expect(info.mock.calls.at(-1)?.[0]).toMatch(/export end .*"outcome":"cancelled"/);
  });

  it("the request signal aborting does the same", async () => {
    const client = new AbortController();
    const { source, calls, aborted } = fakeSource([rowsFor(0, 1), "hang", rowsFor(2, 1)]);
    const reader = (await run(source, undefined, { signal: client.signal })).body!.getReader();
    await reader.read();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    client.abort();
    expect(aborted).toEqual([1]);
    await expect(reader.read()).rejects.toThrow(/went away/);
    expect(calls).toHaveLength(2);
  });

  it("does not call upstream for a request already aborted", async () => {
    const { source, calls } = fakeSource([rowsFor(0, 1)]);
    const response = await run(source, undefined, { signal: AbortSignal.abort() });
    expect(response.status).toBe(499);
    expect(calls).toHaveLength(0);
  });

  it("answers 499 when the client leaves during the first page", async () => {
    const client = new AbortController();
    const { source, calls, aborted } = fakeSource(["hang"]);
    const pending = run(source, undefined, { signal: client.signal });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    client.abort();
    expect((await pending).status).toBe(499);
    expect(aborted).toEqual([0]);
  });
});

describe("exportLogs: pacing and logging", () => {
  it("refuses a third concurrent export with 429 and frees slots when exports end", async () => {
    const a = fakeSource([rowsFor(0, 1), rowsFor(1, 1)]);
    const first = await run(a.source);
    const second = await run(a.source);
    const error = await run(a.source).catch((e: unknown) => e);
    expect((error as ProblemError).init).toMatchObject({
      status: 429,
      slug: "too-many-exports",
      retryAfter: 30,
    });
    await first.body!.cancel();
    await readText(second);
    const third = await run(fakeSource([rowsFor(0, 1)]).source);
    await readText(third);
  });

  it("lets a signed-in viewer run one export at a time, without taking another viewer's slot", async () => {
    const signedIn = (id: string) => ({ viewer: { id, email: id, method: "access" as const } });
    const a = fakeSource([rowsFor(0, 1), rowsFor(1, 1)]);
    const first = await run(a.source, undefined, signedIn("bob@example.com"));
    const error = await run(a.source, undefined, signedIn("bob@example.com")).catch((e: unknown) => e);
    expect((error as ProblemError).init).toMatchObject({
      status: 429,
      slug: "too-many-exports",
      retryAfter: 30,
    });
    expect((error as ProblemError).init.detail).toMatch(/Your previous export is still running/);
    const other = await run(a.source, undefined, signedIn("carol@example.com"));
    // Both server slots are now taken: a third viewer hears about the server, not about an export of theirs.
    const busy = await run(a.source, undefined, signedIn("dave@example.com")).catch((e: unknown) => e);
    expect((busy as ProblemError).init.detail).toMatch(/at most 2 exports at a time/);
    await first.body!.cancel();
    await readText(other);
    const again = await run(fakeSource([rowsFor(0, 1)]).source, undefined, signedIn("bob@example.com"));
    await readText(again);
    expect(activeExports()).toBe(0);
  });

  it("logs start and end with the viewer and filters, never the token", async () => {
    const { source } = fakeSource([rowsFor(0, 2), rowsFor(1, 3)]);
    const config = { ...sandboxConfig, mode: "cloudflare" as const, token: "secret-token-value" };
    const response = await run(source, "format=csv&range=24h&actor_email=bob@example.com", { config });
    await readText(response);
    const lines = info.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[req-1\] export start /);
    expect(lines[0]).toContain('"viewer":"alice@example.com"');
    expect(lines[0]).toContain('"actor_email":["bob@example.com"]');
    expect(lines[1]).toMatch(/export end .*"outcome":"complete","rows":5,"pages":2/);
    for (const line of lines) expect(line).not.toContain("secret-token-value");
  });
});

describe("exportLogs: a download nobody reads", () => {
  beforeEach(() => {
    // Only the timers: the export's own turns of the event loop (setImmediate) stay real.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`is ended after ${EXPORT_IDLE_MS / 1000} s without a read, and its slot is free again`, async () => {
    const { source, calls } = fakeSource([rowsFor(0, 1), rowsFor(1, 1), rowsFor(2, 1)]);
    const reader = (await run(source)).body!.getReader();
    await reader.read();
    expect(activeExports()).toBe(1);
    vi.advanceTimersByTime(EXPORT_IDLE_MS - 1);
    expect(activeExports()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(activeExports()).toBe(0);
    await expect(reader.read()).rejects.toThrow(/Nobody read the export for 60 s/);
    expect(info.mock.calls.at(-1)?.[0]).toMatch(/export end .*"outcome":"idle"/);
    await settle();
    expect(calls.length).toBeLessThanOrEqual(2);
    // Both server slots can be taken again.
    const a = await run(fakeSource([rowsFor(0, 1)]).source);
    const b = await run(fakeSource([rowsFor(0, 1)]).source);
    expect(activeExports()).toBe(2);
    await Promise.all([readText(a), readText(b)]);
  });

  it("is ended when its body is never read at all", async () => {
    const { source } = fakeSource([rowsFor(0, 1)]);
    await run(source);
    expect(activeExports()).toBe(1);
    vi.advanceTimersByTime(EXPORT_IDLE_MS);
    expect(activeExports()).toBe(0);
  });

  it("keeps going for a reader that reads, however slowly, and while the upstream is slow", async () => {
    let release: () => void = () => {};
    const slowSecond = new Promise<void>((r) => (release = r));
    const { source: fast } = fakeSource([rowsFor(0, 1), rowsFor(1, 1), rowsFor(2, 1)]);
    const source: PageSource = async (query, request) => {
      if (request.cursor === "1") await slowSecond;
      return fast(query, request);
    };
    const reader = (await run(source, "format=csv&columns=id")).body!.getReader();
    let text = decode((await reader.read()).value!);
    vi.advanceTimersByTime(EXPORT_IDLE_MS - 1);
    // The reader asks while the upstream takes its time: waiting on the upstream is not the reader's fault.
    const pending = reader.read();
    await settle();
    vi.advanceTimersByTime(EXPORT_IDLE_MS * 2);
    release();
    text += decode((await pending).value!);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      vi.advanceTimersByTime(EXPORT_IDLE_MS - 1);
      text += decode(chunk.value);
    }
    expect(text).toBe("\uFEFFAudit log ID\r\np0-r0\r\np1-r0\r\np2-r0\r\n");
  });
});

describe("exportLogs: the file in any spreadsheet locale", () => {
  it("starts no cell with a formula trigger, read with , or with ; by a reader honouring quotes only at a cell's start", async () => {
    const hostile = ["x;=cmd|' /C calc'!A0", "\n=1", "\r=1", "  =1", "\t=1", "ok\nb,=1", 'x;""@SUM(A1)'];
    const rows = hostile.map((v, i) =>
      makeLog({ id: `h${i}`, actionType: v, actorEmail: v, resourceType: v, resourceProduct: v }),
    );
    const text = await readText(await run(fakeSource([rows]).source));
    for (const delimiter of [",", ";"] as const) {
      const cells = naiveRead(text, delimiter).flat();
      expect(cells.filter((c) => DANGEROUS_CELL.test(c))).toEqual([]);
    }
    const strict: string[][] = parse(text, { bom: true });
    expect(strict.flat().filter((c) => DANGEROUS_CELL.test(c))).toEqual([]);
    expect(strict).toHaveLength(hostile.length + 1);
  });
});

describe("exportFilename", () => {
  it("uses the account id in cloudflare mode and only safe characters", () => {
    const name = exportFilename(
      { mode: "cloudflare", accountId: 'ab"c\r\n/..' },
      { ...META, since: "garbage" },
      "csv",
    );
    expect(name).toBe("cf-audit-ab_c___..-unknown-20261120T120000Z.csv");
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});
