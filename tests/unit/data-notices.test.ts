import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataNoticeList } from "@/components/data-notice/data-notice-list";
import type { AuditLog } from "@/lib/audit-log";
import { dataNotices, unknownValues } from "@/lib/data-notices";

const row = (fields: Partial<AuditLog>) =>
  ({ actionType: "update", actionResult: "success", actorType: "user", ...fields }) as AuditLog;

/** The rendered list as text, one line per notice. */
function rendered(notices: ReturnType<typeof dataNotices>): string[] {
  const html = renderToStaticMarkup(createElement(DataNoticeList, { notices }));
  return [...html.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, ""));
}

describe("the data notice above the table", () => {
  it("renders nothing when the data is complete and exact", () => {
    const notices = dataNotices({
      coverage: { entries: 120, complete: true, oldestCovered: "2026-11-20T00:00:00Z" },
      historyApproximate: false,
      unknown: unknownValues([row({})], "v2"),
      server: [],
    });
    expect(notices).toEqual([]);
    expect(renderToStaticMarkup(createElement(DataNoticeList, { notices }))).toBe("");
  });

  it("says when the activity overview's coverage is incomplete", () => {
    const notices = dataNotices({
      coverage: { entries: 20_000, complete: false, oldestCovered: "2026-11-20T00:00:00Z" },
      formatInstant: (iso) => `<${iso}>`,
    });
    expect(rendered(notices)).toEqual([
      "Partial: The activity overview counts only the newest 20,000 matching entries, back to &lt;2026-11-20T00:00:00Z&gt; (the shaded part of the chart is not counted). Narrow the range or the filters for full counts.",
    ]);
  });

  it("says when the overview stopped for the API budget, and that waiting helps rather than narrowing", () => {
    const notices = dataNotices({
      coverage: { entries: 3_000, complete: false, oldestCovered: null, stoppedBy: "budget" },
    });
    expect(rendered(notices)).toEqual([
      "Partial: The activity overview counts only the newest 3,000 matching entries (the shaded part of the chart is not counted). The dashboard&#x27;s Cloudflare API budget is spent for now: try again in a minute.",
    ]);
  });

  it("says when the open entry's history is approximate", () => {
    expect(rendered(dataNotices({ historyApproximate: true }))).toEqual([
      "Approximate: The open entry&#x27;s change history is matched to its resource by Cloudflare on a best-effort basis.",
    ]);
  });

  it("names values outside the known enums, per field, and counts the rest", () => {
    const rows = [
      row({ actionType: "rotate" }),
      row({ actionType: "archive", actorType: "robot" }),
      row({ actionType: "a1" }),
      row({ actionType: "a2" }),
      row({}),
    ];
    const unknown = unknownValues(rows, "v2");
    expect(unknown).toEqual([
      { label: "Action type", values: ["a1", "a2", "archive", "rotate"] },
      { label: "Actor type", values: ["robot"] },
    ]);
    expect(rendered(dataNotices({ unknown }))).toEqual([
      "Unknown values: Action type &quot;a1&quot;, &quot;a2&quot;, &quot;archive&quot; and 1 more are not among the values the dashboard knows; shown as Cloudflare sent them.",
      "Unknown values: Actor type &quot;robot&quot; is not among the values the dashboard knows; shown as Cloudflare sent it.",
    ]);
  });

  it("v1's free-text action types are not unknown values", () => {
    expect(unknownValues([row({ actionType: "login" })], "v1")).toEqual([]);
    expect(unknownValues([row({ actionType: "login" })], "v2")).toHaveLength(1);
  });

  it("shows what the server says about the pages (retries, a v1 count that disagreed), once each", () => {
    const notices = dataNotices({
      server: [
        "The upstream needed 2 retries for these entries.",
        "A v1 page count disagreed with the entries received.",
        "The upstream needed 2 retries for these entries.",
      ],
    });
    expect(rendered(notices)).toEqual([
      "Note: The upstream needed 2 retries for these entries.",
      "Note: A v1 page count disagreed with the entries received.",
    ]);
  });

  it("shows every case together, in a fixed order", () => {
    const notices = dataNotices({
      coverage: { entries: 5, complete: false, oldestCovered: null },
      historyApproximate: true,
      unknown: [{ label: "Action result", values: ["partial"] }],
      server: ["The upstream needed 1 retry for these entries."],
    });
    expect(notices.map((n) => n.label)).toEqual(["Partial", "Approximate", "Unknown values", "Note"]);
    expect(renderToStaticMarkup(createElement(DataNoticeList, { notices }))).toContain(
      'aria-label="About this data"',
    );
  });
});
