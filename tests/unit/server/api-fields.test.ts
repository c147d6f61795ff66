import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as exportRoute } from "@/app/api/logs/export/route";
import { GET as categoriesRoute } from "@/app/api/logs/product-categories/route";
import { FIELD_IDS, getField, type AuditLog } from "@/lib/audit-log";
import { clearProductCategories } from "@/lib/server/product-categories";
import { fakeFetch, json, v2Entry } from "./fake-upstream";
import { callJson, useCloudflareMode } from "./routes-support";
import { V1_ENTRIES, v1Body } from "./v1-entries";

interface Page {
  data: AuditLog[];
  nextCursor: string | null;
  meta: { api: string; dataQuality?: { totalCount: number; received: number; expected: number } };
}

const WINDOW = "since=2026-11-01T00:00:00Z&before=2026-11-21T00:00:00Z";
let upstreams = 0;

/** Cloudflare mode against a scripted upstream (a fresh base URL, so the SDK client takes this fetch). */
function useFakeUpstream(api: "v1" | "v2", ...replies: Parameters<typeof fakeFetch>) {
  useCloudflareMode(`https://api${++upstreams}.example.test/client/v4`, { AUDIT_LOGS_API: api });
  return fakeFetch(...replies);
}

const listCalls = (calls: { url: URL }[]) =>
  calls.filter((c) => !c.url.pathname.endsWith("/product_categories"));

async function exportText(query: string): Promise<{ status: number; text: string }> {
  const response = await exportRoute(new Request(`http://localhost/api/logs/export?${query}`));
  return { status: response.status, text: await response.text() };
}

/** Every row of a query, following `nextCursor` through `/api/logs`. */
async function walk(query: string): Promise<{ rows: AuditLog[]; pages: Page[] }> {
  const rows: AuditLog[] = [];
  const pages: Page[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 50; n++) {
    const path: string = `/api/logs?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const { response, body }: { response: Response; body: Page } = await callJson<Page>(path);
    expect(response.status).toBe(200);
    pages.push(body);
    rows.push(...body.data);
    cursor = body.nextCursor;
    if (!cursor) return { rows, pages };
  }
  throw new Error("the walk did not end");
}

/**
 * A v1 upstream over `entries` (as given, newest first) whose pages come back short: each holds at most
 * `pageSize` entries whatever `per_page` asks, while `total_count` counts them all.
 */
function shortPagesV1(entries: unknown[], pageSize: number) {
  return (url: URL) => {
    const page = Number(url.searchParams.get("page") ?? 1);
    const result = entries.slice((page - 1) * pageSize, page * pageSize);
    const perPage = Number(url.searchParams.get("per_page"));
    return json(
      v1Body(result, { page, per_page: perPage, count: result.length, total_count: entries.length }),
    );
  };
}

beforeEach(() => {
  clearProductCategories();
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("v1 parameters reach the upstream in v1 form", () => {
  it.each([
    ["id=3b0f3c1e-8a4d-4f7e-9c2b-5d6e7f8a9b0c", "id", "3b0f3c1e-8a4d-4f7e-9c2b-5d6e7f8a9b0c"],
    ["action_type=rec_add", "action.type", "rec_add"],
    ["action_type=tls_settings_deployed", "action.type", "tls_settings_deployed"],
    ["actor_email=dana%40acme.example", "actor.email", "dana@acme.example"],
    ["actor_ip_address=198.51.100.23", "actor.ip", "198.51.100.23"],
    ["actor_ip_address=198.51.100.0%2F24", "actor.ip", "198.51.100.0/24"],
    ["actor_ip_address=2001%3Adb8%3A%3A%2F32", "actor.ip", "2001:db8::/32"],
    ["zone_name=acme.example", "zone.name", "acme.example"],
    ["hide_user_logs=true", "hide_user_logs", "true"],
    ["direction=asc", "direction", "asc"],
  ])("%s → %s", async (param, wire, value) => {
    const { calls } = useFakeUpstream("v1", json(v1Body([])));
    const { response } = await callJson(`/api/logs?${WINDOW}&${param}`);
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(1);
    const sent = calls[0].url.searchParams;
    expect(calls[0].url.pathname).toMatch(/\/audit_logs$/);
    expect(sent.getAll(wire)).toEqual([value]);

    const exported = useFakeUpstream("v1", json(v1Body([])));
    expect((await exportText(`${WINDOW}&${param}`)).status).toBe(200);
    expect(exported.calls[0].url.searchParams.getAll(wire)).toEqual([value]);
  });

  it("since, before, page and per_page: the window as RFC 3339, pages counted from 1", async () => {
    const { calls } = useFakeUpstream("v1", shortPagesV1(V1_ENTRIES, 4));
    await walk(`since=2026-11-01&before=2026-11-21T00:00:00Z&limit=4`);
    const sent = calls.map((c) => c.url.searchParams);
    expect(sent.map((p) => [p.get("page"), p.get("per_page")])).toEqual([
      ["1", "4"],
      ["2", "4"],
      ["3", "4"],
    ]);
    for (const p of sent) {
      expect(p.get("since")).toBe("2026-11-01T00:00:00.000Z");
      expect(p.get("before")).toBe("2026-11-21T00:00:00.000Z");
      expect(p.get("direction")).toBe("desc");
      expect(p.has("hide_user_logs")).toBe(false);
    }
  });

  it("refuses hide_user_logs with v2, nothing sent upstream", async () => {
    const { calls } = useFakeUpstream("v2", json({ success: true, result: [] }));
    const { response, body } = await callJson<{ errors: { parameter: string }[] }>(
      `/api/logs?${WINDOW}&hide_user_logs=true`,
    );
    expect(response.status).toBe(400);
    expect(body.errors.map((e) => e.parameter)).toEqual(["hide_user_logs"]);
    expect(calls).toHaveLength(0);
  });
});

describe("real-shaped v1 entries", () => {
  it("reach /api/logs with every response field and the upstream object intact", async () => {
    useFakeUpstream("v1", json(v1Body(V1_ENTRIES, { page: 1, per_page: 100, count: 6, total_count: 6 })));
    const { body } = await callJson<Page>(`/api/logs?${WINDOW}`);
    expect(body.data.map((r) => r.raw)).toEqual(V1_ENTRIES);
    const [roll, tls, del, setting] = body.data;
    expect(roll).toMatchObject({
      id: V1_ENTRIES[0].id,
      time: "2026-11-20T09:15:02Z",
      actionType: "token_roll",
      actionResult: "success",
      actionInfo: V1_ENTRIES[0].action.info,
      actorEmail: "dana@acme.example",
      actorId: V1_ENTRIES[0].actor.id,
      actorIp: "198.51.100.23",
      actorType: "user",
      resourceId: V1_ENTRIES[0].resource.id,
      resourceType: "account",
      ownerId: V1_ENTRIES[0].owner.id,
      interface: "",
      metadata: V1_ENTRIES[0].metadata,
    });
    expect(tls).toMatchObject({ time: "2026-11-20T08:00:41.503227Z", actorEmail: null, actorIp: null });
    expect(del).toMatchObject({ oldValue: V1_ENTRIES[2].oldValueJson, newValue: null, interface: "UI" });
    expect(setting).toMatchObject({ oldValue: "high", newValue: "low" });
  });

  it("go through the All fields CSV with no loss and no double escaping", async () => {
    useFakeUpstream("v1", json(v1Body(V1_ENTRIES)), json(v1Body([])));
    const { status, text } = await exportText(`${WINDOW}&format=csv&columns=${FIELD_IDS.join(",")}`);
    expect(status).toBe(200);
    const [header, ...rows] = parse(text, { bom: true }) as string[][];
    expect(header).toEqual(FIELD_IDS.map((id) => getField(id)!.label));
    for (const label of ["Audit log ID", "Action timestamp", "Action type", "Action info", "Owner"])
      expect(header).toContain(label);
    const records = rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
    expect(records.map((r) => r["Audit log ID"])).toEqual(V1_ENTRIES.map((e) => e.id));
    expect(records.map((r) => r["Action timestamp"])).toEqual(V1_ENTRIES.map((e) => e.when));
    expect(records.map((r) => r["Action type"])).toEqual(V1_ENTRIES.map((e) => e.action.type));
    expect(records.map((r) => r["Action result"])).toEqual([
      "success",
      "success",
      "success",
      "success",
      "failure",
      "success",
    ]);
    expect(records[0]["Action info"]).toBe(V1_ENTRIES[0].action.info);
    expect(records.map((r) => r["Actor ID"])).toEqual(V1_ENTRIES.map((e) => e.actor.id));
    expect(records.map((r) => r["Actor email"])).toEqual(V1_ENTRIES.map((e) => e.actor.email ?? ""));
    expect(records.map((r) => r["Actor IP address"])).toEqual(V1_ENTRIES.map((e) => e.actor.ip ?? ""));
    expect(records.map((r) => r["Actor type"])).toEqual(["user", "system", "user", "user", "user", "admin"]);
    expect(records.map((r) => r["Resource ID"])).toEqual(V1_ENTRIES.map((e) => e.resource.id));
    expect(records.map((r) => r["Resource type"])).toEqual(V1_ENTRIES.map((e) => e.resource.type));
    expect(records.map((r) => r["Owner"])).toEqual(V1_ENTRIES.map((e) => e.owner.id));
    expect(records.map((r) => r["Account ID"])).toEqual(V1_ENTRIES.map(() => ""));
    expect(records.map((r) => r["Interface"])).toEqual(V1_ENTRIES.map((e) => e.interface));
    expect(records.map((r) => JSON.parse(r["Metadata"]))).toEqual(V1_ENTRIES.map((e) => e.metadata));
    // Decoded objects as JSON; JSON text decoded once; "" and "null" are no value.
    expect(JSON.parse(records[1]["New value"])).toEqual(V1_ENTRIES[1].newValueJson);
    expect(records[1]["Old value"]).toBe("");
    expect(JSON.parse(records[2]["Old value"])).toEqual(V1_ENTRIES[2].oldValueJson);
    expect(records[2]["New value"]).toBe("");
    expect(records[3]["New value"]).toBe("low");
    expect(records[3]["Old value"]).toBe("high");
    expect(JSON.parse(records[4]["New value"])).toEqual(JSON.parse(V1_ENTRIES[4].newValue));
    expect(text).not.toContain('\\"low\\"');
  });

  it("go through the NDJSON export with the upstream object unchanged", async () => {
    useFakeUpstream("v1", json(v1Body(V1_ENTRIES)), json(v1Body([])));
    const { text } = await exportText(`${WINDOW}&format=ndjson`);
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditLog);
    expect(lines.map((l) => l.raw)).toEqual(V1_ENTRIES);
  });
});

describe("v1 paging", () => {
  const many = Array.from({ length: 47 }, (_, i) => ({
    ...V1_ENTRIES[i % V1_ENTRIES.length],
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  }));

  it("a short page before the end loses no rows in the table, and the disagreement is surfaced", async () => {
    const { calls } = useFakeUpstream("v1", shortPagesV1(many, 9));
    const { rows, pages } = await walk(`${WINDOW}&limit=10`);
    expect(rows.map((r) => r.id)).toEqual(many.map((e) => e.id));
    // Six pages of 9 (the last with 2), then the empty page that ends the walk.
    expect(calls).toHaveLength(7);
    expect(pages[0].meta.dataQuality).toMatchObject({ totalCount: 47, expected: 10, received: 9 });
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("total_count disagrees"));
  });

  it("a short page before the end loses no rows in the export", async () => {
    useFakeUpstream("v1", shortPagesV1(many, 9));
    const { text } = await exportText(`${WINDOW}&format=ndjson`);
    expect(
      text
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as AuditLog).id),
    ).toEqual(many.map((e) => e.id));
  });
});

describe("v2 parameters and response forms", () => {
  const body = (result: unknown[], info: Record<string, unknown>) => ({
    success: true,
    errors: [],
    result,
    result_info: info,
  });

  it("sends audit_log_id and audit_log_id.not upstream as id and id.not", async () => {
    const { calls } = useFakeUpstream("v2", json(body([], { count: "0" })));
    const { response } = await callJson(`/api/logs?${WINDOW}&audit_log_id=a1&audit_log_id.not=b2`);
    expect(response.status).toBe(200);
    const sent = calls[0].url.searchParams;
    expect(sent.getAll("id")).toEqual(["a1"]);
    expect(sent.getAll("id.not")).toEqual(["b2"]);
    expect(sent.has("audit_log_id")).toBe(false);
  });

  it("sends raw_method as given (HEAD), and unknown enum values of the other filters", async () => {
    const { calls } = useFakeUpstream("v2", json(body([], { count: 0 })));
    const qs = "raw_method=HEAD&raw_method.not=OPTIONS&actor_context=workers_binding&actor_type.not=robot";
    expect((await callJson(`/api/logs?${WINDOW}&${qs}`)).response.status).toBe(200);
    const sent = calls[0].url.searchParams;
    expect(sent.getAll("raw_method")).toEqual(["HEAD"]);
    expect(sent.getAll("raw_method.not")).toEqual(["OPTIONS"]);
    expect(sent.getAll("actor_context")).toEqual(["workers_binding"]);
    expect(sent.getAll("actor_type.not")).toEqual(["robot"]);
  });

  it("pages to the end with result_info.cursors.after and a numeric count, in the table and the export", async () => {
    const entries = Array.from({ length: 7 }, (_, i) => v2Entry(`e${i}`));
    const reply = (url: URL) => {
      const at = Number(url.searchParams.get("cursor") ?? 0);
      const size = Number(url.searchParams.get("limit"));
      const result = entries.slice(at, at + Math.min(size, 3));
      const next = at + result.length < entries.length ? String(at + result.length) : undefined;
      return json(body(result, { count: result.length, ...(next ? { cursors: { after: next } } : {}) }));
    };
    useFakeUpstream("v2", reply);
    const { rows } = await walk(`${WINDOW}&limit=3`);
    expect(rows.map((r) => r.id)).toEqual(entries.map((e) => e.id));
    useFakeUpstream("v2", reply);
    const { text } = await exportText(`${WINDOW}&format=ndjson`);
    expect(
      text
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as AuditLog).id),
    ).toEqual(entries.map((e) => e.id));
  });

  it("shows resource.scope given as an object or a string, and filters by it", async () => {
    const { calls } = useFakeUpstream(
      "v2",
      json(
        body(
          [
            v2Entry("o", { resource: { id: "r", type: "t", product: "p", scope: { type: "zones" } } }),
            v2Entry("s", { resource: { id: "r", type: "t", product: "p", scope: "accounts" } }),
          ],
          { count: "2" },
        ),
      ),
    );
    const { body: page } = await callJson<Page>(
      `/api/logs?${WINDOW}&resource_scope=zones&resource_scope.not=user`,
    );
    expect(page.data.map((r) => r.resourceScope)).toEqual(["zones", "accounts"]);
    expect(calls[0].url.searchParams.getAll("resource_scope")).toEqual(["zones"]);
    expect(calls[0].url.searchParams.getAll("resource_scope.not")).toEqual(["user"]);
  });

  it("checks product_category against the cached categories: unknown → 400 naming it, nothing listed", async () => {
    const categories = {
      success: true,
      errors: [],
      result: [{ value: "zerotrust", label: "Zero Trust", products: [{ value: "Access", label: "Access" }] }],
    };
    const { calls } = useFakeUpstream("v2", (url) =>
      url.pathname.endsWith("/product_categories") ? json(categories) : json(body([], { count: "0" })),
    );
    const bad = await callJson<{ errors: { parameter: string; message: string }[] }>(
      `/api/logs?${WINDOW}&product_category=nope`,
    );
    expect(bad.response.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { parameter: "product_category", message: expect.stringContaining("zerotrust") },
    ]);
    expect(listCalls(calls)).toHaveLength(0);

    expect((await callJson(`/api/logs?${WINDOW}&product_category=ZeroTrust`)).response.status).toBe(200);
    expect(listCalls(calls)[0].url.searchParams.getAll("product_category")).toEqual(["ZeroTrust"]);
    const picker = await categoriesRoute(new Request("http://localhost/api/logs/product-categories"));
    expect(await picker.json()).toEqual({ data: categories.result });
    // Fetched once for all three: cached for hours.
    expect(calls.filter((c) => c.url.pathname.endsWith("/product_categories"))).toHaveLength(1);
  });
});
