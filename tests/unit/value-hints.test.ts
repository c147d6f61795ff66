import { describe, expect, it } from "vitest";
import { getFilter, type AuditLog } from "@/lib/audit-log";
import type { StatsResponse } from "@/lib/stats";
import { overviewCounts, valueHints } from "@/lib/value-hints";

const stats = {
  totals: { entries: 10, success: 8, failure: 2, other: 0, uniqueActors: 2, failureRate: 0.2 },
  top: {
    actors: [
      { value: "alice@acme.com", count: 6, param: "actor_email" },
      { value: "ci-token", count: 4, param: "actor_token_name" },
    ],
    actionTypes: [
      { value: "update", count: 7 },
      { value: "delete", count: 3 },
    ],
    products: [{ value: "Access", count: 10 }],
    ips: [{ value: "203.0.113.9", count: 10 }],
  },
} as unknown as StatsResponse;

describe("value hints", () => {
  it("count the fields the overview counts, and no others", () => {
    expect(overviewCounts("action_type", stats)).toEqual(
      new Map([
        ["update", 7],
        ["delete", 3],
      ]),
    );
    expect(overviewCounts("action_result", stats)).toEqual(
      new Map([
        ["success", 8],
        ["failure", 2],
      ]),
    );
    expect(overviewCounts("actor_email", stats)).toEqual(new Map([["alice@acme.com", 6]]));
    expect(overviewCounts("zone_name", stats)).toBeNull();
    expect(overviewCounts("action_type", undefined)).toBeNull();
  });

  it("offer options, top values and loaded values matching what is typed, most counted first", () => {
    const type = getFilter("action_type")!;
    const all = valueHints(type, "", stats, []);
    expect(all.slice(0, 2)).toEqual([
      { value: "update", count: 7 },
      { value: "delete", count: 3 },
    ]);
    expect(all).toContainEqual({ value: "create" });
    expect(valueHints(type, "de", stats, [])).toEqual([{ value: "delete", count: 3 }]);
    const rows = [
      { zoneName: "acme.com" },
      { zoneName: "shop.acme.com" },
      { zoneName: null },
    ] as unknown as AuditLog[];
    expect(valueHints(getFilter("zone_name")!, "shop", undefined, rows)).toEqual([
      { value: "shop.acme.com" },
    ]);
    expect(valueHints(getFilter("zone_name")!, "acme", undefined, rows).map((h) => h.value)).toEqual([
      "acme.com",
      "shop.acme.com",
    ]);
  });
});
