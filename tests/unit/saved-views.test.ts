import { describe, expect, it } from "vitest";
import {
  mergeViews,
  parseViewsFile,
  SAVED_VIEWS_KIND,
  startingViews,
  toFile,
  viewSearch,
} from "@/lib/saved-views";
import { validateSearch } from "@/lib/search-params";

describe("saved views", () => {
  it("a view is the page's search without the open entry", () => {
    expect(viewSearch("?range=7d&log=abc&action_type=delete")).toBe("range=7d&action_type=delete");
  });

  it("a file round-trips", () => {
    const views = [{ name: "Deletes", search: "range=7d&action_type=delete" }];
    expect(parseViewsFile(JSON.stringify(toFile(views)))).toEqual({ ok: true, views });
  });

  it.each([
    ["not JSON", "{", "This file is not JSON."],
    ["another kind", JSON.stringify({ kind: "x", version: 1, views: [] }), "Not a saved-views file"],
    ["a newer version", JSON.stringify({ kind: SAVED_VIEWS_KIND, version: 2, views: [] }), "newer version"],
    [
      "an empty name",
      JSON.stringify({ kind: SAVED_VIEWS_KIND, version: 1, views: [{ name: " ", search: "" }] }),
      "A view needs a name. (at views.0.name)",
    ],
    [
      "an unknown parameter",
      JSON.stringify({ kind: SAVED_VIEWS_KIND, version: 1, views: [{ name: "a", search: "evil=1" }] }),
      "does not know. (at views.0.search)",
    ],
  ])("refuses %s with a clear message", (_, text, message) => {
    const parsed = parseViewsFile(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(message);
  });

  it("merging replaces views of the same name and appends new ones", () => {
    const merged = mergeViews(
      [
        { name: "a", search: "range=1h" },
        { name: "b", search: "range=7d" },
      ],
      [
        { name: "b", search: "range=30d" },
        { name: "c", search: "range=24h" },
      ],
    );
    expect(merged.map((v) => `${v.name}:${v.search}`)).toEqual(["a:range=1h", "b:range=30d", "c:range=24h"]);
  });

  it("the starting set is valid for v2, and v1 gets only what it can serve", () => {
    const v2 = startingViews("v2");
    expect(v2.map((v) => v.name)).toEqual([
      "Failed actions, last 24 h",
      "Changes by API tokens",
      "Access policy changes",
      "Member and role changes",
      "Deletes in the last 7 days",
    ]);
    for (const view of v2)
      expect(validateSearch(new URLSearchParams(view.search), { api: "v2" }).ok).toBe(true);
    expect(startingViews("v1").map((v) => v.name)).toEqual(["Deletes in the last 7 days"]);
  });
});
