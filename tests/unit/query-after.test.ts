import { describe, expect, it } from "vitest";
import { queryAfter } from "@/components/log-explorer/use-log-search";
import { loadSearchParams, pickQuery } from "@/lib/search-params";

const search = loadSearchParams(new URLSearchParams("range=7d&action_type=update&actor_type=user&tz=local"));

describe("the query a URL edit leads to (asked for before the page renders the edit)", () => {
  it("is the query the URL state then holds, a cleared parameter taking its default", () => {
    const flipped = queryAfter(search, { action_type: null, "action_type.not": ["update"] });
    const expected = pickQuery(
      loadSearchParams(new URLSearchParams("range=7d&action_type.not=update&actor_type=user")),
    );
    expect(flipped).toEqual(expected);
    expect(queryAfter(search, { range: null, since: null, before: null })?.range).toBe("24h");
  });

  it("is null for an edit that leaves the query as it is: nothing to fetch", () => {
    expect(queryAfter(search, { tz: "utc", log: "abc" })).toBeNull();
    expect(queryAfter(search, { action_type: ["update"], range: "7d" })).toBeNull();
  });
});
