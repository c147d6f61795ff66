import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next*/**",
    "node_modules/**",
    "test-results/**",
    "playwright-report/**",
    "bench/results/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      // Log values are attacker-influenced: they are rendered as text only.
      "react/no-danger": "error",
    },
  },
  {
    // Only the server's configuration module, build config and scripts read the environment.
    files: ["app/**", "components/**", "lib/**", "proxy.ts"],
    ignores: ["lib/server/config.ts", "lib/sandbox/cli.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings through lib/server/config.ts." },
      ],
    },
  },
]);
