import { describe, expect, it } from "vitest";
import { SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { ACCOUNT, ALL_TIME, AUTH, call, makeHandler, v1Path, v2Path } from "./helpers";

const handler = makeHandler({ size: 200 });
const AUTH_ERROR = {
  success: false,
  errors: [{ code: 10000, message: "Authentication error" }],
  messages: [],
  result: null,
};

describe("authentication", () => {
  it.each([
    ["no credentials", {}],
    ["a wrong bearer token", { authorization: "Bearer nope" }],
    ["the token without the Bearer scheme", { authorization: SANDBOX_TOKEN }],
    [
      "a Global API key instead of a token",
      { "x-auth-key": SANDBOX_TOKEN, "x-auth-email": "alice.moreau@acme.com" },
    ],
  ])("answers 403 code 10000 to %s", async (_, headers) => {
    for (const path of [v2Path, v1Path, `${v2Path}/product_categories`]) {
      const reply = await call(handler, path, ALL_TIME, { headers });
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual(AUTH_ERROR);
    }
  });

  it("accepts a configured token and rejects the default one then", async () => {
    const custom = makeHandler({ size: 200, token: "s3cret-token" });
    expect(
      (await call(custom, v2Path, ALL_TIME, { headers: { authorization: "Bearer s3cret-token" } })).status,
    ).toBe(200);
    expect((await call(custom, v2Path, ALL_TIME)).status).toBe(403);
  });
});

describe("routing", () => {
  const noRoute = (path: string) => ({
    success: false,
    errors: [
      {
        code: 7003,
        message: `Could not route to /client/v4${path}, perhaps your object identifier is invalid?`,
      },
      { code: 7000, message: "No route for that URI" },
    ],
    messages: [],
    result: null,
  });

  it.each([
    "/accounts/0123456789abcdef0123456789abcdef/logs/audit",
    "/accounts/0123456789abcdef0123456789abcdef/audit_logs",
    "/accounts/not-an-id/logs/audit/product_categories",
  ])("answers 400 with 7003/7000 for the foreign account in %s", async (path) => {
    const reply = await call(handler, path, ALL_TIME);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(noRoute(path));
  });

  it.each([
    `/accounts/${ACCOUNT}/logs`,
    `/accounts/${ACCOUNT}/logs/audit/x/y`,
    "/zones",
    "/user/audit_logs",
    "/",
  ])("answers 400 with 7003/7000 for the unknown path %s", async (path) => {
    const reply = await call(handler, path, ALL_TIME);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(noRoute(path));
  });

  it("answers 405 in Cloudflare's shape to other methods", async () => {
    for (const method of ["POST", "DELETE", "PUT"]) {
      const reply = await call(handler, v2Path, ALL_TIME, { method, headers: AUTH });
      expect(reply.status).toBe(405);
      expect(reply.body.success).toBe(false);
      expect(reply.body.errors[0].message).toContain(method);
      expect(reply.headers.get("allow")).toBe("GET");
    }
  });

  it("serves the same routes with a trailing slash", async () => {
    expect((await call(handler, `${v2Path}/`, ALL_TIME)).status).toBe(200);
  });
});

describe("v2 parameter validation", () => {
  it.each([
    ["since", { before: ALL_TIME.before }],
    ["before", { since: ALL_TIME.since }],
    ["since", { since: "yesterday", before: ALL_TIME.before }],
    ["since", { since: "2026-02-30", before: ALL_TIME.before }],
    ["before", { since: ALL_TIME.since, before: "2026-11-01T25:00:00Z" }],
    ["before", { since: ALL_TIME.since, before: "2026-11-01T10:00:00" }],
    ["before", { since: "2026-10-02", before: "2026-10-01" }],
    ["before", { since: "2026-10-01", before: "2026-10-01" }],
    ["direction", { ...ALL_TIME, direction: "up" }],
    ["limit", { ...ALL_TIME, limit: 0 }],
    ["limit", { ...ALL_TIME, limit: 5000 }],
    ["action_result", { ...ALL_TIME, action_result: "ok" }],
    ["action_type.not", { ...ALL_TIME, "action_type.not": "add" }],
    ["actor_type", { ...ALL_TIME, actor_type: "robot" }],
    ["actor_context", { ...ALL_TIME, actor_context: "cli" }],
    ["resource_scope", { ...ALL_TIME, resource_scope: "zone" }],
    ["product_category", { ...ALL_TIME, product_category: "nope" }],
    ["raw_status_code", { ...ALL_TIME, raw_status_code: "2xx" }],
    ["raw_status_code.not", { ...ALL_TIME, "raw_status_code.not": "200.5" }],
    ["cursor", { ...ALL_TIME, cursor: "%%%" }],
  ])("answers 400 in v2's shape naming %s", async (name, params) => {
    const reply = await call(handler, v2Path, params);
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body)).toEqual(["success", "errors", "messages"]);
    expect(reply.body.success).toBe(false);
    expect(reply.body.messages).toEqual([]);
    expect(reply.body.errors.length).toBeGreaterThan(0);
    for (const error of reply.body.errors) expect(Object.keys(error)).toEqual(["message"]);
    expect(reply.body.errors.map((e: { message: string }) => e.message).join(" ")).toContain(name);
  });

  it("reports every problem of a request at once", async () => {
    const reply = await call(handler, v2Path, { since: "x", limit: 0, direction: "sideways" });
    const text = reply.body.errors.map((e: { message: string }) => e.message).join("\n");
    for (const name of ["since", "before", "limit", "direction"]) expect(text).toContain(name);
  });

  it("ignores parameters it does not know", async () => {
    expect((await call(handler, v2Path, { ...ALL_TIME, colour: "blue" })).status).toBe(200);
  });
});
