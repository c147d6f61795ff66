import { beforeAll, describe, expect, it } from "vitest";
import { ALL_TIME, call, makeHandler, v2Path, walkV2, type Entry } from "./helpers";

const handler = makeHandler({ size: 800 });
let all: Entry[] = [];

beforeAll(async () => {
  all = (await walkV2(handler, ALL_TIME)).entries;
});

/** How each v2 filter reads an entry. */
const FIELDS: Record<string, (e: Entry) => string> = {
  account_name: (e) => e.account.name,
  action_result: (e) => e.action.result,
  action_type: (e) => e.action.type,
  actor_context: (e) => e.actor.context,
  actor_email: (e) => e.actor.email ?? "",
  actor_id: (e) => e.actor.id,
  actor_ip_address: (e) => e.actor.ip_address,
  actor_token_id: (e) => e.actor.token_id,
  actor_token_name: (e) => e.actor.token_name,
  actor_type: (e) => e.actor.type,
  id: (e) => e.id,
  raw_cf_ray_id: (e) => e.raw.cf_ray_id,
  raw_method: (e) => e.raw.method,
  raw_status_code: (e) => String(e.raw.status_code),
  raw_uri: (e) => e.raw.uri,
  resource_id: (e) => e.resource.id,
  resource_product: (e) => e.resource.product,
  resource_scope: (e) => e.resource.scope,
  resource_type: (e) => e.resource.type,
  zone_id: (e) => e.zone.id,
  zone_name: (e) => e.zone.name,
};

/** Two different non-empty values of a field, the first and a rarer one, both present in the data. */
function valuesOf(name: string): [string, string] {
  const counts = new Map<string, number>();
  for (const e of all) {
    const v = FIELDS[name](e);
    if (v !== "") counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v);
  return [sorted[0], sorted[Math.min(sorted.length - 1, 1)]];
}

const ids = (entries: Entry[]) => entries.map((e) => e.id);

describe("v2 filters against a full scan", () => {
  it("has a full scan to compare with", () => {
    expect(all.length).toBe(800);
  });

  for (const name of Object.keys(FIELDS)) {
    it(`${name}: inclusion, OR of two values, and .not`, async () => {
      const [a, b] = valuesOf(name);
      const get = FIELDS[name];
      const included = await walkV2(handler, { ...ALL_TIME, [name]: a });
      expect(ids(included.entries)).toEqual(ids(all.filter((e) => get(e) === a)));
      expect(included.entries.length).toBeGreaterThan(0);

      const either = await walkV2(handler, { ...ALL_TIME, [name]: [a, b] });
      expect(ids(either.entries)).toEqual(ids(all.filter((e) => get(e) === a || get(e) === b)));

      const excluded = await walkV2(handler, { ...ALL_TIME, [`${name}.not`]: a });
      expect(ids(excluded.entries)).toEqual(ids(all.filter((e) => get(e) !== a)));
      if (name !== "account_name") {
        expect(excluded.entries.length).toBeGreaterThan(0);
        expect(included.entries.length).toBeLessThan(all.length);
      }
    });
  }

  it("ANDs different keys and combines inclusion with exclusion of the same key", async () => {
    const { entries } = await walkV2(handler, {
      ...ALL_TIME,
      action_type: ["update", "delete"],
      "action_type.not": "delete",
      actor_type: "user",
      resource_product: "Access",
    });
    const expected = all.filter(
      (e) => e.action.type === "update" && e.actor.type === "user" && e.resource.product === "Access",
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(entries)).toEqual(ids(expected));
  });

  it("reads the deprecated audit_log_id as id, in both forms", async () => {
    const target = all[10].id;
    expect(ids((await walkV2(handler, { ...ALL_TIME, audit_log_id: target })).entries)).toEqual([target]);
    expect((await walkV2(handler, { ...ALL_TIME, "audit_log_id.not": target })).entries).toHaveLength(
      all.length - 1,
    );
  });

  it("matches actor_email ignoring case", async () => {
    const email = all.find((e) => e.actor.email)!.actor.email;
    const { entries } = await walkV2(handler, { ...ALL_TIME, actor_email: email.toUpperCase() });
    expect(ids(entries)).toEqual(ids(all.filter((e) => e.actor.email === email)));
  });

  it("matches actor_ip_address against IPv4 and IPv6 CIDR ranges", async () => {
    const v4 = await walkV2(handler, { ...ALL_TIME, actor_ip_address: "203.0.113.0/24" });
    expect(v4.entries.length).toBeGreaterThan(0);
    expect(ids(v4.entries)).toEqual(ids(all.filter((e) => e.actor.ip_address.startsWith("203.0.113."))));

    const v6 = await walkV2(handler, { ...ALL_TIME, actor_ip_address: "2a02::/16" });
    expect(v6.entries.length).toBeGreaterThan(0);
    expect(ids(v6.entries)).toEqual(ids(all.filter((e) => e.actor.ip_address.startsWith("2a02:"))));

    const notV6 = await walkV2(handler, { ...ALL_TIME, "actor_ip_address.not": "::/0" });
    expect(ids(notV6.entries)).toEqual(ids(all.filter((e) => !e.actor.ip_address.includes(":"))));
  });

  it("unions product_category with resource_product, ignoring the category's case", async () => {
    const { entries } = await walkV2(handler, {
      ...ALL_TIME,
      product_category: "ZeroTrust",
      resource_product: "DNS",
    });
    const expected = all.filter((e) =>
      ["Access", "Gateway", "Tunnels", "Devices", "DNS"].includes(e.resource.product),
    );
    expect(ids(entries)).toEqual(ids(expected));
    expect(new Set(entries.map((e) => e.resource.product))).toEqual(
      new Set(["Access", "Gateway", "Tunnels", "Devices", "DNS"]),
    );

    const two = await walkV2(handler, { ...ALL_TIME, product_category: ["dns", "developer"] });
    expect(ids(two.entries)).toEqual(ids(all.filter((e) => ["DNS", "Workers"].includes(e.resource.product))));
  });

  it("rejects an unknown product_category and its .not form with 400", async () => {
    const unknown = await call(handler, v2Path, { ...ALL_TIME, product_category: "teleportation" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toContain("product_category");
    const negated = await call(handler, v2Path, { ...ALL_TIME, "product_category.not": "dns" });
    expect(negated.status).toBe(400);
    expect(negated.body.errors[0].message).toContain("product_category.not");
  });

  it("matches nothing for an unknown value of a free-text filter", async () => {
    const reply = await call(handler, v2Path, { ...ALL_TIME, resource_id: "no-such-resource" });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual([]);
    expect(reply.body.result_info).toEqual({ count: "0" });
  });
});
