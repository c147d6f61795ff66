import { beforeAll, describe, expect, it } from "vitest";
import { generateDataset } from "@/lib/sandbox/dataset";
import { HOSTILE_VALUES } from "@/lib/sandbox/hostile";
import { ALL_TIME, call, makeHandler, NOW, v1Path, v2Path, walkV2, type Entry } from "./helpers";

let all: Entry[] = [];

beforeAll(async () => {
  all = (await walkV2(makeHandler({ size: 5000 }), ALL_TIME)).entries;
});

const share = (keep: (e: Entry) => boolean) => all.filter(keep).length / all.length;

describe("sandbox dataset", () => {
  it("is deterministic: same seed, same bytes; another seed, other bytes", async () => {
    const params = { ...ALL_TIME, limit: 300 };
    const a = await call(makeHandler({ size: 2000, seed: 3 }), v2Path, params);
    const b = await call(makeHandler({ size: 2000, seed: 3 }), v2Path, params);
    const c = await call(makeHandler({ size: 2000, seed: 4 }), v2Path, params);
    expect(a.text).toBe(b.text);
    expect(c.text).not.toBe(a.text);
    const v1a = await call(makeHandler({ size: 2000, seed: 3 }), v1Path, { per_page: 300 });
    const v1b = await call(makeHandler({ size: 2000, seed: 3 }), v1Path, { per_page: 300 });
    expect(v1a.text).toBe(v1b.text);
  });

  it("spreads ~120 days before now, newest entry seconds before now, sorted by time", () => {
    const ds = generateDataset(5, 20_000, NOW.getTime());
    expect(ds.size).toBe(20_000);
    for (let i = 1; i < ds.size; i++) if (ds.time[i] < ds.time[i - 1]) throw new Error(`unsorted at ${i}`);
    expect(NOW.getTime() - ds.time[ds.size - 1]).toBeLessThanOrEqual(60_000);
    const days = (NOW.getTime() - ds.time[0]) / 86_400_000;
    expect(days).toBeGreaterThan(110);
    expect(days).toBeLessThanOrEqual(120);
  });

  it("is denser on weekdays and in working hours", () => {
    const weekday = all.filter((e) => ![0, 6].includes(new Date(e.action.time).getUTCDay()));
    expect(weekday.length / all.length).toBeGreaterThan(0.85);
    const working = all.filter((e) => {
      const h = new Date(e.action.time).getUTCHours();
      return h >= 7 && h < 20;
    });
    expect(working.length / all.length).toBeGreaterThan(0.7);
  });

  it("has people, API tokens, systems, Cloudflare staff and account actors, in every context", () => {
    expect(new Set(all.map((e) => e.actor.type))).toEqual(
      new Set(["user", "account", "system", "cloudflare_admin"]),
    );
    expect(new Set(all.map((e) => e.actor.context))).toEqual(
      new Set(["dash", "api", "api_token", "oauth", "api_key", "origin_ca_key"]),
    );
    expect(
      new Set(all.filter((e) => e.actor.type === "user").map((e) => e.actor.email)).size,
    ).toBeGreaterThan(25);
    expect(
      all.filter((e) => e.actor.context === "api_token").every((e) => e.actor.token_id && e.actor.token_name),
    ).toBe(true);
    expect(all.filter((e) => e.actor.context === "dash").every((e) => !e.actor.token_id)).toBe(true);
    expect(new Set(all.map((e) => e.actor.token_name)).size).toBeGreaterThan(5);
  });

  it("omits actor.email when the actor has none (the schema's format: email refuses an empty string)", () => {
    const without = all.filter((e) => !("email" in e.actor));
    expect(without.length).toBeGreaterThan(0);
    expect(new Set(without.map((e) => e.actor.type))).toContain("system");
    expect(all.every((e) => !("email" in e.actor) || /^[^@\s]+@[^@\s]+$/.test(e.actor.email))).toBe(true);
  });

  it("covers the products, with resource types, scopes and zones that fit", () => {
    const products = new Set(all.map((e) => e.resource.product));
    for (const p of [
      "Access",
      "Gateway",
      "DNS",
      "WAF",
      "Workers",
      "Members",
      "Tunnels",
      "Devices",
      "Logpush",
      "SSL/TLS",
    ])
      expect(products).toContain(p);
    expect(all.filter((e) => (e.zone.id === "") !== (e.resource.scope !== "zones"))).toEqual([]);
    expect(all.filter((e) => e.resource.product === "DNS" && e.resource.type !== "DNS record")).toEqual([]);
  });

  it("logs methods, URIs and results consistent with the action", () => {
    const method: Record<string, string[]> = {
      create: ["POST"],
      update: ["PUT", "PATCH"],
      delete: ["DELETE"],
    };
    const settings = ["SSL setting", "Device settings", "Access organization", "Gateway configuration"];
    expect(all.filter((e) => !method[e.action.type].includes(e.raw.method))).toEqual([]);
    expect(all.filter((e) => e.action.result !== (e.raw.status_code < 400 ? "success" : "failure"))).toEqual(
      [],
    );
    const withId = all.filter((e) => e.action.type !== "create" && !settings.includes(e.resource.type));
    expect(withId.filter((e) => !e.raw.uri.endsWith(`/${e.resource.id}`))).toEqual([]);
    const accountScoped = all.filter((e) => e.resource.scope === "accounts");
    expect(accountScoped.filter((e) => !e.raw.uri.startsWith(`/accounts/${e.account.id}/`))).toEqual([]);
    expect(
      all.find((e) => e.resource.type === "Access application" && e.action.type === "update")!.raw.uri,
    ).toMatch(/^\/accounts\/[0-9a-f]{32}\/access\/apps\/[0-9a-f-]{36}$/);
    expect(new Set(all.map((e) => e.action.type))).toEqual(new Set(["create", "update", "delete"]));
  });

  it("fails about 3% of the time, mostly refused (403, 400, 409, 429), with Cloudflare error bodies", () => {
    const failures = all.filter((e) => e.action.result === "failure");
    expect(failures.length / all.length).toBeGreaterThan(0.015);
    expect(failures.length / all.length).toBeLessThan(0.05);
    const statuses = new Set(failures.map((e) => e.raw.status_code));
    for (const status of [400, 403, 409, 429]) expect(statuses).toContain(status);
    const clientErrors = failures.filter((e) => e.raw.status_code < 500).length;
    expect(clientErrors / failures.length).toBeGreaterThan(0.6);
    for (const e of failures) {
      const body = e.resource.response as { success: boolean; errors: { code: number; message: string }[] };
      expect(body.success).toBe(false);
      expect(body.errors[0].code).toBeGreaterThan(0);
      expect(body.errors[0].message).not.toBe("");
    }
    const forbidden = failures.find((e) => e.raw.status_code === 403)!;
    expect(forbidden.resource.response).toMatchObject({ errors: [{ code: expect.any(Number) }] });
  });

  it("uses IPv4 and IPv6 addresses, a few per person", () => {
    expect(share((e) => e.actor.ip_address.includes("."))).toBeGreaterThan(0.2);
    expect(share((e) => e.actor.ip_address.includes(":"))).toBeGreaterThan(0.2);
    const byPerson = new Map<string, Set<string>>();
    for (const e of all.filter((x) => x.actor.context === "dash" && x.actor.type === "user")) {
      byPerson.set(e.actor.email, (byPerson.get(e.actor.email) ?? new Set()).add(e.actor.ip_address));
    }
    for (const ips of byPerson.values()) expect(ips.size).toBeLessThanOrEqual(4);
  });

  it("reuses resources: some are created, updated several times, and deleted", () => {
    const byResource = new Map<string, string[]>();
    for (const e of [...all].reverse())
      byResource.set(e.resource.id, [...(byResource.get(e.resource.id) ?? []), e.action.type]);
    const lifecycles = [...byResource.values()].filter(
      (a) => a[0] === "create" && a.filter((t) => t === "update").length >= 2 && a.at(-1) === "delete",
    );
    expect(lifecycles.length).toBeGreaterThan(0);
  });

  it("carries request and response bodies, sometimes an array response", () => {
    expect(share((e) => Object.keys(e.resource.request).length > 0)).toBeGreaterThan(0.7);
    expect(all.some((e) => Array.isArray(e.resource.response))).toBe(true);
    expect(all.every((e) => typeof e.resource.response === "object" && e.resource.response !== null)).toBe(
      true,
    );
  });

  it("puts hostile values in about 1% of entries", () => {
    const texts = all.map((e) => JSON.stringify(e));
    const escaped = HOSTILE_VALUES.map((v) => JSON.stringify(v).slice(1, -1));
    const hostile = texts.filter((text) => escaped.some((v) => text.includes(v)));
    expect(hostile.length / all.length).toBeGreaterThan(0.005);
    expect(hostile.length / all.length).toBeLessThan(0.03);
    const found = new Set(HOSTILE_VALUES.filter((_, k) => hostile.some((text) => text.includes(escaped[k]))));
    expect(found.size).toBeGreaterThan(HOSTILE_VALUES.length / 2);
    expect([...found].some((v) => v.length > 2000)).toBe(true);
  });
});
