import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/e2e/support/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/**
 * The sandbox's data follows its clock, so every browser test runs on a pinned one: a weekday at noon UTC,
 * the busiest hour of the sandbox's day. `E2E_SANDBOX_NOW` picks another instant.
 */
export const E2E_SANDBOX_NOW = process.env.E2E_SANDBOX_NOW ?? "2026-11-25T12:00:00Z";

/** Browser tests run against a production build (`npm run build`) on the embedded sandbox. */
export default defineConfig({
  testDir: "./tests/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 1,
  forbidOnly: true,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "off",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command: `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 90_000,
    env: {
      // The sandbox: no token, so the embedded imitation of Cloudflare serves the data.
      CLOUDFLARE_API_TOKEN: "",
      CLOUDFLARE_API_TOKEN_FILE: "",
      AUTH_MODE: "",
      SANDBOX_NOW: E2E_SANDBOX_NOW,
      // The suite opens many views back to back on one server: a budget it never spends, so no test
      // depends on what the tests before it spent (the budget has tests of its own).
      UPSTREAM_BUDGET: "1000000/300s",
      // A fixed dataset: assertions name rows. The live-mode test starts its own server on a moving clock.
      SANDBOX_CLOCK: "frozen",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
