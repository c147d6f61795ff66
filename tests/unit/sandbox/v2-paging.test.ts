import { describe, expect, it } from "vitest";
import { ALL_TIME, call, makeHandler, v2Path, walkV2 } from "./helpers";

const handler = makeHandler({ size: 2500 });
const times = (entries: { action: { time: string } }[]) => entries.map((e) => Date.parse(e.action.time));

describe("v2 list: envelope, limits, order", () => {
  it("answers Cloudflare's v2 envelope with a string count and an opaque cursor", async () => {
    const reply = await call(handler, v2Path, ALL_TIME);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(["success", "errors", "result", "result_info"]);
    expect(reply.body.success).toBe(true);
    expect(reply.body.errors).toEqual([]);
    expect(reply.body.result).toHaveLength(100);
    expect(reply.body.result_info.count).toBe("100");
    expect(reply.body.result_info.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(reply.headers.get("content-type")).toContain("application/json");
  });

  it("renders each entry with exactly the fields of Cloudflare's v2 object", async () => {
    const entry = (await call(handler, v2Path, { ...ALL_TIME, limit: 1 })).body.result[0];
    expect(Object.keys(entry)).toEqual(["id", "account", "action", "actor", "raw", "resource", "zone"]);
    expect(entry.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(entry.account)).toEqual(["id", "name"]);
    expect(Object.keys(entry.action)).toEqual(["description", "result", "time", "type"]);
    expect(Object.keys(entry.actor)).toEqual([
      "id",
      "context",
      "email",
      "ip_address",
      "token_id",
      "token_name",
      "type",
    ]);
    expect(Object.keys(entry.raw)).toEqual(["cf_ray_id", "method", "status_code", "uri", "user_agent"]);
    expect(Object.keys(entry.resource)).toEqual(["id", "product", "request", "response", "scope", "type"]);
    expect(Object.keys(entry.zone)).toEqual(["id", "name"]);
    expect(typeof entry.raw.status_code).toBe("number");
    expect(entry.action.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it.each([
    [1, 1],
    [1000, 1000],
  ])("limit=%i returns %i entries", async (limit, expected) => {
    const reply = await call(handler, v2Path, { ...ALL_TIME, limit });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toHaveLength(expected);
    expect(reply.body.result_info.count).toBe(String(expected));
  });

  it.each([0, 1001, 5000, -1, 2.5, "ten"])("limit=%s is a 400 naming limit", async (limit) => {
    const reply = await call(handler, v2Path, { ...ALL_TIME, limit });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      success: false,
      errors: [{ message: expect.stringContaining("limit") }],
      messages: [],
    });
  });

  it("orders newest first by default and oldest first with direction=asc", async () => {
    const desc = (await call(handler, v2Path, { ...ALL_TIME, limit: 500 })).body.result;
    const asc = (await call(handler, v2Path, { ...ALL_TIME, limit: 500, direction: "asc" })).body.result;
    const d = times(desc);
    const a = times(asc);
    expect(d).toEqual([...d].sort((x, y) => y - x));
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(d[0]).toBeGreaterThan(a[0]);
  });
});

describe("v2 list: cursors", () => {
  it("walks to the end with no duplicates or gaps, equal to one big scan, in both directions", async () => {
    const big = (await walkV2(handler, { ...ALL_TIME, limit: 1000 })).entries;
    expect(big).toHaveLength(2500);
    for (const direction of ["desc", "asc"]) {
      const { entries, pages } = await walkV2(handler, { ...ALL_TIME, limit: 97, direction });
      expect(pages).toBe(Math.ceil(2500 / 97));
      expect(new Set(entries.map((e) => e.id)).size).toBe(2500);
      const expected = direction === "desc" ? big : [...big].reverse();
      expect(entries.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    }
  });

  it("ends with a page that has no cursor key, also when the limit divides the total", async () => {
    const filtered = (await walkV2(handler, { ...ALL_TIME, action_type: "delete" })).entries;
    expect(filtered.length).toBeGreaterThan(10);
    const walk = await walkV2(handler, { ...ALL_TIME, action_type: "delete", limit: filtered.length });
    expect(walk.pages).toBe(1);
    const last = await call(handler, v2Path, { ...ALL_TIME, action_type: "delete", limit: filtered.length });
    expect("cursor" in last.body.result_info).toBe(false);
  });

  it("returns an empty result without a cursor for an empty window", async () => {
    const reply = await call(handler, v2Path, { since: "2020-01-01", before: "2020-01-02" });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual([]);
    expect(reply.body.result_info).toEqual({ count: "0" });
  });

  it("rejects a cursor from another query (filters, window or direction) with 400", async () => {
    const first = await call(handler, v2Path, { ...ALL_TIME, limit: 10 });
    const cursor = first.body.result_info.cursor;
    expect((await call(handler, v2Path, { ...ALL_TIME, limit: 10, cursor })).status).toBe(200);
    expect((await call(handler, v2Path, { ...ALL_TIME, limit: 50, cursor })).status).toBe(200);
    for (const other of [
      { ...ALL_TIME, action_type: "create" },
      { ...ALL_TIME, direction: "asc" },
      { since: "2026-06-02", before: ALL_TIME.before },
    ]) {
      const reply = await call(handler, v2Path, { ...other, cursor });
      expect(reply.status).toBe(400);
      expect(reply.body.errors[0].message).toContain("cursor");
    }
    const foreign = makeHandler({ size: 2500, seed: 8 });
    expect((await call(foreign, v2Path, { ...ALL_TIME, limit: 10, cursor })).status).toBe(400);
  });

  it.each(["garbage", "AAAAAAAAAAAAAAAAAAAAAA", "Q1buH-__DQqqig7SVYXT-SsMOTGY2Z3Y80W-fGgva7y"])(
    "rejects the malformed cursor %s",
    async (cursor) => {
      const reply = await call(handler, v2Path, { ...ALL_TIME, cursor });
      expect(reply.status).toBe(400);
      expect(reply.body.errors[0].message).toContain("cursor");
    },
  );
});

describe("v2 list: time window", () => {
  it("reads YYYY-MM-DD as midnight UTC, the same as the RFC 3339 form", async () => {
    const dates = await walkV2(handler, { since: "2026-10-01", before: "2026-10-08" });
    const stamps = await walkV2(handler, { since: "2026-10-01T00:00:00Z", before: "2026-10-08T00:00:00Z" });
    const offsets = await walkV2(handler, {
      since: "2026-10-01T02:00:00+02:00",
      before: "2026-10-07T19:00:00-05:00",
    });
    expect(dates.entries.length).toBeGreaterThan(0);
    expect(stamps.entries).toEqual(dates.entries);
    expect(offsets.entries).toEqual(dates.entries);
    for (const t of times(dates.entries)) {
      expect(t).toBeGreaterThanOrEqual(Date.parse("2026-10-01T00:00:00Z"));
      expect(t).toBeLessThan(Date.parse("2026-10-08T00:00:00Z"));
    }
  });

  it("includes since and excludes before", async () => {
    const entry = (await call(handler, v2Path, { ...ALL_TIME, limit: 1000 })).body.result[500];
    const at = entry.action.time;
    const from = await walkV2(handler, { since: at, before: ALL_TIME.before, direction: "asc" });
    expect(from.entries.some((e) => e.id === entry.id)).toBe(true);
    const until = await walkV2(handler, { since: ALL_TIME.since, before: at });
    expect(until.entries.some((e) => e.id === entry.id)).toBe(false);
    expect(until.entries.every((e) => e.action.time < at)).toBe(true);
  });

  it("accepts fractional seconds", async () => {
    const reply = await call(handler, v2Path, {
      since: "2026-10-01T00:00:00.123Z",
      before: "2026-10-02T00:00:00.5Z",
    });
    expect(reply.status).toBe(200);
  });
});
