import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as manifestRoute } from "@/app/api/logs/export/[id]/manifest/route";
import { GET as exportRoute } from "@/app/api/logs/export/route";
import { GET as categories } from "@/app/api/logs/product-categories/route";
import { GET as logs } from "@/app/api/logs/route";
import { GET as stats } from "@/app/api/logs/stats/route";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { resetSignInTrail } from "@/lib/server/audit-trail";
import { ENV_KEYS } from "@/lib/server/config";
import { resetGateways } from "@/lib/server/gateway";
import { resetValueStore } from "@/lib/server/manifest-store";
import { AUD, createSigningKey, startAccessIssuer, type AccessIssuer } from "../auth/fixtures";

const A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const UNKNOWN = "cccccccccccccccccccccccccccccccc";
const TOKEN_A = "token-of-account-a";
const TOKEN_B = "token-of-account-b";
const NOW = "2026-11-20T12:00:00Z";
const WINDOW = "since=2026-11-13T00:00:00Z&before=2026-11-20T00:00:00Z";

let sandbox: SandboxServer;
let issuer: AccessIssuer;
const dir = mkdtempSync(join(tmpdir(), "accounts-"));
let files = 0;

beforeAll(async () => {
  sandbox = await startSandboxServer({
    port: 0,
    enableFaults: true,
    size: 2000,
    seed: 3,
    now: new Date(NOW),
    rateLimit: null,
    accounts: [
      { id: A, token: TOKEN_A },
      { id: B, token: TOKEN_B },
    ],
  });
  issuer = await startAccessIssuer([await createSigningKey("k1")]);
});
afterAll(async () => {
  await sandbox.close();
  await issuer.close();
});
beforeEach(() => {
  resetSignInTrail();
  resetValueStore();
  sandbox.faults.reset();
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Exactly this environment for the server, and nothing cached under the previous one. */
function setEnv(env: Record<string, string>) {
  resetGateways();
  for (const key of ENV_KEYS) vi.stubEnv(key, env[key] ?? "");
  vi.stubEnv("SANDBOX_NOW", NOW);
  vi.stubEnv("SANDBOX_CLOCK", "frozen");
  vi.stubEnv("SANDBOX_SIZE", "2000");
}

/** Two accounts from a file, each with its own token, read from the standalone sandbox. */
function withAccountsFile(entries: object[], env: Record<string, string> = {}) {
  const path = join(dir, `accounts-${++files}.json`);
  writeFileSync(path, JSON.stringify(entries));
  setEnv({ CLOUDFLARE_ACCOUNTS_FILE: path, CLOUDFLARE_BASE_URL: sandbox.url, AUTH_MODE: "none", ...env });
}

const TWO = [
  { id: A, name: "Production", token: TOKEN_A },
  { id: B, name: "Staging", token: TOKEN_B },
];

const get = (route: (r: Request) => Promise<Response>, path: string, headers: Record<string, string> = {}) =>
  route(new Request(`http://localhost${path}`, { headers }));

interface Page {
  data: { id: string; accountId: string | null }[];
}
async function rows(query: string, headers: Record<string, string> = {}) {
  const response = await get(logs, `/api/logs?${query}`, headers);
  expect(response.status).toBe(200);
  return ((await response.json()) as Page).data;
}

describe("two accounts from a file, each with its own token", () => {
  it("serves each account its own entries; without account=, the first", async () => {
    withAccountsFile(TWO);
    const first = await rows(WINDOW);
    const a = await rows(`${WINDOW}&account=${A}`);
    const b = await rows(`${WINDOW}&account=${B.toUpperCase()}`);
    expect(first.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a).toEqual(first);
    expect(new Set(first.map((r) => r.accountId))).toEqual(new Set([A]));
    expect(new Set(b.map((r) => r.accountId))).toEqual(new Set([B]));
    // Each request went upstream with its account's token (the sandbox refuses any other).
    const paths = sandbox.faults.requests.map((r) => new URL(r.url).pathname);
    expect(paths.some((p) => p.includes(`/accounts/${B}/`))).toBe(true);
  });

  it("keeps the activity overview and the product categories per account", async () => {
    withAccountsFile(TWO);
    const count = async (account: string) => {
      const response = await get(stats, `/api/logs/stats?${WINDOW}&account=${account}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { totals: { entries: number } }).totals.entries;
    };
    const [a, b] = [await count(A), await count(B)];
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a).not.toBe(b);
    const before = sandbox.faults.hits;
    expect((await get(categories, `/api/logs/product-categories?account=${A}`)).status).toBe(200);
    expect((await get(categories, `/api/logs/product-categories?account=${B}`)).status).toBe(200);
    // Not answered for B from A's cache: each account asked once.
    expect(sandbox.faults.hits - before).toBe(2);
  });

  it("answers an unknown or malformed account with a 400 naming account, before any upstream call", async () => {
    withAccountsFile(TWO);
    const before = sandbox.faults.hits;
    for (const query of [`account=${UNKNOWN}`, "account=prod", `account=${A}&account=${B}`]) {
      const response = await get(logs, `/api/logs?${WINDOW}&${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = (await response.json()) as { errors: { parameter: string }[] };
      expect(body.errors.map((e) => e.parameter)).toEqual(["account"]);
    }
    expect(sandbox.faults.hits).toBe(before);
  });

  it("gives each token its own budget", async () => {
    withAccountsFile(TWO);
    const used = async (query: string) => {
      const body = (await (await get(health, `/api/health${query}`)).json()) as { budget: { used: number } };
      return body.budget.used;
    };
    // Health's own probe reads the first account (and is remembered for a while): counted before.
    const first = await used("");
    await rows(`${WINDOW}&account=${B}`);
    expect(await used(`?account=${B}`)).toBeGreaterThanOrEqual(1);
    expect(await used("")).toBe(first);
  });
});

describe("accounts sharing one token", () => {
  it("share its budget", async () => {
    setEnv({
      CLOUDFLARE_API_TOKEN: TOKEN_A,
      CLOUDFLARE_ACCOUNT_ID: `${A},${UNKNOWN}`,
      CLOUDFLARE_BASE_URL: sandbox.url,
      AUTH_MODE: "none",
    });
    await rows(WINDOW);
    const body = (await (await get(health, `/api/health?account=${UNKNOWN}`)).json()) as {
      budget: { used: number };
    };
    expect(body.budget.used).toBeGreaterThanOrEqual(1);
  });
});

describe("the sandbox with several accounts", () => {
  it("gives each account rows of its own", async () => {
    setEnv({ CLOUDFLARE_ACCOUNT_ID: `${A},${B}` });
    const a = await rows(WINDOW);
    const b = await rows(`${WINDOW}&account=${B}`);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(b.map((r) => r.id)).not.toEqual(a.map((r) => r.id));
    expect(new Set(b.map((r) => r.accountId))).toEqual(new Set([B]));
  });
});

describe("per-account allow-lists under Access", () => {
  const access = () =>
    withAccountsFile(
      [
        { id: A, name: "Production", token: TOKEN_A, allowedEmails: ["alice@example.com"] },
        { id: B, name: "Staging", token: TOKEN_B, allowedEmails: ["bob@example.com", "alice@example.com"] },
      ],
      { AUTH_MODE: "access", ACCESS_TEAM_DOMAIN: issuer.origin, ACCESS_AUD: AUD },
    );
  const as = async (email: string) => ({ "cf-access-jwt-assertion": await issuer.sign({ email }) });

  it("shows a viewer only the accounts listed for them, the first of those by default", async () => {
    access();
    const bob = await as("bob@example.com");
    expect(new Set((await rows(WINDOW, bob)).map((r) => r.accountId))).toEqual(new Set([B]));
    const alice = await as("alice@example.com");
    expect(new Set((await rows(WINDOW, alice)).map((r) => r.accountId))).toEqual(new Set([A]));
    expect(new Set((await rows(`${WINDOW}&account=${B}`, alice)).map((r) => r.accountId))).toEqual(
      new Set([B]),
    );
  });

  it("answers an account outside the viewer's list with a 403 that says nothing about it", async () => {
    access();
    const bob = await as("bob@example.com");
    const before = sandbox.faults.hits;
    const response = await get(logs, `/api/logs?${WINDOW}&account=${A}`, bob);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const text = await response.text();
    expect(text).not.toContain(A);
    expect(text).not.toContain("Production");
    expect(JSON.parse(text)).toMatchObject({ type: "/problems/forbidden", title: "Not allowed" });
    expect(sandbox.faults.hits).toBe(before);
    // Readiness answers whatever the query; an account Bob may not read gets no budget.
    const ready = await get(health, `/api/health?account=${A}`, bob);
    expect(ready.status).toBe(200);
    expect(await ready.json()).not.toHaveProperty("budget");
    expect(await (await get(health, `/api/health?account=${B}`, bob)).json()).toHaveProperty("budget");
    // Someone on no list at all is refused at sign-in.
    const eve = await as("eve@example.com");
    expect((await get(logs, `/api/logs?${WINDOW}`, eve)).status).toBe(403);
  });
});

describe("export manifests", () => {
  it("carry the account, and are found in that account only", async () => {
    withAccountsFile(TWO);
    const response = await get(exportRoute, `/api/logs/export?${WINDOW}&format=ndjson&account=${B}`);
    expect(response.status).toBe(200);
    const id = response.headers.get("x-export-id")!;
    const file = await response.text();
    const read = (query: string) =>
      manifestRoute(new Request(`http://localhost/api/logs/export/${id}/manifest${query}`), {
        params: Promise.resolve({ id }),
      });
    const manifest = await read(`?account=${B}`);
    expect(manifest.status).toBe(200);
    expect(await manifest.json()).toMatchObject({ account: B, rows: file.split("\n").length - 1 });
    expect((await read("")).status).toBe(404);
  });
});
