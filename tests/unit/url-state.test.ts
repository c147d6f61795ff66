import { describe, expect, it } from "vitest";
import { FILTERS, getFilter } from "@/lib/audit-log";
import { capabilities } from "@/lib/capabilities";
import {
  addFilterValue,
  filterKey,
  isFilterKey,
  loadSearchParams,
  querySearchParams,
  serializeSearch,
  validateSearch,
  viewSearchParams,
} from "@/lib/search-params";

const now = new Date("2026-11-21T12:00:00Z");
const errors = (qs: string, api: "v1" | "v2" = "v2") => {
  const r = validateSearch(new URLSearchParams(qs), { api, now });
  return r.ok ? [] : r.errors;
};

describe("filter keys", () => {
  it("name a filter and its exclusion, and refuse an exclusion the model lacks", () => {
    expect(filterKey("actor_email", false)).toBe("actor_email");
    expect(filterKey("actor_email", true)).toBe("actor_email.not");
    expect(isFilterKey("product_category.not")).toBe(false);
    expect(() => filterKey("product_category", true)).toThrow(/product_category\.not/);
    expect(() => filterKey("constructor", false)).toThrow();
  });

  it("adding a value takes it out of the opposite form", () => {
    const current = { actor_email: ["a@x.com"], "actor_email.not": ["b@x.com", "c@x.com"] };
    expect(addFilterValue(current, "actor_email", false, "b@x.com", "v2")).toEqual({
      actor_email: ["a@x.com", "b@x.com"],
      "actor_email.not": ["c@x.com"],
    });
    expect(addFilterValue(current, "actor_email", true, "a@x.com", "v2")).toEqual({
      "actor_email.not": ["b@x.com", "c@x.com", "a@x.com"],
      actor_email: null,
    });
    // A value already there is not repeated.
    expect(addFilterValue(current, "actor_email", false, "a@x.com", "v2").actor_email).toEqual(["a@x.com"]);
  });

  it("adding a value under v1 replaces the one value v1 takes", () => {
    expect(addFilterValue({ actor_email: ["a@x.com"] }, "actor_email", false, "b@x.com", "v1")).toMatchObject(
      {
        actor_email: ["b@x.com"],
      },
    );
  });

  it("an inclusion-only filter has no opposite to clear", () => {
    expect(addFilterValue({}, "product_category", false, "zero_trust", "v2")).toEqual({
      product_category: ["zero_trust"],
    });
  });
});

describe("capabilities", () => {
  it("v1 supports five filters, one value each, no exclusion; v2 supports them all", () => {
    const v1 = capabilities("v1");
    const v2 = capabilities("v2");
    expect(v1.filters.map((f) => f.param)).toEqual([
      "action_type",
      "actor_email",
      "actor_ip_address",
      "zone_name",
      "id",
    ]);
    expect(v2.filters).toHaveLength(FILTERS.length);
    expect(v1.canExclude(getFilter("actor_email")!)).toBe(false);
    expect(v2.canExclude(getFilter("actor_email")!)).toBe(true);
    expect(v2.canExclude(getFilter("product_category")!)).toBe(false);
    expect(v1.kind(getFilter("action_type")!)).toBe("text");
    expect(v2.kind(getFilter("action_type")!)).toBe("enum");
    expect([v1.multipleValues, v1.history, v1.automation, v1.hideUserLogs]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect([v2.multipleValues, v2.history, v2.automation, v2.hideUserLogs]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("validation follows them", () => {
    expect(errors("actor_email.not=a@x.com", "v1").map((e) => e.parameter)).toEqual(["actor_email.not"]);
    expect(errors("actor_email=a@x.com&actor_email=b@x.com", "v1")[0].message).toMatch(/one value/);
    expect(errors("hide_user_logs=true", "v2")[0].message).toMatch(/Only the v1/);
    expect(errors("hide_user_logs=true", "v1")).toEqual([]);
    expect(errors("automation=only", "v1")[0].message).toMatch(/cannot tell people from automation/);
  });
});

describe("the parser map validates", () => {
  it("every single-valued parameter carries its own check", () => {
    const single = { ...querySearchParams, ...viewSearchParams };
    const unchecked = Object.entries(single)
      .filter(([key]) => !isFilterKey(key))
      .filter(([, parser]) => typeof (parser as { check?: unknown }).check !== "function")
      .map(([key]) => key);
    expect(unchecked).toEqual([]);
  });

  it("names each parameter whose value its check refuses", () => {
    const bad = "direction=up&tz=mars&live=yes&log=&q=%20&automation=all&columns=time,time&range=1y";
    expect(
      errors(bad)
        .map((e) => e.parameter)
        .sort(),
    ).toEqual(["automation", "columns", "direction", "live", "log", "q", "range", "tz"]);
  });
});

describe("column widths and density in the URL", () => {
  it("round-trip through the loader and the serializer, in field-list order", () => {
    const loaded = loadSearchParams(new URLSearchParams("widths=actorEmail:320,time:200&density=compact"));
    expect(loaded.widths).toEqual({ actorEmail: 320, time: 200 });
    expect(loaded.density).toBe("compact");
    expect(serializeSearch({ widths: { actorEmail: 320, time: 200 }, density: "compact" })).toBe(
      "?widths=time:200,actorEmail:320&density=compact",
    );
    expect(errors("widths=time:200,actorEmail:320&density=comfortable")).toEqual([]);
  });

  it.each([
    ["widths=actorEmail:20", /from 64 to 1200 pixels/],
    ["widths=actorEmail:5000", /from 64 to 1200 pixels/],
    ["widths=actorEmail:2.5", /<column id>:<pixels>/],
    ["widths=actorEmail", /<column id>:<pixels>/],
    ["widths=", /<column id>:<pixels>/],
    ["widths=nosuch:200", /unknown column "nosuch"/],
    ["widths=__proto__:200", /<column id>:<pixels>/],
    ["widths=constructor:200", /unknown column "constructor"/],
    ["widths=time:100,time:120", /at most once/],
    [`widths=${Array.from({ length: 40 }, () => "time:100").join(",")}`, /At most \d+ widths/],
    ["widths=time:100&widths=time:120", /more than once/],
    ["density=cozy", /compact or comfortable/],
  ])("%s is refused, naming the parameter", (qs, message) => {
    const found = errors(qs);
    expect(found).toHaveLength(1);
    expect(found[0].parameter).toBe(qs.slice(0, qs.indexOf("=")));
    expect(found[0].message).toMatch(message);
  });

  it("a bad value loads as no widths at all, never half of them", () => {
    expect(loadSearchParams(new URLSearchParams("widths=actorEmail:320,time:5")).widths).toBeNull();
  });
});
