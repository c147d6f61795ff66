import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "csv-parse/sync";
import { FIELD_IDS } from "@/lib/audit-log";
import { V1_ENTRIES, V1_USER, v1Body } from "../unit/server/v1-entries";
import { bodyRows, expect, test, waitForRows } from "./explorer-helpers";
import { e2ePort, startAppServer, type AppServer } from "./support/app-server";

/**
 * Real-shaped v1 entries (v1 verbs, a system actor, microseconds, `interface: ""`, values as `""`,
 * `"null"` and JSON text next to decoded objects) from a v1 upstream, through the table, the detail
 * view and the "All fields" CSV of a production server in Cloudflare mode with AUDIT_LOGS_API=v1.
 */
const ACCOUNT = "7c5dae5552338874e5053f2534d2767a";
const WINDOW = "since=2026-11-01&before=2026-11-21T00:00:00Z";
let upstream: Server;
let app: AppServer;
const seen: URLSearchParams[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  // Page 1 holds every entry, later pages none; total_count claims one more than was sent.
  upstream = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push(url.searchParams);
    const page = Number(url.searchParams.get("page") ?? 1);
    const result = page === 1 ? V1_ENTRIES : [];
    const info = { page, per_page: 100, count: result.length, total_count: V1_ENTRIES.length + 1 };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(v1Body(result, info)));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.address() as AddressInfo;
  app = await startAppServer(e2ePort(70), {
    CLOUDFLARE_API_TOKEN: "v1-fields-test-token",
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    CLOUDFLARE_BASE_URL: `http://127.0.0.1:${port}/client/v4`,
    AUDIT_LOGS_API: "v1",
    AUTH_MODE: "none",
  });
});

test.afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

test("v1 entries in their real forms: table, detail view, change and data-quality notice", async ({
  page,
}) => {
  await page.goto(`${app.url}/?${WINDOW}`);
  await waitForRows(page);
  await expect(bodyRows(page)).toHaveCount(V1_ENTRIES.length);
  const table = page.getByRole("table");
  for (const verb of ["token_roll", "tls_settings_deployed", "rec_del", "change_setting", "purge", "login"])
    await expect(table.getByText(verb, { exact: true })).toBeVisible();
  // v1 actor types labelled as v1 means them.
  await expect(table.getByText("Cloudflare admin", { exact: true })).toBeVisible();
  await expect(page.getByTestId("data-notice")).toContainText("Note: Cloudflare reported 7 matching entries");

  // Detail view of the token roll: action info, owner, empty interface, metadata, no v1 product.
  await page.goto(`${app.url}/?${WINDOW}&log=${V1_ENTRIES[0].id}`);
  const sheet = page.getByRole("dialog");
  await expect(sheet).toBeVisible();
  await expect(sheet.getByText(V1_ENTRIES[0].action.info!)).toBeVisible();
  await expect(sheet.locator("dt:text-is('Owner') + dd")).toContainText(V1_USER);
  await expect(sheet.locator("dt:text-is('Interface') + dd")).toContainText("Empty");
  await expect(sheet.locator("dt:text-is('Resource product') + dd")).toHaveText("Not provided by v1");
  await expect(sheet.locator("dt:text-is('token_name') + dd")).toHaveText("Terraform CI");
  for (const label of [
    "Audit log ID",
    "Action timestamp",
    "Action type",
    "Actor ID",
    "Actor email",
    "Resource ID",
  ])
    await expect(sheet.locator("dt", { hasText: new RegExp(`^${label}$`) })).toBeVisible();

  // The system actor: no email, no IP; microseconds kept in the timestamp's machine value.
  await page.goto(`${app.url}/?${WINDOW}&log=${V1_ENTRIES[1].id}`);
  await expect(sheet.locator("dt:text-is('Actor type') + dd")).toContainText("system");
  await expect(sheet.locator(`time[datetime="${V1_ENTRIES[1].when}"]`).first()).toBeAttached();
  await expect(sheet.getByText("Not set: Actor email, Actor IP address", { exact: false })).toBeVisible();

  // A setting's JSON text is diffed as JSON: no escaped quotes.
  await page.goto(`${app.url}/?${WINDOW}&log=${V1_ENTRIES[3].id}`);
  await sheet.getByRole("tab", { name: "Change" }).click();
  const diff = sheet.getByRole("region", { name: "Changes from old value to new value" });
  await expect(diff).toContainText('"high"');
  await expect(diff).toContainText('"low"');
  await expect(diff).not.toContainText("\\");

  // A deletion whose texts are "null": the old record as JSON, "null" never shown as a value.
  await page.goto(`${app.url}/?${WINDOW}&log=${V1_ENTRIES[2].id}`);
  await sheet.getByRole("tab", { name: "Change" }).click();
  await expect(diff).toContainText("v=spf1 include:_spf.acme.example -all");
  await expect(diff).not.toContainText("null");
});

test("the hide user logs toggle sends hide_user_logs=true upstream", async ({ page }) => {
  await page.goto(`${app.url}/?${WINDOW}`);
  await waitForRows(page);
  seen.length = 0;
  await page.getByLabel("Hide user logs").check();
  await expect(page).toHaveURL(/hide_user_logs=true/);
  await expect.poll(() => seen.some((p) => p.get("hide_user_logs") === "true")).toBe(true);
});

test("the All fields CSV carries every v1 field, without double escaping", async ({ request }) => {
  const response = await request.get(
    `${app.url}/api/logs/export?${WINDOW}&format=csv&columns=${FIELD_IDS.join(",")}`,
  );
  expect(response.status()).toBe(200);
  const text = await response.text();
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  const col = (label: string) => rows.map((r) => r[header.indexOf(label)]);
  expect(rows).toHaveLength(V1_ENTRIES.length);
  expect(col("Audit log ID")).toEqual(V1_ENTRIES.map((e) => e.id));
  expect(col("Action timestamp")).toEqual(V1_ENTRIES.map((e) => e.when));
  expect(col("Owner")).toEqual(V1_ENTRIES.map((e) => e.owner.id));
  expect(col("Interface")).toEqual(V1_ENTRIES.map((e) => e.interface));
  expect(col("Action info")[0]).toBe(V1_ENTRIES[0].action.info);
  expect(col("New value")[3]).toBe("low");
  expect(JSON.parse(col("Old value")[2])).toEqual(V1_ENTRIES[2].oldValueJson);
  expect(col("Metadata").map((m) => JSON.parse(m))).toEqual(V1_ENTRIES.map((e) => e.metadata));
  expect(text).not.toContain('\\"low\\"');
});
