/**
 * `npm run sandbox`: the sandbox as a standalone server, configured from the environment
 * (SANDBOX_PORT, SANDBOX_HOST, SANDBOX_TOKEN, SANDBOX_ACCOUNT_ID, SANDBOX_ACCOUNTS: several accounts as
 * `id:token,id:token`, each with data of its own, SANDBOX_SEED, SANDBOX_SIZE, SANDBOX_NOW,
 * SANDBOX_CLOCK, SANDBOX_FAULTS, SANDBOX_RATE_LIMIT: calls per token and window, `1200/300s` by default,
 * or `off`). The clock starts at SANDBOX_NOW (default: now) and advances in real time unless
 * SANDBOX_CLOCK=frozen.
 */
import { parseSandboxAccounts } from "./accounts";
import { parseClockMode, sandboxClock } from "./clock";
import { SANDBOX_PORT } from "./constants";
import { CLOUDFLARE_RATE_LIMIT, parseRateLimit } from "./rate-limit";
import { startSandboxServer, type SandboxServerOptions } from "./server";

function fromEnv(): SandboxServerOptions {
  const env = process.env;
  const number = (text: string | undefined) => (text ? Number(text) : undefined);
  const now = env.SANDBOX_NOW ? new Date(env.SANDBOX_NOW) : new Date();
  return {
    port: number(env.SANDBOX_PORT) ?? SANDBOX_PORT,
    // Loopback unless told otherwise: in a container it must listen on every interface (0.0.0.0).
    host: env.SANDBOX_HOST || undefined,
    token: env.SANDBOX_TOKEN || undefined,
    accountId: env.SANDBOX_ACCOUNT_ID || undefined,
    accounts: env.SANDBOX_ACCOUNTS ? parseSandboxAccounts(env.SANDBOX_ACCOUNTS) : undefined,
    seed: number(env.SANDBOX_SEED),
    size: number(env.SANDBOX_SIZE),
    now,
    clock: sandboxClock(now.getTime(), parseClockMode(env.SANDBOX_CLOCK)),
    enableFaults: env.SANDBOX_FAULTS === "1",
    rateLimit: env.SANDBOX_RATE_LIMIT ? parseRateLimit(env.SANDBOX_RATE_LIMIT) : CLOUDFLARE_RATE_LIMIT,
  };
}

const options = fromEnv();
if (Number.isNaN(options.now?.getTime())) throw new Error("SANDBOX_NOW must be an ISO timestamp");
startSandboxServer(options).then((sandbox) => {
  const limit = sandbox.limiter
    ? `limit ${sandbox.limiter.limit} calls per ${sandbox.limiter.windowSeconds} s per token`
    : "no rate limit";
  console.log(
    `Cloudflare audit-log sandbox listening on ${sandbox.url} (${limit})${options.enableFaults ? " (fault control routes on)" : ""}`,
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
});
