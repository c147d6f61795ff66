import { beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, call, makeHandler, type Params, v1Path, type Entry } from "./helpers";

const handler = makeHandler({ size: 1500 });
let all: Entry[] = [];

/** Every v1 entry for `params`, paging like the SDK: until a page comes back empty. */
async function walkV1(params: Params = {}): Promise<{ entries: Entry[]; pages: number; totals: number[] }> {
  const entries: Entry[] = [];
  const totals: number[] = [];
  for (let page = 1; page < 1000; page++) {
    const reply = await call(handler, v1Path, { per_page: 1000, ...params, page });
    expect(reply.status).toBe(200);
    totals.push(reply.body.result_info.total_count);
    if (reply.body.result.length === 0) return { entries, pages: page, totals };
    entries.push(...reply.body.result);
  }
  throw new Error("paging did not end");
}

beforeAll(async () => {
  all = (await walkV1()).entries;
});

describe("v1 audit_logs", () => {
  it("answers the v4 envelope with page-based result_info", async () => {
    const reply = await call(handler, v1Path, { per_page: 25, page: 2 });
    expect(Object.keys(reply.body)).toEqual(["success", "errors", "messages", "result", "result_info"]);
    expect(reply.body.result).toHaveLength(25);
    expect(reply.body.result_info).toEqual({ page: 2, per_page: 25, count: 25, total_count: 1500 });
    const defaults = await call(handler, v1Path);
    expect(defaults.body.result_info).toEqual({ page: 1, per_page: 100, count: 100, total_count: 1500 });
  });

  it("renders v1 objects as Cloudflare does: verbs, system actors, value forms", async () => {
    expect(all).toHaveLength(1500);
    const e = all.find((x) => x.actor.type === "user")!;
    expect(Object.keys(e).filter((k) => !k.endsWith("Json"))).toEqual([
      "id",
      "action",
      "actor",
      "interface",
      "metadata",
      "newValue",
      "oldValue",
      "owner",
      "resource",
      "when",
    ]);
    expect(typeof e.action.result).toBe("boolean");
    expect(all.some((x) => x.owner.id === ACCOUNT)).toBe(true);
    // A user's own API tokens belong to the user.
    const token = all.find((x) => x.resource.type === "API_token")!;
    expect(token.owner.id).toBe(token.actor.id);
    expect(token.metadata).toMatchObject({ token_name: expect.any(String), token_tag: expect.any(String) });
    expect(new Set(all.map((x) => x.actor.type))).toEqual(new Set(["user", "admin", "system"]));
    const system = all.filter((x) => x.actor.type === "system");
    expect(system.length).toBeGreaterThan(0);
    expect(system.every((x) => JSON.stringify(x.actor) === '{"id":"1","type":"system"}')).toBe(true);
    expect(new Set(all.map((x) => x.interface))).toEqual(new Set(["UI", ""]));
    const verbs = new Set(all.map((x) => x.action.type));
    for (const verb of [
      "rec_add",
      "rec_set",
      "rec_del",
      "token_roll",
      "change_setting",
      "tls_settings_deployed",
    ])
      expect(verbs).toContain(verb);
    const rolls = all.filter((x) => x.action.type === "token_roll");
    expect(rolls.every((x) => /^key digest: [0-9a-f]{64}$/.test(x.action.info))).toBe(true);
    expect(all.some((x) => /\.\d{6}Z$/.test(x.when))).toBe(true);
    expect(all.some((x) => /:\d{2}Z$/.test(x.when))).toBe(true);
    expect(all.every((x) => typeof x.newValue === "string" && typeof x.oldValue === "string")).toBe(true);
    expect(all.some((x) => x.action.result === false)).toBe(true);
    // DNS deletions: the old record decoded, the text "" or "null".
    const dels = all.filter((x) => x.action.type === "rec_del");
    expect(dels.every((x) => typeof x.oldValueJson === "object")).toBe(true);
    expect(new Set(dels.map((x) => x.oldValue))).toEqual(new Set(["", "null"]));
    expect(all.find((x) => x.action.type === "rec_add")!.newValueJson).toBeTypeOf("object");
    // Settings and other changes carry JSON text.
    const setting = all.find((x) => x.action.type === "change_setting")!;
    expect(() => JSON.parse(setting.newValue)).not.toThrow();
    const update = all.find((x) => x.action.type === "update" && x.newValue !== "")!;
    expect(JSON.parse(update.newValue)).toBeTypeOf("object");
  });

  it("pages to an empty page past the end, with constant totals and no duplicates", async () => {
    const { entries, pages, totals } = await walkV1({ per_page: 400 });
    expect(pages).toBe(5);
    expect(new Set(totals)).toEqual(new Set([1500]));
    expect(entries.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const last = await call(handler, v1Path, { per_page: 400, page: 4 });
    expect(last.body.result_info).toEqual({ page: 4, per_page: 400, count: 300, total_count: 1500 });
    const past = await call(handler, v1Path, { per_page: 400, page: 9 });
    expect(past.status).toBe(200);
    expect(past.body.result).toEqual([]);
    expect(past.body.result_info.count).toBe(0);
  });

  it("sorts newest first by default and oldest first with direction=asc", async () => {
    const asc = (await walkV1({ direction: "asc" })).entries;
    expect(asc.map((e) => e.id)).toEqual([...all].reverse().map((e) => e.id));
    const when = all.map((e) => e.when);
    expect(when).toEqual([...when].sort().reverse());
  });

  it.each([
    ["action.type", "delete", (e: Entry) => e.action.type === "delete"],
    ["action.type", "rec_add", (e: Entry) => e.action.type === "rec_add"],
    ["actor.email", "ALICE.MOREAU@acme.com", (e: Entry) => e.actor.email === "alice.moreau@acme.com"],
    ["actor.ip", "203.0.113.0/24", (e: Entry) => !!e.actor.ip?.startsWith("203.0.113.")],
    ["actor.ip", "2a02::/16", (e: Entry) => !!e.actor.ip?.startsWith("2a02:")],
    ["zone.name", "acme.com", (e: Entry) => e.metadata.zone_name === "acme.com"],
    ["hide_user_logs", "true", (e: Entry) => e.resource.type !== "API_token"],
  ])("filters %s=%s", async (name, value, keep) => {
    const expected = all.filter(keep);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const { entries, totals } = await walkV1({ [name]: value });
    expect(entries.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(totals[0]).toBe(expected.length);
  });

  it("filters a single address, an id, and a time window", async () => {
    const ip = all[3].actor.ip;
    const byIp = await walkV1({ "actor.ip": ip });
    expect(byIp.entries.map((e) => e.id)).toEqual(all.filter((e) => e.actor.ip === ip).map((e) => e.id));
    const byId = await call(handler, v1Path, { id: all[7].id });
    expect(byId.body.result.map((e: Entry) => e.id)).toEqual([all[7].id]);
    const window = await walkV1({ since: "2026-10-01", before: "2026-10-15T00:00:00Z" });
    expect(window.entries.map((e) => e.id)).toEqual(
      all.filter((e) => e.when >= "2026-10-01" && e.when < "2026-10-15").map((e) => e.id),
    );
  });

  it("accepts export=true and ignores it", async () => {
    const reply = await call(handler, v1Path, { export: "true", per_page: 5 });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toHaveLength(5);
  });

  it.each([
    ["per_page", { per_page: 0 }],
    ["per_page", { per_page: 1001 }],
    ["page", { page: 0 }],
    ["direction", { direction: "sideways" }],
    ["since", { since: "last week" }],
    ["actor.ip", { "actor.ip": "300.1.1.1" }],
    ["actor.ip", { "actor.ip": "10.0.0.0/33" }],
  ])("answers 400 in the v4 shape naming %s", async (name, params) => {
    const reply = await call(handler, v1Path, params);
    expect(reply.status).toBe(400);
    expect(reply.body.success).toBe(false);
    expect(reply.body.result).toBeNull();
    expect(reply.body.errors[0].code).toBeGreaterThanOrEqual(1000);
    expect(reply.body.errors[0].message).toContain(name);
  });
});
