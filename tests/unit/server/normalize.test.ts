import { describe, expect, it } from "vitest";
import {
  InvalidUpstreamBody,
  normalizeV1Entry,
  normalizeV2Entry,
  parseV1Page,
  parseV2Page,
} from "@/lib/server/normalize";
import { v2Body, v2Entry } from "./fake-upstream";
import { V1_ENTRIES, V1_OWNER, V1_USER } from "./v1-entries";

describe("normalizeV2Entry", () => {
  it("maps every v2 field onto the row model and keeps the upstream object in raw", () => {
    const entry = v2Entry("e1");
    expect(normalizeV2Entry(entry)).toEqual({
      id: "e1",
      time: "2026-11-01T10:00:00Z",
      actionType: "create",
      actionResult: "success",
      actionDescription: "Add Member",
      actionInfo: null,
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
      // Derived: no name in the bodies, so the resource's ID; a success has no failure reason.
      resourceName: "r1",
      failureReason: null,
      resourceScope: "accounts",
      zoneId: "z1",
      zoneName: "example.com",
      accountId: "0123456789abcdef0123456789abcdef",
      accountName: "Example",
      ownerId: null,
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
    expect(row.resourceScope).toBe("zones");
    expect(normalizeV2Entry({ resource: { scope: { region: "eu" } } }).resourceScope).toBe('{"region":"eu"}');
    expect(normalizeV2Entry({ resource: { scope: "memberships" } }).resourceScope).toBe("memberships");
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
      accountId: null,
      ownerId: "023e105f4ecef8ad9ca31a8372d0c353",
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

  it("reads the real v1 forms: info, system actor, microseconds, empty interface, value texts", () => {
    const [roll, tls, del, setting, purge, login] = V1_ENTRIES.map(normalizeV1Entry);
    expect(roll).toMatchObject({
      actionType: "token_roll",
      actionInfo: V1_ENTRIES[0].action.info,
      interface: "",
      ownerId: V1_USER,
      accountId: null,
      oldValue: null,
      newValue: null,
    });
    expect(tls).toMatchObject({
      actorType: "system",
      actorId: "1",
      actorEmail: null,
      actorIp: null,
      time: "2026-11-20T08:00:41.503227Z",
      newValue: V1_ENTRIES[1].newValueJson,
      oldValue: null,
      ownerId: V1_OWNER,
    });
    // "null" is no value; the decoded old record wins over the text.
    expect(del).toMatchObject({ newValue: null, oldValue: V1_ENTRIES[2].oldValueJson, interface: "UI" });
    // JSON text is decoded: a setting's "\"low\"" is the string low, not an escaped string.
    expect(setting).toMatchObject({ newValue: "low", oldValue: "high" });
    expect(purge.newValue).toEqual({
      files: ["https://acme.example/app.css", 'https://acme.example/a,b "q".js'],
    });
    expect(purge.actionResult).toBe("failure");
    expect(login).toMatchObject({ actorType: "admin", metadata: {}, actionInfo: null });
    // Text that is not JSON stays as it came.
    expect(normalizeV1Entry({ ...entry, newValue: "plain words" }).newValue).toBe("plain words");
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

  it("reads result_info.cursors.after (the SDK's place) when result_info.cursor is absent", () => {
    const after = (info: unknown) =>
      parseV2Page({ success: true, result: [v2Entry("a")], result_info: info }).cursor;
    expect(after({ count: 1, cursors: { after: "next2" } })).toBe("next2");
    expect(after({ count: "1", cursor: "c1", cursors: { after: "other" } })).toBe("c1");
    expect(after({ count: 1, cursors: { after: "" } })).toBeNull();
    expect(after({ count: 1, cursors: { before: "b" } })).toBeNull();
  });

  it("accepts count as a number or a string", () => {
    for (const count of [1, "1"])
      expect(
        parseV2Page({ success: true, result: [v2Entry("a")], result_info: { count } }).data,
      ).toHaveLength(1);
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
