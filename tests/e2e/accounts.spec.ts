import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request as httpRequest, type APIRequestContext, type Browser } from "@playwright/test";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { expect, firstRowIds, param, test, waitForRows } from "./explorer-helpers";
import { E2E_ACCESS_AUD, startE2eAccessIssuer, type E2eAccessIssuer } from "./support/access-issuer";
import { e2ePort, type AppServer } from "./support/app-server";
import { startStandaloneServer } from "./support/standalone-server";

/**
 * Two Cloudflare accounts from an accounts file, each with its own token, served by the standalone server
 * (as the Docker image runs it) from the standalone sandbox, which accepts each token for its own account
 * only. Access sign-in on loopback: Alice may read both accounts, Bob only Staging.
 */
const PRODUCTION = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const STAGING = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const UNKNOWN = "cccccccccccccccccccccccccccccccc";
const ALICE = "alice@example.com";
const BOB = "bob@example.com";

let upstream: SandboxServer;
let issuer: E2eAccessIssuer;
let app: AppServer;

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  upstream = await startSandboxServer({
    port: 0,
    size: 20_000,
    seed: 5,
    now: new Date(),
    enableFaults: true,
    rateLimit: null,
    accounts: [
      { id: PRODUCTION, token: "production-token" },
      { id: STAGING, token: "staging-token" },
    ],
  });
  issuer = await startE2eAccessIssuer();
  const file = join(mkdtempSync(join(tmpdir(), "e2e-accounts-")), "accounts.json");
  writeFileSync(
    file,
    JSON.stringify([
      { id: PRODUCTION, name: "Production", token: "production-token", allowedEmails: [ALICE] },
      { id: STAGING, name: "Staging", token: "staging-token", allowedEmails: [ALICE, BOB] },
    ]),
  );
  app = await startStandaloneServer(e2ePort(80), {
    CLOUDFLARE_ACCOUNTS_FILE: file,
    CLOUDFLARE_API_TOKEN: "",
    CLOUDFLARE_API_TOKEN_FILE: "",
    CLOUDFLARE_ACCOUNT_ID: "",
    CLOUDFLARE_BASE_URL: upstream.url,
    AUTH_MODE: "access",
    ACCESS_TEAM_DOMAIN: issuer.origin,
    ACCESS_AUD: E2E_ACCESS_AUD,
    UPSTREAM_BUDGET: "100000/300s",
  });
});

test.afterAll(async () => {
  await app?.stop();
  await upstream?.close();
  await issuer?.close();
});

const headersOf = async (email: string) => ({ "cf-access-jwt-assertion": await issuer.sign(email) });

async function apiAs(email: string): Promise<APIRequestContext> {
  return httpRequest.newContext({ baseURL: app.url, extraHTTPHeaders: await headersOf(email) });
}

async function browse(browser: Browser, email: string) {
  const context = await browser.newContext({ baseURL: app.url, extraHTTPHeaders: await headersOf(email) });
  return { context, page: await context.newPage() };
}

interface Entry {
  id: string;
  accountId: string | null;
}

async function entries(api: APIRequestContext, query: string): Promise<Entry[]> {
  const res = await api.get(`/api/logs?${query}`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { data: Entry[] }).data;
}

test("two accounts from a file, each with its own token, are served", async () => {
  const api = await apiAs(ALICE);
  const production = await entries(api, `range=7d&account=${PRODUCTION}`);
  const staging = await entries(api, `range=7d&account=${STAGING}`);
  expect(production.length).toBeGreaterThan(0);
  expect(staging.length).toBeGreaterThan(0);
  expect(new Set(production.map((e) => e.accountId))).toEqual(new Set([PRODUCTION]));
  expect(new Set(staging.map((e) => e.accountId))).toEqual(new Set([STAGING]));
  // The sandbox answered both: it takes each account's token for that account only.
  const stats = (await (await fetch(`http://127.0.0.1:${upstream.port}/__sandbox/stats`)).json()) as {
    requests: { url: string }[];
  };
  const paths = stats.requests.map((r) => new URL(r.url).pathname);
  expect(paths.some((p) => p.includes(`/accounts/${PRODUCTION}/logs/audit`))).toBe(true);
  expect(paths.some((p) => p.includes(`/accounts/${STAGING}/logs/audit`))).toBe(true);
  await api.dispose();
});

test("switching accounts keeps the filters and changes the rows", async ({ browser }) => {
  const api = await apiAs(ALICE);
  const { context, page } = await browse(browser, ALICE);
  const filters = "range=7d&action_result=success&actor_type=user";
  await page.goto(`/?${filters}`);
  await waitForRows(page);
  const switcher = page.getByRole("combobox", { name: "Account" });
  await expect(switcher).toHaveValue(PRODUCTION);
  const production = await entries(api, `${filters}&limit=5`);
  await expect.poll(() => firstRowIds(page, 5)).toEqual(production.map((e) => e.id));

  // From the keyboard: focus the switcher and choose the next account.
  await switcher.focus();
  await page.keyboard.press("ArrowDown");
  await expect.poll(() => param(page, "account")).toBe(STAGING);
  expect(param(page, "range")).toBe("7d");
  expect(param(page, "action_result")).toBe("success");
  expect(param(page, "actor_type")).toBe("user");
  const staging = await entries(api, `${filters}&account=${STAGING}&limit=5`);
  expect(staging.map((e) => e.id)).not.toEqual(production.map((e) => e.id));
  await expect.poll(() => firstRowIds(page, 5)).toEqual(staging.map((e) => e.id));

  // Back to the first account: the default, so the URL no longer names it.
  await switcher.selectOption({ label: "Production" });
  await expect.poll(() => param(page, "account")).toBeNull();
  expect(param(page, "action_result")).toBe("success");
  await expect.poll(() => firstRowIds(page, 5)).toEqual(production.map((e) => e.id));
  await context.close();
  await api.dispose();
});

test("an account outside the viewer's list gets a 403; an unknown id a 400", async ({ browser }) => {
  const api = await apiAs(BOB);
  const refused = await api.get(`/api/logs?range=7d&account=${PRODUCTION}`);
  expect(refused.status()).toBe(403);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
  const text = await refused.text();
  expect(text).not.toContain(PRODUCTION);
  expect(text).not.toContain("Production");
  for (const path of ["/api/logs/export/check?range=7d", "/api/logs/stats?range=7d"]) {
    expect((await api.get(`${path}&account=${PRODUCTION}`)).status()).toBe(403);
  }

  const unknown = await api.get(`/api/logs?range=7d&account=${UNKNOWN}`);
  expect(unknown.status()).toBe(400);
  const problem = (await unknown.json()) as { errors: { parameter: string }[] };
  expect(problem.errors.map((e) => e.parameter)).toEqual(["account"]);

  // Bob's only account is his default, and the header offers no switcher.
  const staging = await entries(api, "range=7d");
  expect(new Set(staging.map((e) => e.accountId))).toEqual(new Set([STAGING]));
  const { context, page } = await browse(browser, BOB);
  await page.goto("/?range=7d");
  await waitForRows(page);
  await expect(page.getByRole("combobox", { name: "Account" })).toHaveCount(0);
  await context.close();
  await api.dispose();
});

test("saved views are kept per account and open in their account", async ({ browser }) => {
  const { context, page } = await browse(browser, ALICE);
  await page.goto(`/?range=7d&action_type=delete&account=${STAGING}`);
  await waitForRows(page);
  const openViews = async () => {
    await page.getByRole("button", { name: "Saved views" }).click();
    const dialog = page.getByRole("dialog", { name: "Saved views" });
    await expect(dialog).toBeVisible();
    return dialog;
  };
  let dialog = await openViews();
  await dialog.getByRole("textbox", { name: "Name of the current view" }).fill("Staging deletes");
  await dialog.getByRole("button", { name: "Save view" }).click();
  await expect(dialog.getByRole("link", { name: "Staging deletes" })).toBeVisible();
  await page.keyboard.press("Escape");

  const switcher = page.getByRole("combobox", { name: "Account" });
  await switcher.selectOption({ label: "Production" });
  await expect.poll(() => param(page, "account")).toBeNull();
  dialog = await openViews();
  await expect(dialog.getByRole("link", { name: "Failed actions, last 24 h" })).toBeVisible();
  await expect(dialog.getByRole("link", { name: "Staging deletes" })).toHaveCount(0);
  await page.keyboard.press("Escape");

  await switcher.selectOption({ label: "Staging" });
  dialog = await openViews();
  await dialog.getByRole("link", { name: "Staging deletes" }).click();
  await expect.poll(() => param(page, "action_type")).toBe("delete");
  expect(param(page, "account")).toBe(STAGING);
  await waitForRows(page);
  await context.close();
});
