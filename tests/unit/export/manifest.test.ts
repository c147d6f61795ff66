import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as manifestRoute } from "@/app/api/logs/export/[id]/manifest/route";
import { GET as checkRoute } from "@/app/api/logs/export/check/route";
import { GET as exportRoute } from "@/app/api/logs/export/route";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { activeExports } from "@/lib/server/export-limits";
import type { ExportManifest } from "@/lib/server/export-manifest";
import { resetValueStore } from "@/lib/server/manifest-store";
import { closeRedis, getRedis } from "@/lib/server/redis";
import { startRedis, type RedisService } from "../../support/services";
import { AUD, createSigningKey, startAccessIssuer, type AccessIssuer } from "../auth/fixtures";

const NOW = new Date("2026-11-20T12:00:00Z");
const SIZE = 3000;
const WINDOW = "since=2026-07-01T00:00:00Z&before=2026-11-21T00:00:00Z";

let sandbox: SandboxServer;
let issuer: AccessIssuer;

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, enableFaults: true, size: SIZE, seed: 7, now: NOW });
  issuer = await startAccessIssuer([await createSigningKey("k1")]);
});
afterAll(async () => {
  await sandbox.close();
  await issuer.close();
});

function useCloudflareMode(env: Record<string, string> = {}) {
  for (const key of ["CLOUDFLARE_API_TOKEN_FILE", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "SANDBOX_NOW"])
    vi.stubEnv(key, undefined);
  const settings: Record<string, string> = {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: sandbox.url,
    AUDIT_LOGS_API: "v2",
    AUTH_MODE: "none",
    ...env,
  };
  for (const [key, value] of Object.entries(settings)) vi.stubEnv(key, value);
}

const useAccess = () =>
  useCloudflareMode({
    AUTH_MODE: "access",
    ACCESS_TEAM_DOMAIN: issuer.origin,
    ACCESS_AUD: AUD,
    ACCESS_ALLOW_ANY_EMAIL: "true",
  });

beforeEach(() => {
  sandbox.faults.reset();
  resetValueStore();
  useCloudflareMode();
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await vi.waitFor(() => expect(activeExports()).toBe(0));
});

const as = (token?: string): RequestInit | undefined =>
  token ? { headers: { "cf-access-jwt-assertion": token } } : undefined;
const callExport = (query: string, token?: string) =>
  exportRoute(new Request(`http://localhost/api/logs/export?${query}`, as(token)));
const callCheck = (query: string, token?: string) =>
  checkRoute(new Request(`http://localhost/api/logs/export/check?${query}`, as(token)));
const callManifest = (id: string, token?: string) =>
  manifestRoute(new Request(`http://localhost/api/logs/export/${id}/manifest`, as(token)), {
    params: Promise.resolve({ id }),
  });

async function manifestOf(id: string, token?: string): Promise<ExportManifest> {
  const response = await callManifest(id, token);
  expect(response.status).toBe(200);
  return (await response.json()) as ExportManifest;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const lineCount = (bytes: Uint8Array) => bytes.filter((b) => b === 10).length;

describe("export manifests", () => {
  it("a CSV export's manifest matches the file's SHA-256, size, records and line count", async () => {
    const response = await callExport(`${WINDOW}&action_type=update&format=csv&columns=id,time,actorEmail`);
    expect(response.status).toBe(200);
    const id = response.headers.get("x-export-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const body = new Uint8Array(await response.arrayBuffer());
    const manifest = await manifestOf(id);
    const records: string[][] = parse(new TextDecoder().decode(body), { bom: true });
    expect(records.length - 1).toBeGreaterThan(1000);
    expect(manifest).toMatchObject({
      id,
      account: SANDBOX_ACCOUNT_ID,
      api: "v2",
      query:
        "since=2026-07-01T00%3A00%3A00Z&before=2026-11-21T00%3A00%3A00Z&direction=desc&action_type=update",
      window: { since: "2026-07-01T00:00:00.000Z", before: "2026-11-21T00:00:00.000Z" },
      format: "csv",
      columns: ["id", "time", "actorEmail"],
      rows: records.length - 1,
      lines: lineCount(body),
      bytes: body.byteLength,
      sha256: sha256(body),
      complete: true,
      stoppedBy: null,
      viewer: "anonymous",
    });
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(manifest.finishedAt)).toBeGreaterThanOrEqual(Date.parse(manifest.startedAt));
  });

  it("an NDJSON export's manifest matches the file's SHA-256 and its rows the line count", async () => {
    const response = await callExport(`${WINDOW}&format=ndjson`);
    const body = new Uint8Array(await response.arrayBuffer());
    const manifest = await manifestOf(response.headers.get("x-export-id")!);
    expect(manifest.sha256).toBe(sha256(body));
    expect(manifest.rows).toBe(SIZE);
    expect(manifest.rows).toBe(lineCount(body));
    expect(manifest).toMatchObject({ format: "ndjson", columns: null, complete: true });
  });

  it("an export cut short by an upstream fault has complete: false", async () => {
    const response = await callExport(`${WINDOW}&format=ndjson`);
    const id = response.headers.get("x-export-id")!;
    const reader = response.body!.getReader();
    const received: Uint8Array[] = [];
    received.push((await reader.read()).value!);
    sandbox.faults.set({ kind: "status", status: 500 });
    await expect(
      (async () => {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return;
          received.push(chunk.value);
        }
      })(),
    ).rejects.toThrow(/export failed/);
    const manifest = await manifestOf(id);
    const body = Buffer.concat(received);
    expect(manifest).toMatchObject({ complete: false, stoppedBy: "failed" });
    expect(manifest.rows).toBeLessThan(SIZE);
    expect(manifest.rows).toBe(lineCount(body));
    expect(manifest.sha256).toBe(sha256(body));
  });

  it("while the file is still being written, the manifest route answers 409, never a manifest", async () => {
    const response = await callExport(`${WINDOW}&format=ndjson`);
    const id = response.headers.get("x-export-id")!;
    const running = await callManifest(id);
    expect(running.status).toBe(409);
    expect(((await running.json()) as { type: string }).type).toBe("/problems/export-running");
    // Cancelled part-way through a page: the manifest counts and hashes what was sent, no more.
    const reader = response.body!.getReader();
    const received = [(await reader.read()).value!, (await reader.read()).value!];
    await reader.cancel();
    const body = Buffer.concat(received);
    const manifest = await manifestOf(id);
    expect(manifest).toMatchObject({ complete: false, stoppedBy: "cancelled", bytes: body.byteLength });
    expect(manifest.rows).toBeGreaterThan(0);
    expect(manifest.rows).toBe(lineCount(body));
    expect(manifest.sha256).toBe(sha256(body));
  });

  it("the check hands out the id the download then uses, once", async () => {
    const query = `${WINDOW}&format=csv`;
    const check = (await (await callCheck(query)).json()) as { exportId: string };
    const response = await callExport(`${query}&export_id=${check.exportId}`);
    expect(response.headers.get("x-export-id")).toBe(check.exportId);
    await response.arrayBuffer();
    expect((await manifestOf(check.exportId)).complete).toBe(true);

    const again = await callExport(`${query}&export_id=${check.exportId}`);
    expect(again.status).toBe(400);
    const problem = (await again.json()) as { errors: { parameter: string }[] };
    expect(problem.errors[0].parameter).toBe("export_id");
  });

  it("an export id nobody handed out is refused with 400 before any upstream call", async () => {
    const response = await callExport(`${WINDOW}&format=csv&export_id=${crypto.randomUUID()}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { parameter: string }[] }).errors[0].parameter).toBe(
      "export_id",
    );
    expect(sandbox.faults.hits).toBe(0);
  });

  it("a malformed id is a 400 naming id; an unknown one is 404", async () => {
    const bad = await callManifest("not-an-id");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect(((await bad.json()) as { errors: { parameter: string }[] }).errors[0].parameter).toBe("id");
    expect((await callManifest(crypto.randomUUID())).status).toBe(404);
  });
});

describe("export manifests and sign-in", () => {
  it("the manifest route requires sign-in, and one viewer cannot read another's manifest (404)", async () => {
    useAccess();
    const alice = await issuer.sign({ email: "alice@example.com" });
    const bob = await issuer.sign({ email: "bob@example.com" });
    const response = await callExport(`${WINDOW}&format=ndjson`, alice);
    const id = response.headers.get("x-export-id")!;
    await response.arrayBuffer();

    expect((await callManifest(id)).status).toBe(401);
    expect((await callManifest(id, bob)).status).toBe(404);
    expect((await manifestOf(id, alice)).viewer).toBe("alice@example.com");
  });

  it("an id handed out to one viewer cannot be used by another", async () => {
    useAccess();
    const alice = await issuer.sign({ email: "alice@example.com" });
    const bob = await issuer.sign({ email: "bob@example.com" });
    const query = `${WINDOW}&format=csv`;
    const { exportId } = (await (await callCheck(query, alice)).json()) as { exportId: string };
    const stolen = await callExport(`${query}&export_id=${exportId}`, bob);
    expect(stolen.status).toBe(400);
    const own = await callExport(`${query}&export_id=${exportId}`, alice);
    expect(own.status).toBe(200);
    await own.arrayBuffer();
    expect((await manifestOf(exportId, alice)).viewer).toBe("alice@example.com");
  });
});

describe("export manifests with REDIS_URL", () => {
  let redis: RedisService;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await closeRedis();
    await redis.stop();
  });

  it("keeps the manifest in Redis for 24 h, where every instance reads it", async () => {
    useCloudflareMode({ REDIS_URL: redis.url });
    const client = getRedis({ redisUrl: redis.url })!;
    await vi.waitFor(() => expect(client.status).toBe("ready"));
    const response = await callExport(`${WINDOW}&format=ndjson`);
    const id = response.headers.get("x-export-id")!;
    const body = new Uint8Array(await response.arrayBuffer());
    const key = `audit-log-explorer:export-manifest:${id}`;
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(23 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
    // A fresh process (empty memory) still finds it.
    resetValueStore();
    expect((await manifestOf(id)).sha256).toBe(sha256(body));
  });
});
