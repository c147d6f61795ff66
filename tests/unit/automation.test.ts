import { describe, expect, it } from "vitest";
import { canonicalFilters, loadQuery, upstreamFilters, validateSearch } from "@/lib/search-params";

const query = (qs: string) => loadQuery(new URLSearchParams(qs));
const upstream = (qs: string) => Object.fromEntries(upstreamFilters(query(qs)).map((f) => [f.key, f.values]));

describe("automation=exclude|only", () => {
  it("excludes every automated actor context, besides the user's own exclusions", () => {
    expect(upstream("automation=exclude&actor_context.not=dash")).toEqual({
      "actor_context.not": ["dash", "api_token", "api_key", "oauth", "api"],
    });
  });

  it("selects the automated contexts, narrowing an explicit choice to them", () => {
    expect(upstream("automation=only")).toEqual({ actor_context: ["api_token", "api_key", "oauth", "api"] });
    expect(upstream("automation=only&actor_context=oauth&actor_context=dash")).toEqual({
      actor_context: ["oauth"],
    });
  });

  it("is part of the cache identity", () => {
    expect(canonicalFilters(query("automation=only"))).not.toEqual(canonicalFilters(query("")));
  });

  it("is refused on v1, with a bad value, or when it contradicts actor_context", () => {
    const errors = (qs: string, api: "v1" | "v2" = "v2") => {
      const v = validateSearch(new URLSearchParams(qs), { api });
      return v.ok ? [] : v.errors.map((e) => e.parameter);
    };
    expect(errors("automation=exclude", "v1")).toEqual(["automation"]);
    expect(errors("automation=sometimes")).toEqual(["automation"]);
    expect(errors("automation=only&actor_context=dash")).toEqual(["automation"]);
    expect(errors("automation=only&actor_context=api_token")).toEqual([]);
  });
});
