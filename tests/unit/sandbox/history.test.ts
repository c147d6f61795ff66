import { beforeAll, describe, expect, it } from "vitest";
import { ALL_TIME, call, makeHandler, v2Path, walkV2, type Entry } from "./helpers";

const handler = makeHandler({ size: 3000 });
let all: Entry[] = [];

beforeAll(async () => {
  all = (await walkV2(handler, ALL_TIME)).entries;
});

const historyOf = (entry: Entry, params: Record<string, string | number> = {}) =>
  call(handler, `${v2Path}/${entry.id}/history`, { action_time: entry.action.time, ...ALL_TIME, ...params });

describe("v2 resource history", () => {
  it("is exact for a resource with its own id: every entry of that resource, oldest first with asc", async () => {
    const counts = new Map<string, number>();
    for (const e of all) counts.set(e.resource.id, (counts.get(e.resource.id) ?? 0) + 1);
    const source = all.find(
      (e) =>
        e.actor.type !== "system" &&
        e.resource.type === "Access application" &&
        counts.get(e.resource.id)! >= 3,
    )!;
    expect(source).toBeDefined();
    const reply = await historyOf(source, { direction: "asc" });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(["success", "errors", "result", "result_info"]);
    expect(reply.body.result_info.history_status).toBe("exact");
    const expected = all.filter((e) => e.resource.id === source.resource.id).reverse();
    expect(reply.body.result.map((e: Entry) => e.id)).toEqual(expected.map((e) => e.id));
    expect(reply.body.result_info.count).toBe(expected.length);
    expect(typeof reply.body.result_info.count).toBe("number");
    expect("cursor" in reply.body.result_info).toBe(false);
    const desc = await historyOf(source);
    expect(desc.body.result.map((e: Entry) => e.id)).toEqual(expected.map((e) => e.id).reverse());
  });

  it("follows a resource from create through updates, within the window only", async () => {
    const created = all.find(
      (e) => e.action.type === "create" && all.filter((x) => x.resource.id === e.resource.id).length >= 3,
    )!;
    const reply = await historyOf(created, { direction: "asc", since: created.action.time });
    expect(reply.body.result[0].action.type).toBe("create");
    const outside = await historyOf(created, { since: "2026-06-01", before: created.action.time });
    expect(outside.body.result.every((e: Entry) => e.action.time < created.action.time)).toBe(true);
  });

  it("is approximate for settings (no id in the URI), matched by type and zone", async () => {
    const source = all.find((e) => e.resource.type === "SSL setting" && e.actor.type !== "system")!;
    const reply = await historyOf(source);
    expect(reply.body.result_info.history_status).toBe("approximate");
    const expected = all.filter((e) => e.resource.type === "SSL setting" && e.zone.id === source.zone.id);
    expect(reply.body.result.map((e: Entry) => e.id)).toEqual(expected.map((e) => e.id));
  });

  it("is unavailable, with an empty result, for entries made by Cloudflare's systems", async () => {
    const source = all.find((e) => e.actor.type === "system")!;
    const reply = await historyOf(source);
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual([]);
    expect(reply.body.result_info).toEqual({ count: 0, history_status: "unavailable" });
  });

  it("pages with cursors without duplicates", async () => {
    const source = all.find((e) => e.resource.type === "SSL setting" && e.actor.type !== "system")!;
    const whole = (await historyOf(source)).body.result.map((e: Entry) => e.id);
    expect(whole.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const reply = await historyOf(source, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...reply.body.result.map((e: Entry) => e.id));
      cursor = reply.body.result_info.cursor;
    } while (cursor);
    expect(seen).toEqual(whole);
  });

  it.each([
    ["an unknown id", "00000000-0000-4000-8000-000000000000", null],
    ["a malformed id", "not-a-uuid", null],
    ["an action_time far from the entry's", null, "2026-06-02T00:00:00Z"],
  ])("answers 404 with history_status unavailable for %s", async (_, id, actionTime) => {
    const entry = all[5];
    const reply = await call(handler, `${v2Path}/${id ?? entry.id}/history`, {
      ...ALL_TIME,
      action_time: actionTime ?? entry.action.time,
    });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({
      success: false,
      errors: [{ message: "Audit log entry not found" }],
      result: null,
      result_info: { count: 0, history_status: "unavailable" },
    });
  });

  it.each([
    ["action_time", { action_time: undefined }],
    ["action_time", { action_time: "2026-10-01" }],
    ["since", { since: undefined }],
    ["limit", { limit: 1001 }],
    ["direction", { direction: "back" }],
  ])("answers 400 naming %s", async (name, params) => {
    const entry = all[5];
    const merged = { action_time: entry.action.time, ...ALL_TIME, ...params };
    const query = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    const reply = await call(handler, `${v2Path}/${entry.id}/history`, query);
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].message).toContain(name);
  });
});

describe("v2 product categories", () => {
  it("lists categories whose products are the products in the data", async () => {
    const reply = await call(handler, `${v2Path}/product_categories`);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(["success", "errors", "result"]);
    const categories = reply.body.result as {
      value: string;
      label: string;
      products: { value: string; label: string }[];
    }[];
    expect(categories.find((c) => c.value === "zerotrust")?.label).toBe("Zero Trust");
    const listed = new Set(categories.flatMap((c) => c.products.map((p) => p.value)));
    expect(listed).toEqual(new Set(all.map((e) => e.resource.product)));
    for (const c of categories) expect(Object.keys(c)).toEqual(["value", "label", "products"]);
  });
});
