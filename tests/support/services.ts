/**
 * Real services for tests, started and stopped by the test that needs them. A missing program fails the
 * test with the command that installs it: `npm test` installs them as root, so this only happens when it
 * could not.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function requireProgram(program: string, pkg: string): void {
  if (!existsSync(program))
    throw new Error(
      `${program} is missing: install it with \`apt-get install -y ${pkg}\` (npm test does this as root).`,
    );
}

export interface RedisService {
  url: string;
  port: number;
  /** Stop the server, as an outage would (state is not kept). */
  stop(): Promise<void>;
  /** Start it again on the same port (after {@link stop}). */
  start(): Promise<void>;
}

const REDIS_SERVER = "/usr/bin/redis-server";

async function waitForRedis(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    if (/Ready to accept connections/.test(output())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not start:\n${output()}`);
}

/** A throwaway Redis on a free loopback port, with no persistence. */
export async function startRedis(): Promise<RedisService> {
  requireProgram(REDIS_SERVER, "redis-server");
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    let output = "";
    const proc = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    proc.stdout?.on("data", (d) => (output += d));
    proc.stderr?.on("data", (d) => (output += d));
    child = proc;
    await waitForRedis(port, proc, () => output);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGKILL");
    });
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

export interface PostgresService {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication on loopback). */
  url: string;
  stop(): Promise<void>;
}

const PG_BIN = "/usr/lib/postgresql/15/bin";

/** Run a shell command as the `postgres` user when root (PostgreSQL refuses to run as root). */
function runAsPostgres(command: string): Promise<string> {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const [program, args] = root
    ? ["su", ["postgres", "-s", "/bin/bash", "-c", command]]
    : ["/bin/bash", ["-c", command]];
  return new Promise((resolve, reject) => {
    let output = "";
    const proc = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
    proc.stdout?.on("data", (d) => (output += d));
    proc.stderr?.on("data", (d) => (output += d));
    proc.once("error", reject);
    proc.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} failed (${code}):\n${output}`)),
    );
  });
}

/** A throwaway PostgreSQL cluster on a free loopback port, deleted on {@link PostgresService.stop}. */
export async function startPostgres(): Promise<PostgresService> {
  requireProgram(`${PG_BIN}/initdb`, "postgresql");
  const { mkdtempSync, chownSync, rmSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "pg-"));
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  await runAsPostgres(
    `${PG_BIN}/initdb -A trust -U postgres -D ${dir}/data >/dev/null && ` +
      `${PG_BIN}/pg_ctl -D ${dir}/data -w -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off" -l ${dir}/log start >/dev/null`,
  );
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await runAsPostgres(`${PG_BIN}/pg_ctl -D ${dir}/data -m immediate stop >/dev/null`).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
