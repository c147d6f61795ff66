import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, FIELD_IDS, FILTERS } from "@/lib/audit-log";
import {
  activeFilters,
  checkFilterValue,
  entryHrefs,
  loadSearchParams,
  MAX_FILTER_VALUES,
  MAX_QUERY_CHARS,
  parseInstant,
  rangeToMs,
  resolveTimeWindow,
  serializeSearch,
  validateSearch,
} from "@/lib/search-params";

const now = new Date("2026-11-21T12:00:00Z");
const check = (qs: string, api: "v2" | "v1" = "v2", accept: ("cursor" | "limit" | "format")[] = []) =>
  validateSearch(new URLSearchParams(qs), { api, now, accept });
const errorsOf = (qs: string, api: "v2" | "v1" = "v2", accept: ("cursor" | "limit" | "format")[] = []) => {
  const r = check(qs, api, accept);
  return r.ok ? [] : r.errors.map((e) => e.parameter);
};

describe("URL model", () => {
  it("loads defaults from an empty query", () => {
    const r = check("");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.range).toBe("24h");
    expect(r.value.direction).toBe("desc");
    expect(r.value.tz).toBe("utc");
    expect(r.value.columns).toEqual([
      "time",
      "actionType",
      "actionResult",
      "actorEmail",
      "actorIp",
      "actorType",
      "resourceType",
      "resourceProduct",
      "resourceName",
    ]);
    expect(activeFilters(r.value)).toEqual([]);
  });

  it("reads repeated and negated filters in field-list order", () => {
    const r = check(
      "actor_email=a@x.com&actor_email=b@x.com&action_type.not=delete&actor_ip_address=10.0.0.0/8",
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(activeFilters(r.value)).toEqual([
      { key: "action_type.not", param: "action_type", negated: true, values: ["delete"] },
      { key: "actor_email", param: "actor_email", negated: false, values: ["a@x.com", "b@x.com"] },
      { key: "actor_ip_address", param: "actor_ip_address", negated: false, values: ["10.0.0.0/8"] },
    ]);
  });

  it("round-trips through the serializer", () => {
    const qs = serializeSearch({
      actor_email: ["a@x.com", "b@x.com"],
      "resource_product.not": ["Gateway"],
      range: "7d",
      direction: "asc",
      columns: ["time", "actorEmail"],
      tz: "local",
      log: "abc",
    });
    const loaded = loadSearchParams(new URLSearchParams(qs));
    expect(loaded.actor_email).toEqual(["a@x.com", "b@x.com"]);
    expect(loaded["resource_product.not"]).toEqual(["Gateway"]);
    expect(loaded.range).toBe("7d");
    expect(loaded.direction).toBe("asc");
    expect(loaded.columns).toEqual(["time", "actorEmail"]);
    expect(loaded.tz).toBe("local");
    expect(loaded.log).toBe("abc");
    expect(check(qs.slice(1)).ok).toBe(true);
  });

  it("links an entry as its view's URL plus log=<id>", () => {
    const search = loadSearchParams(
      new URLSearchParams("actor_email=a@x.com&action_type.not=delete&range=7d&tz=local&log=old"),
    );
    const href = entryHrefs(search)("id with/odd&chars");
    expect(href.startsWith("/?")).toBe(true);
    expect(loadSearchParams(new URLSearchParams(href.slice(2)))).toEqual({
      ...search,
      log: "id with/odd&chars",
    });
    expect(new URLSearchParams(href.slice(2)).getAll("log")).toEqual(["id with/odd&chars"]);
    // A view with nothing but defaults has an empty query string.
    const plain = loadSearchParams(new URLSearchParams(""));
    expect(entryHrefs(plain)("abc")).toBe("/?log=abc");
    expect(loadSearchParams(new URLSearchParams("log=abc"))).toEqual({ ...plain, log: "abc" });
  });

  it.each([
    ["since=garbage", "since"],
    ["since=2026-13-40T00:00:00Z", "since"],
    ["since=2026-11-02&before=2026-11-01", "before"],
    ["since=2026-11-01&before=2026-11-01", "before"],
    ["before=2026-11-01", "since"],
    ["range=24h&since=2026-11-01", "range"],
    ["range=forever", "range"],
    ["range=600d", "range"],
    ["since=2024-01-01", "since"],
    ["direction=sideways", "direction"],
    ["tz=mars", "tz"],
    ["columns=time,password", "columns"],
    ["columns=time,time", "columns"],
    ["log=a%0D%0Ab", "log"],
    ["nonsense=1", "nonsense"],
    ["direction=asc&direction=desc", "direction"],
    ["actor_email=not-an-email", "actor_email"],
    ["actor_ip_address=999.1.1.1", "actor_ip_address"],
    ["action_result=may%20be", "action_result"],
    ["action_type.not=%3Cscript%3E", "action_type.not"],
    ["raw_status_code=abc", "raw_status_code"],
    ["resource_type=", "resource_type"],
    ["resource_type=a%0Ab", "resource_type"],
    ["product_category.not=zerotrust", "product_category.not"],
  ])("rejects %s naming %s", (qs, parameter) => {
    expect(errorsOf(qs)).toContain(parameter);
  });

  it("accepts both date forms and offsets", () => {
    expect(check("since=2026-11-01&before=2026-11-02").ok).toBe(true);
    expect(check("since=2026-11-01T00:00:00Z&before=2026-11-01T10:00:00.5%2B02:00").ok).toBe(true);
    expect(check("since=2026-11-01T00:00:00Z").ok).toBe(true);
  });

  it("accepts API-only parameters only where the route takes them", () => {
    expect(errorsOf("limit=10")).toEqual(["limit"]);
    expect(errorsOf("limit=10", "v2", ["limit"])).toEqual([]);
    expect(errorsOf("limit=0", "v2", ["limit"])).toEqual(["limit"]);
    expect(errorsOf("limit=5000", "v2", ["limit"])).toEqual(["limit"]);
    expect(errorsOf("limit=1000&cursor=abc", "v2", ["limit", "cursor"])).toEqual([]);
    expect(errorsOf("format=xlsx", "v2", ["format"])).toEqual(["format"]);
  });

  it("takes hide_user_logs in v1 only, as true or false", () => {
    const v1 = check("hide_user_logs=true", "v1");
    expect(v1.ok && v1.value.hide_user_logs).toBe(true);
    expect(errorsOf("hide_user_logs=false", "v1")).toEqual([]);
    expect(errorsOf("hide_user_logs=yes", "v1")).toEqual(["hide_user_logs"]);
    expect(errorsOf("hide_user_logs=true", "v2")).toEqual(["hide_user_logs"]);
  });

  it("reads the deprecated audit_log_id and audit_log_id.not as id and id.not", () => {
    const r = check("audit_log_id=a1&audit_log_id.not=b2&id=c3");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.id).toEqual(["a1", "c3"]);
    expect(r.value["id.not"]).toEqual(["b2"]);
    expect(errorsOf("audit_log_id.not=b2", "v1")).toEqual(["id.not"]);
  });

  it("accepts enum values Cloudflare added after this list (a new context, HEAD), not garbage", () => {
    expect(errorsOf("raw_method=HEAD&raw_method.not=OPTIONS")).toEqual([]);
    expect(errorsOf("actor_context=workers_binding&actor_type=service&action_result=partial")).toEqual([]);
    expect(errorsOf("resource_scope=organizations&resource_scope.not=memberships")).toEqual([]);
    expect(errorsOf("raw_method=GE%20T")).toEqual(["raw_method"]);
  });

  it("offers only v1's filters in v1 mode, one value each, no exclusion", () => {
    expect(
      errorsOf("actor_email=a@x.com&action_type=add&actor_ip_address=10.0.0.0/8&zone_name=x.com&id=1", "v1"),
    ).toEqual([]);
    expect(errorsOf("resource_type=x", "v1")).toEqual(["resource_type"]);
    expect(errorsOf("actor_email.not=a@x.com", "v1")).toEqual(["actor_email.not"]);
    expect(errorsOf("actor_email=a@x.com&actor_email=b@x.com", "v1")).toEqual(["actor_email"]);
  });

  it("validates every filter kind", () => {
    for (const f of FILTERS) {
      const good = {
        enum: "options" in f ? f.options[0] : "",
        email: "a@b.co",
        ip: "2001:db8::/32",
        number: "403",
        text: "x",
      }[f.kind];
      expect(checkFilterValue(f, good), f.param).toBeNull();
      expect(checkFilterValue(f, ""), f.param).not.toBeNull();
    }
  });
});

describe("time window", () => {
  it("parses relative ranges", () => {
    expect(rangeToMs("15m")).toBe(900_000);
    expect(rangeToMs("1h")).toBe(3_600_000);
    expect(rangeToMs("7d")).toBe(604_800_000);
    expect(rangeToMs("0h")).toBeNull();
    expect(rangeToMs("1w")).toBeNull();
  });

  it("reads dates as UTC midnight", () => {
    expect(parseInstant("2026-11-01")?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseInstant("2026-11-01T02:00:00+02:00")?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseInstant("yesterday")).toBeNull();
  });

  it("resolves a range at request time and an absolute window as given", () => {
    const rel = resolveTimeWindow({ range: "1h", since: null, before: null }, now);
    expect(rel.since.toISOString()).toBe("2026-11-21T11:00:00.000Z");
    expect(rel.before.toISOString()).toBe(now.toISOString());
    const abs = resolveTimeWindow({ range: "24h", since: "2026-11-01", before: "2026-11-02T06:00:00Z" }, now);
    expect(abs.since.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(abs.before.toISOString()).toBe("2026-11-02T06:00:00.000Z");
    const open = resolveTimeWindow({ range: "24h", since: "2026-11-20", before: null }, now);
    expect(open.before.toISOString()).toBe(now.toISOString());
  });
});

describe("limits: no query can make the server or a browser do unbounded work", () => {
  const problem = (qs: string) => {
    const r = check(qs, "v2", ["format"]);
    return r.ok ? null : r.errors;
  };

  it("refuses a repeated column, naming columns, and the browser falls back to the default columns", () => {
    const qs = `columns=${Array(2000).fill("id").join(",")}`;
    expect(problem(qs)).toEqual([{ parameter: "columns", message: expect.stringMatching(/at most once/) }]);
    expect(problem("columns=time,actorEmail,time")?.map((e) => e.parameter)).toEqual(["columns"]);
    expect(loadSearchParams(new URLSearchParams(qs)).columns).toEqual(DEFAULT_COLUMNS);
    expect(loadSearchParams(new URLSearchParams("columns=time,time")).columns).toEqual(DEFAULT_COLUMNS);
  });

  it("refuses more columns than there are fields, even unknown ones", () => {
    const qs = `columns=${FIELD_IDS.join(",")},bogus`;
    expect(problem(qs)?.map((e) => e.parameter)).toEqual(["columns"]);
    expect(loadSearchParams(new URLSearchParams(qs)).columns).toEqual(DEFAULT_COLUMNS);
  });

  it("accepts every field once, in any order", () => {
    const all = [...FIELD_IDS].reverse();
    expect(problem(`columns=${all.join(",")}`)).toBeNull();
    expect(loadSearchParams(new URLSearchParams(`columns=${all.join(",")}`)).columns).toEqual(all);
    expect(loadSearchParams(new URLSearchParams("columns=time,bogus,id")).columns).toEqual(["time", "id"]);
  });

  it(`refuses a query over ${MAX_QUERY_CHARS} characters, naming the parameter that takes the most`, () => {
    const long = `range=1h&raw_uri=${"a".repeat(MAX_QUERY_CHARS)}`;
    expect(problem(long)).toEqual([{ parameter: "raw_uri", message: expect.stringMatching(/at most 8192/) }]);
    const justUnder = `raw_uri=${"a".repeat(400)}&`.repeat(Math.floor(MAX_QUERY_CHARS / 410)).slice(0, -1);
    expect(justUnder.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(problem(justUnder)).toBeNull();
  });

  it(`refuses more than ${MAX_FILTER_VALUES} values for one filter, naming it`, () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `actor_email=u${i}@x.com`).join("&");
    expect(problem(values(MAX_FILTER_VALUES))).toBeNull();
    expect(problem(values(MAX_FILTER_VALUES + 1))).toEqual([
      { parameter: "actor_email", message: `At most ${MAX_FILTER_VALUES} values per filter; given 51.` },
    ]);
  });
});
