import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { SANDBOX_ACCOUNT_ID } from "@/lib/sandbox/constants";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { e2ePort, startAppServer, type AppServer } from "./support/app-server";

/**
 * The API token never reaches a browser: a production server in Cloudflare mode, holding a random
 * canary token, is crawled (pages, RSC payloads, API JSON and CSV, errors, health) and its every
 * response body, header and log line is searched for the canary.
 */
const canary = `cf_canary_${randomBytes(16).toString("hex")}`;
let upstream: SandboxServer;
let app: AppServer;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  upstream = await startSandboxServer({ port: 0, size: 5_000, token: canary, enableFaults: true });
  app = await startAppServer(e2ePort(50), {
    CLOUDFLARE_API_TOKEN: canary,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    CLOUDFLARE_BASE_URL: upstream.url,
    AUTH_MODE: "none",
  });
});

test.afterAll(async () => {
  await app?.stop();
  await upstream?.close();
});

async function scan(path: string, init?: RequestInit) {
  const res = await fetch(`${app.url}${path}`, init);
  const body = await res.text();
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  expect(body, `${path} body`).not.toContain(canary);
  expect(headers, `${path} headers`).not.toContain(canary);
  expect(`${headers}\n${body}`, `${path}`).not.toMatch(/bearer\s+\S/i);
  return res;
}

test("no response of a server holding the token contains it", async () => {
  expect((await scan("/")).status).toBe(200);
  await scan("/?range=7d&action_result=failure&actor_email=alice@example.com");
  await scan("/", { headers: { RSC: "1" } });
  await scan("/?log=00000000-0000-0000-0000-000000000000");
  const page = await scan("/api/logs?range=30d&limit=50");
  expect(page.status).toBe(200);
  const { data } = await (await fetch(`${app.url}/api/logs?range=30d&limit=1`)).json();
  expect(data.length).toBe(1);
  await scan(
    `/api/logs/${data[0].id}/history?action_time=${data[0].time}&since=2026-01-01&before=${new Date().toISOString()}`,
  );
  expect((await scan("/api/logs/export?range=1h")).status).toBe(200);
  expect((await scan("/api/logs/export?range=1h&format=ndjson")).status).toBe(200);
  expect((await scan("/api/logs/export/check?range=1h")).status).toBe(200);
  expect((await scan("/api/logs?since=garbage")).status).toBe(400);
  await scan("/api/health");
  await scan("/does-not-exist");

  // Upstream failures: the token is refused, rate limits, server errors, malformed bodies.
  for (const [i, fault] of (
    [
      { kind: "status", status: 403 },
      // A short pause: the budget honours it for every later request of this server.
      { kind: "status", status: 429, retryAfter: "1" },
      { kind: "status", status: 500 },
      { kind: "html" },
      { kind: "truncated" },
    ] as const
  ).entries()) {
    upstream.faults.set(fault);
    // A window of its own for each fault: an answer kept from before the fault would hide it.
    const day = String(i + 1).padStart(2, "0");
    const window = `since=2026-10-${day}T00:00:00Z&before=2026-10-${day}T01:00:00Z`;
    const res = await scan(`/api/logs?${window}`);
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect((await scan(`/api/logs/export/check?${window}`)).status).toBeGreaterThanOrEqual(500);
    await scan(`/?${window}`);
  }
  upstream.faults.set(null);
  expect(upstream.faults.requests.some((r) => r.authorization === `Bearer ${canary}`)).toBe(true);
});

test("a browser session sees no trace of the token", async ({ page }) => {
  const bodies: string[] = [];
  page.on("response", async (res) => {
    bodies.push(Object.entries(await res.allHeaders()).join("\n"));
    bodies.push(await res.text().catch(() => ""));
  });
  await page.goto(`${app.url}/?range=7d`);
  await expect(page.getByRole("columnheader", { name: /Action timestamp/ })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(bodies.length).toBeGreaterThan(3);
  for (const b of bodies) expect(b).not.toContain(canary);
  expect(app.output()).not.toContain(canary);
});
