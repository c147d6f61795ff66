import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { untilHealthy, type AppServer } from "./app-server";

let prepared: string | null = null;

/**
 * Runs the script the Dockerfile runs after `next build` (once per test run), so the tests serve the
 * same tree as the image. Returns the standalone folder.
 */
function prepareStandalone(): string {
  const run = spawnSync(process.execPath, ["scripts/standalone.mjs"], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`scripts/standalone.mjs failed:\n${run.stdout}${run.stderr}`);
  return join(process.env.NEXT_DIST_DIR || ".next", "standalone");
}

/**
 * Start the production build the way the Docker image runs it: `node server.js` in the standalone output,
 * completed by scripts/standalone.mjs, with PORT and HOSTNAME set, on loopback. Resolves when healthy.
 * The sandbox clock is pinned like the other browser tests' unless `env` says otherwise.
 */
export async function startStandaloneServer(port: number, env: Record<string, string>): Promise<AppServer> {
  prepared ??= prepareStandalone();
  const child = spawn(process.execPath, ["server.js"], {
    // As in the image: the working directory is the standalone folder.
    cwd: prepared,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      SANDBOX_NOW: process.env.E2E_SANDBOX_NOW ?? "2026-11-25T12:00:00Z",
      ...env,
    },
  });
  return untilHealthy(child, port, "the standalone server");
}
