/**
 * The production server the benches measure (`next start` in cloudflare mode against a sandbox upstream,
 * so every upstream call is counted at the sandbox), and how a bench run alone prints its figures.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";

export function startBenchApp(
  port: number,
  upstreamUrl: string,
  extra: Record<string, string> = {},
): ChildProcess {
  return spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        CLOUDFLARE_API_TOKEN: SANDBOX_TOKEN,
        CLOUDFLARE_API_TOKEN_FILE: "",
        CLOUDFLARE_ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
        CLOUDFLARE_BASE_URL: upstreamUrl,
        AUTH_MODE: "none",
        ...extra,
      },
    },
  );
}

/** Wait until `url` answers 200, failing early if the server exits, or after `ms`. */
export async function waitUntilUp(url: string, child?: ChildProcess, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && (child?.exitCode ?? null) === null) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

/** One figure of a bench, as `npm run bench` records it. */
export interface BenchRow {
  key: string;
  what: string;
  value: number;
  unit: string;
  note?: string;
}

/** A bench run alone: its figures as a table, then as one JSON line. */
export function printRows(rows: readonly BenchRow[], decimals: number): void {
  const w = Math.max(...rows.map((r) => r.what.length));
  for (const r of rows)
    console.log(
      `${r.what.padEnd(w)}  ${Number.isInteger(r.value) ? r.value : r.value.toFixed(decimals)} ${r.unit}${r.note ? `  (${r.note})` : ""}`,
    );
  console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.key, r.value]))));
}

/**
 * A bench run alone: the production server on `BENCH_PORT` in front of `upstream`, up, for `run`; the
 * server and the upstream are stopped afterwards, whatever happened.
 */
export async function withBenchApp(
  upstream: { url: string; close(): Promise<void> },
  extra: Record<string, string>,
  run: (app: string) => Promise<void>,
): Promise<void> {
  const port = Number(process.env.BENCH_PORT ?? 3500);
  const app = `http://127.0.0.1:${port}`;
  const child = startBenchApp(port, upstream.url, extra);
  try {
    await waitUntilUp(`${app}/api/health`, child);
    await run(app);
  } finally {
    child.kill("SIGTERM");
    await upstream.close();
  }
}

/** Runs `main` when the module at `moduleUrl` is the script node started; a failure exits with 1. */
export function runIfMain(moduleUrl: string, main: () => Promise<void>): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
