import { describe, expect, it } from "vitest";
import {
  InvalidUpstreamBody,
  normalizeV1Entry,
  normalizeV2Entry,
  parseV1Page,
  parseV2Page,
} from "@/lib/server/normalize";
import { v2Body, v2Entry } from "./fake-upstream";

describe("normalizeV2Entry", () => {
  it("maps every v2 field onto the row model and keeps the upstream object in raw", () => {
    const entry = v2Entry("e1");
    expect(normalizeV2Entry(entry)).toEqual({
      id: "e1",
      time: "2026-11-01T10:00:00Z",
      actionType: "create",
      actionResult: "success",
      actionDescription: "Add Member",
      actorEmail: "alice@example.com",
      actorIp: "198.51.100.7",
      actorType: "user",
      actorContext: "dash",
      actorId: "u1",
      actorTokenId: null,
      actorTokenName: null,
      resourceType: "member",
      resourceProduct: "members",
      resourceId: "r1",
      resourceScope: "accounts",
      zoneId: "z1",
      zoneName: "example.com",
      accountId: "0123456789abcdef0123456789abcdef",
      accountName: "Example",
      rayId: "8e9b1c60ef9e1c9a",
      method: "POST",
      statusCode: 200,
      uri: "/accounts/x/members",
      userAgent: "UA",
      interface: null,
      metadata: null,
      oldValue: null,
      newValue: null,
      request: {},
      response: {},
      raw: entry,
    });
  });

  it("keeps unknown enum values and new fields, and tolerates odd shapes", () => {
    const entry = {
      id: "e2",
      action: { result: "partial", time: "2026-11-01T10:00:00Z", type: "login" },
      actor: { context: "passkey", type: "robot", email: 42 },
      raw: { status_code: "404" },
      resource: { scope: { type: "zones", id: "z" }, response: [1, 2], request: "text" },
      zone: "not an object",
      brand_new: { nested: true },
    };
    const row = normalizeV2Entry(entry);
    expect(row.actionResult).toBe("partial");
    expect(row.actionType).toBe("login");
    expect(row.actorContext).toBe("passkey");
    expect(row.actorType).toBe("robot");
    expect(row.actorEmail).toBe("42");
    expect(row.statusCode).toBe(404);
    expect(row.resourceScope).toBe('{"type":"zones","id":"z"}');
    expect(row.response).toEqual([1, 2]);
    expect(row.request).toBe("text");
    expect(row.zoneName).toBeNull();
    expect(row.accountId).toBeNull();
    expect(row.raw).toBe(entry);
  });

  it("turns missing fields into null (or an empty string for the required text fields)", () => {
    const row = normalizeV2Entry({});
    expect(row.id).toBe("");
    expect(row.time).toBe("");
    expect(row.actionResult).toBe("");
    expect(row.actorEmail).toBeNull();
    expect(row.statusCode).toBeNull();
    expect(row.resourceScope).toBeNull();
    expect(normalizeV2Entry({ resource: { scope: {} } }).resourceScope).toBeNull();
  });

  it("refuses an entry that is not an object", () => {
    for (const bad of [null, 3, "x", [1]]) expect(() => normalizeV2Entry(bad)).toThrow(InvalidUpstreamBody);
  });
});

describe("normalizeV1Entry", () => {
  const entry = {
    id: "d5b0f326-1232-4452-8858-1089bd7168ef",
    action: { result: true, type: "change_setting" },
    actor: { id: "f6b5", email: "michelle@example.com", ip: "198.41.129.166", type: "Cloudflare" },
    interface: "API",
    metadata: { name: "security_level", zone_name: "example.com" },
    newValue: "low",
    oldValue: "high",
    owner: { id: "023e105f4ecef8ad9ca31a8372d0c353" },
    resource: { id: "023e", type: "zone" },
    when: "2017-04-26T17:31:07Z",
  };

  it("maps the v1 shape: boolean result, when, actor.ip, owner, interface, metadata and values", () => {
    const row = normalizeV1Entry(entry);
    expect(row).toMatchObject({
      id: entry.id,
      time: "2017-04-26T17:31:07Z",
      actionType: "change_setting",
      actionResult: "success",
      actorEmail: "michelle@example.com",
      actorIp: "198.41.129.166",
      actorType: "Cloudflare",
      actorId: "f6b5",
      accountId: "023e105f4ecef8ad9ca31a8372d0c353",
      resourceId: "023e",
      resourceType: "zone",
      zoneName: "example.com",
      interface: "API",
      metadata: entry.metadata,
      oldValue: "high",
      newValue: "low",
      actorContext: null,
      statusCode: null,
      request: null,
    });
    expect(normalizeV1Entry({ ...entry, action: { result: false } }).actionResult).toBe("failure");
  });

  it("prefers the structured oldValueJson/newValueJson", () => {
    const row = normalizeV1Entry({ ...entry, oldValueJson: { a: 1 }, newValueJson: { a: 2 } });
    expect(row.oldValue).toEqual({ a: 1 });
    expect(row.newValue).toEqual({ a: 2 });
  });
});

describe("page envelopes", () => {
  it("reads the v2 cursor from result_info.cursor and treats absent or empty as the end", () => {
    expect(parseV2Page(v2Body([v2Entry("a")], "next")).cursor).toBe("next");
    expect(parseV2Page(v2Body([v2Entry("a")], "")).cursor).toBeNull();
    expect(parseV2Page(v2Body([v2Entry("a")])).cursor).toBeNull();
    expect(parseV2Page({ success: true, result: [] }).data).toEqual([]);
    expect(parseV2Page({ ...v2Body([]), result_info: { count: 0, cursor: null } }).cursor).toBeNull();
  });

  it("refuses envelopes that are not successful audit-log pages", () => {
    const bad: unknown[] = [
      null,
      [],
      "x",
      { success: false, errors: [{ message: "boom" }], result: [] },
      { result: [] },
      { success: true, result: null },
      { success: true, result: {} },
      { success: true, result: [], result_info: "x" },
      { success: true, result: [], result_info: { cursor: 5 } },
      { success: true, result: [v2Entry("a"), 7] },
    ];
    for (const body of bad)
      expect(() => parseV2Page(body), JSON.stringify(body)).toThrow(InvalidUpstreamBody);
    expect(() => parseV1Page({ success: true, result: ["x"] })).toThrow(InvalidUpstreamBody);
  });

  it("reads v1 total_count when it is a number or numeric string", () => {
    expect(parseV1Page({ success: true, result: [], result_info: { total_count: 7 } }).totalCount).toBe(7);
    expect(parseV1Page({ success: true, result: [], result_info: { total_count: "8" } }).totalCount).toBe(8);
    expect(parseV1Page({ success: true, result: [] }).totalCount).toBeNull();
  });
});
