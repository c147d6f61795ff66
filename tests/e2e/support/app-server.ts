import { spawn, type ChildProcess } from "node:child_process";

export interface AppServer {
  url: string;
  pid: number;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Ports of servers a browser test starts itself, offset from the main one so parallel checkouts can differ. */
export const e2ePort = (offset: number) => Number(process.env.E2E_PORT ?? 3100) + offset;

/**
 * Start the production build (`next start`) on loopback with extra environment; resolves when healthy.
 * Its sandbox clock is pinned and frozen like the main server's, unless `env` says otherwise.
 */
export async function startAppServer(port: number, env: Record<string, string>): Promise<AppServer> {
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        SANDBOX_NOW: process.env.E2E_SANDBOX_NOW ?? "2026-11-25T12:00:00Z",
        // Like the main server's: a budget no test spends unless it sets its own.
        UPSTREAM_BUDGET: "1000000/300s",
        SANDBOX_CLOCK: "frozen",
        ...env,
      },
    },
  );
  return untilHealthy(child, port, "the server");
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid: number, read: (path: string) => string): number {
  return Number(/VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`))?.[1] ?? 0) / 1024;
}

/**
 * The server `child` started on `port`, once its health route answers; stopped, with its output in the
 * error, if it exits or stays unhealthy for a minute.
 */
export async function untilHealthy(child: ChildProcess, port: number, what: string): Promise<AppServer> {
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, pid: child.pid!, output: () => output, stop };
    } catch {
      // still starting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${what} on port ${port} did not become healthy:\n${output}`);
}
