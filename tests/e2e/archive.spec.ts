import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bodyRows, expect, test, waitForRows } from "./explorer-helpers";
import { e2ePort, startAppServer, type AppServer } from "./support/app-server";

/**
 * The archive as a person sees it, on a server of its own with ARCHIVE=on (embedded database in a
 * temporary directory, in-process sandbox): the header's indicator once the backfill is done, then,
 * with the server's clock moved 560 days on, the entries Cloudflare no longer keeps marked archived only.
 */
const ARCHIVED_AT = Date.parse("2026-11-25T12:00:00Z");
const DAY = 86_400_000;
const LATER = ARCHIVED_AT + 560 * DAY;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
// Inside the archive: its backfill goes back 548 days from ARCHIVED_AT.
const WINDOW = `since=${iso(ARCHIVED_AT - 20 * DAY)}&before=${iso(ARCHIVED_AT - 2 * DAY)}`;

let dir: string;
let app: AppServer | null = null;

test.describe.configure({ mode: "serial", timeout: 120_000 });

/**
 * The sandbox names its entries by position, so a sandbox anchored later reuses the ids of the archived
 * entries for others; the later server reads another seed's sandbox, as Cloudflare never reuses an id.
 */
function startArchiving(now: number, seed: number): Promise<AppServer> {
  return startAppServer(e2ePort(74), {
    CLOUDFLARE_API_TOKEN: "",
    CLOUDFLARE_API_TOKEN_FILE: "",
    AUTH_MODE: "none",
    SANDBOX_NOW: iso(now),
    SANDBOX_SIZE: "3000",
    SANDBOX_SEED: String(seed),
    ARCHIVE: "on",
    ARCHIVE_DIR: dir,
    // One backfill, then no follow run during the test.
    ARCHIVE_INTERVAL: "1h",
  });
}

async function archiveState(url: string): Promise<{ state: string; entries?: number }> {
  return (await (await fetch(`${url}/api/archive`)).json()) as { state: string; entries?: number };
}

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "archive-e2e-"));
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the header shows the archive following once its backfill is done, and recent entries are not marked", async ({
  page,
}) => {
  app = await startArchiving(ARCHIVED_AT, 1);
  const url = app.url;
  await expect.poll(async () => (await archiveState(url)).state, { timeout: 90_000 }).toBe("following");
  expect((await archiveState(url)).entries).toBe(3000);

  await page.goto(`${url}/?${WINDOW}`);
  await waitForRows(page);
  const indicator = page.getByTestId("archive-indicator");
  await expect(indicator).toHaveAttribute("data-state", "following");
  await expect(indicator.getByRole("status")).toHaveText(/^Archive · \d+ (s|min|h) behind$/);
  await expect(indicator.getByRole("status")).toHaveAttribute("title", /holds 3,000 entries/);
  // Cloudflare still keeps these entries: none is the archive's alone.
  await expect(page.getByTestId("archived-only")).toHaveCount(0);
  // Leave the page before its server goes: its polls would otherwise fail, and say so on the console.
  await page.goto("about:blank");
  await app.stop();
  app = null;
});

test("a year and a half later, entries past Cloudflare's retention are marked archived only, in the table and the detail", async ({
  page,
}) => {
  app = await startArchiving(LATER, 2);
  const url = app.url;
  await page.goto(`${url}/?${WINDOW}`);
  await waitForRows(page);
  await expect(bodyRows(page).first().getByTestId("archived-only")).toBeVisible();
  await expect(bodyRows(page).last().getByTestId("archived-only")).toBeVisible();
  await bodyRows(page).first().click();
  await expect(page.getByRole("dialog").getByTestId("archived-only")).toBeVisible();
});
