import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // Route handlers resolve `server-only` to an empty module under Next's react-server condition;
    // unit tests import them directly, so they get the same empty module.
    alias: { "server-only": fileURLToPath(new URL("./tests/unit/support/server-only.ts", import.meta.url)) },
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    setupFiles: ["tests/unit/support/setup.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
