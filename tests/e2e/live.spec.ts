import { LIVE_POLL_MS } from "@/lib/live-follow";
import { sandboxClock } from "@/lib/sandbox/clock";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { expect, expectAccessible, firstRowIds, test, waitForRows } from "./explorer-helpers";
import { e2ePort, startAppServer, type AppServer } from "./support/app-server";

/**
 * Live mode against a sandbox whose clock runs: the app is in cloudflare mode on a standalone sandbox
 * (so every upstream call is counted there), and the browser's clock is driven by the test.
 */
let upstream: SandboxServer;
let app: AppServer;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const anchor = new Date();
  upstream = await startSandboxServer({
    port: 0,
    size: 5_000,
    now: anchor,
    clock: sandboxClock(anchor.getTime(), "live"),
    enableFaults: true,
  });
  app = await startAppServer(e2ePort(70), {
    CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: upstream.url,
    AUTH_MODE: "none",
  });
});

test.afterAll(async () => {
  await app?.stop();
  await upstream?.close();
});

const liveStatus = (page: import("@playwright/test").Page) =>
  page.getByRole("status").filter({ hasText: /^Live/ });

test("live mode shows a new entry within one poll, without a reload, and stops while the tab is hidden", async ({
  page,
}) => {
  const checks: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/logs?") && r.headers()["x-request-priority"] === "live") checks.push(r.url());
  });
  await page.clock.install();
  await page.goto(`${app.url}/?range=24h&live=1`);
  await waitForRows(page);
  await page.waitForLoadState("networkidle");
  // The page's timers stop here: no check runs by itself while the test waits for the sandbox (its
  // answer, with nothing new yet, would be kept by the server's short page cache).
  await page.clock.pauseAt(Date.now() + 1_000);
  const [newest] = await firstRowIds(page, 1);
  // Rows the page already shows: an answer whose newest entry is one of them has nothing new yet.
  const loaded = new Set(await firstRowIds(page, 5));
  // A reload would lose this mark.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await expect(page.getByRole("button", { name: "Live" })).toHaveAttribute("aria-pressed", "true");

  // The sandbox's clock runs in real time: wait until it has logged something after the newest row.
  await expect
    .poll(
      async () => {
        const res = await fetch(`${app.url}/api/logs?range=1h&limit=1`);
        expect(res.status, await res.clone().text()).toBe(200);
        const [top] = ((await res.json()) as { data: { id: string }[] }).data;
        expect(top?.id).toEqual(expect.any(String));
        return loaded.has(top.id);
      },
      { timeout: 45_000, intervals: [2_000] },
    )
    .toBe(false);

  const callsBefore = upstream.faults.hits;
  await page.clock.fastForward(LIVE_POLL_MS);
  await expect(liveStatus(page)).toContainText(/checked .*\d+ new/);
  // Time flows again so the table redraws (its rendering waits for animation frames).
  await page.clock.resume();
  const [top] = await firstRowIds(page, 1);
  expect(top).not.toBe(newest);
  await expect(page.locator(`[role=row][data-row-id="${newest}"]`)).toBeVisible();
  // The new rows are marked for a moment; the rows that were there already are not.
  const mark = (id: string) =>
    page.locator(`[role=row][data-row-id="${id}"]`).evaluate((el) => getComputedStyle(el).boxShadow);
  expect(await mark(top)).toContain("inset");
  expect(await mark(newest)).toBe("none");
  expect(checks).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
    true,
  );
  expect(upstream.faults.hits - callsBefore).toBe(1);
  await expectAccessible(page);

  // Hidden tab: the timer keeps ticking, but nothing is asked.
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  const hiddenFrom = upstream.faults.hits;
  await page.clock.fastForward(LIVE_POLL_MS);
  await page.clock.fastForward(LIVE_POLL_MS);
  await expect(liveStatus(page)).toHaveText("Live: paused while this tab is hidden");
  expect(checks).toHaveLength(1);
  expect(upstream.faults.hits).toBe(hiddenFrom);
});

test("one minute of live mode makes three checks, each at most one upstream call", async ({ page }) => {
  expect(LIVE_POLL_MS).toBeGreaterThanOrEqual(15_000);
  expect(LIVE_POLL_MS).toBeLessThanOrEqual(30_000);
  const checks: string[] = [];
  page.on("request", (r) => {
    if (r.headers()["x-request-priority"] === "live") checks.push(r.url());
  });
  await page.clock.install();
  await page.goto(`${app.url}/?range=24h&live=1`);
  await waitForRows(page);
  // The activity overview's walk is done before counting starts.
  await page.waitForLoadState("networkidle");
  const start = upstream.faults.hits;
  for (let k = 1; k <= 60_000 / LIVE_POLL_MS; k++) {
    const before = (await liveStatus(page).textContent()) ?? "";
    await page.clock.fastForward(LIVE_POLL_MS);
    await expect.poll(() => checks.length).toBe(k);
    // The check is over once its time shows (a check still running makes the next tick skip).
    await expect(liveStatus(page)).not.toHaveText(before);
  }
  // Checks repeated within the server's page-cache lifetime (here, fake time runs faster than the
  // server's) are answered from memory, so the calls are at most the checks.
  expect(upstream.faults.hits - start).toBeGreaterThanOrEqual(1);
  expect(upstream.faults.hits - start).toBeLessThanOrEqual(3);
});

test("live mode is unavailable with a pinned window, and the page says why", async ({ page }) => {
  await page.goto(`${app.url}/?since=2026-11-01T00:00:00Z&before=2026-11-02T00:00:00Z&live=1`);
  await expect(page.locator("[data-hydrated]")).toBeAttached();
  const toggle = page.getByRole("button", { name: "Live" });
  await expect(toggle).toHaveAttribute("aria-disabled", "true");
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(liveStatus(page)).toContainText("pinned to a fixed window");
  await expectAccessible(page);
});

test("live mode pauses while the table is scrolled away from the top, and resumes at the top", async ({
  page,
}) => {
  const checks: string[] = [];
  page.on("request", (r) => {
    if (r.headers()["x-request-priority"] === "live") checks.push(r.url());
  });
  await page.clock.install();
  await page.goto(`${app.url}/?range=24h&live=1`);
  await waitForRows(page);
  await page.waitForLoadState("networkidle");
  const region = page.getByRole("region", { name: "Audit log entries" });
  await region.evaluate((el) => el.scrollTo({ top: 1_000 }));
  await page.clock.fastForward(LIVE_POLL_MS);
  await expect(liveStatus(page)).toHaveText(
    "Live: paused while you read older entries (scroll to the top to resume)",
  );
  await page.clock.fastForward(LIVE_POLL_MS);
  expect(checks).toHaveLength(0);
  await expectAccessible(page);

  await region.evaluate((el) => el.scrollTo({ top: 0 }));
  await page.clock.fastForward(LIVE_POLL_MS);
  await expect.poll(() => checks.length).toBe(1);
  await expect(liveStatus(page)).toContainText(/^Live: checked/);
});
