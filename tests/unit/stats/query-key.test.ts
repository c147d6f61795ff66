import { describe, expect, it } from "vitest";
import { loadSearchParams, pickQuery } from "@/lib/search-params";
import { statsKeys, statsQueryOptions, statsSearch } from "@/lib/stats-query";

const query = (qs: string) => pickQuery(loadSearchParams(new URLSearchParams(qs)));

describe("stats query key", () => {
  it("holds the normalized query and the bucket count", () => {
    expect(
      statsSearch(query("range=7d&actor_email=b@x.com&action_type=delete&actor_email=a@x.com"), 60),
    ).toBe("action_type=delete&actor_email=a%40x.com&actor_email=b%40x.com&range=7d&buckets=60");
    expect(statsKeys.query(query("range=7d"), 48)).toEqual(["stats", "range=7d&buckets=48"]);
  });

  it("ignores what does not change the counts: direction, view parameters, value order", () => {
    const a = statsSearch(
      query("actor_email=a@x.com&actor_email=b@x.com&direction=asc&tz=local&columns=time"),
      60,
    );
    const b = statsSearch(query("actor_email=b@x.com&actor_email=a@x.com"), 60);
    expect(a).toBe(b);
    expect(statsSearch(query("range=24h"), 60)).toBe(statsSearch(query(""), 60));
  });

  it("tells pinned windows, filters and bucket counts apart", () => {
    const keys = [
      statsSearch(query("since=2026-11-01&before=2026-11-02"), 60),
      statsSearch(query("since=2026-11-01&before=2026-11-03"), 60),
      statsSearch(query("action_type.not=delete"), 60),
      statsSearch(query("action_type=delete"), 60),
      statsSearch(query(""), 60),
      statsSearch(query(""), 48),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(statsQueryOptions(query(""), 48).queryKey).toEqual(statsKeys.query(query(""), 48));
  });
});
