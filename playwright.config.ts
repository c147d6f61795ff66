import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/e2e/support/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);

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
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
