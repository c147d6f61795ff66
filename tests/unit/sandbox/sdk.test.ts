import Cloudflare, { PermissionDeniedError } from "cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { createSandboxFetch } from "@/lib/sandbox/handler";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { ALL_TIME, NOW } from "./helpers";

let server: SandboxServer;
let client: Cloudflare;
const account_id = SANDBOX_ACCOUNT_ID;

beforeAll(async () => {
  server = await startSandboxServer({ port: 0, size: 2500, seed: 11, now: NOW });
  client = new Cloudflare({ apiToken: SANDBOX_TOKEN, baseURL: server.url, maxRetries: 0 });
});
afterAll(() => server.close());

describe("the official SDK against the standalone sandbox", () => {
  it("listens on loopback under /client/v4", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/client/v4`);
  });

  it("auto-paginates v1 audit logs to the end: the count equals the total", async () => {
    server.faults.reset();
    let count = 0;
    const ids = new Set<string>();
    for await (const log of client.auditLogs.list({ account_id, per_page: 1000 })) {
      count++;
      ids.add(log.id!);
    }
    expect(count).toBe(2500);
    expect(ids.size).toBe(2500);
    const pages = server.faults.requests.map((r) => new URL(r.url).searchParams.get("page"));
    expect(pages).toEqual([null, "2", "3", "4"]);
    expect(server.faults.requests[0].authorization).toBe(`Bearer ${SANDBOX_TOKEN}`);
  });

  it("sends v1 filters as dotted names and pages the filtered total", async () => {
    server.faults.reset();
    const first = await client.auditLogs.list({
      account_id,
      per_page: 1000,
      action: { type: "update" },
      actor: { ip: "2a02::/16" },
    });
    // The SDK types result_info as {page, per_page}; the sandbox also sends the totals.
    const total = (first.result_info as { total_count?: number }).total_count!;
    expect(total).toBeGreaterThan(0);
    let count = 0;
    for await (const log of client.auditLogs.list({
      account_id,
      per_page: 1000,
      action: { type: "update" },
      actor: { ip: "2a02::/16" },
    })) {
      expect(log.action?.type).toBe("update");
      expect(log.actor?.ip?.startsWith("2a02:")).toBe(true);
      count++;
    }
    expect(count).toBe(total);
    const url = new URL(server.faults.requests[0].url);
    expect(url.searchParams.get("action.type")).toBe("update");
    expect(url.searchParams.get("actor.ip")).toBe("2a02::/16");
  });

  it("lists a first v2 page, with the SDK's serialization of .not filters", async () => {
    server.faults.reset();
    const page = await client.accounts.logs.audit.list({
      account_id,
      ...ALL_TIME,
      limit: 50,
      action_type: { not: ["delete", "create"] },
    });
    expect(page.result).toHaveLength(50);
    expect(page.result.every((e) => e.action?.type === "update")).toBe(true);
    const url = new URL(server.faults.requests[0].url);
    expect(url.searchParams.getAll("action_type.not")).toEqual(["delete", "create"]);
    expect(url.searchParams.get("limit")).toBe("50");
  });

  it("follows result_info.cursor with raw v2 calls, inclusion filters as repeated keys", async () => {
    type Body = {
      result: { id: string; action: { type: string } }[];
      result_info: { count: string; cursor?: string };
    };
    const query = { ...ALL_TIME, limit: 400, action_type: ["create", "delete"] };
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const body: Body = await client.get(`/accounts/${account_id}/logs/audit`, {
        query: { ...query, ...(cursor ? { cursor } : {}) },
      });
      expect(body.result_info.count).toBe(String(body.result.length));
      for (const e of body.result) {
        expect(["create", "delete"]).toContain(e.action.type);
        seen.push(e.id);
      }
      cursor = body.result_info.cursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThan(400);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("lists product categories", async () => {
    const categories = [];
    for await (const c of client.accounts.logs.audit.productCategories({ account_id })) categories.push(c);
    expect(categories.map((c) => c.value)).toContain("zerotrust");
  });

  it("raises PermissionDeniedError (403, code 10000) for a wrong token or a Global API key", async () => {
    const wrong = new Cloudflare({ apiToken: "wrong", baseURL: server.url, maxRetries: 0 });
    const error = await wrong.auditLogs.list({ account_id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).errors).toEqual([
      { code: 10000, message: "Authentication error" },
    ]);
    const keyed = new Cloudflare({
      apiKey: SANDBOX_TOKEN,
      apiEmail: "alice.moreau@acme.com",
      baseURL: server.url,
      maxRetries: 0,
    });
    await expect(keyed.auditLogs.list({ account_id })).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("works in process with the sandbox as the SDK's fetch", async () => {
    const inProcess = new Cloudflare({
      apiToken: SANDBOX_TOKEN,
      fetch: createSandboxFetch({ size: 500, now: NOW }),
      maxRetries: 0,
    });
    let count = 0;
    for await (const log of inProcess.auditLogs.list({ account_id, per_page: 200 })) count += log.id ? 1 : 0;
    expect(count).toBe(500);
  });
});
