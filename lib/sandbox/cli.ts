/**
 * `npm run sandbox`: the sandbox as a standalone server, configured from the environment
 * (SANDBOX_PORT, SANDBOX_TOKEN, SANDBOX_ACCOUNT_ID, SANDBOX_SEED, SANDBOX_SIZE, SANDBOX_NOW, SANDBOX_FAULTS).
 */
import { SANDBOX_PORT } from "./constants";
import { startSandboxServer, type SandboxServerOptions } from "./server";

function fromEnv(): SandboxServerOptions {
  const env = process.env;
  const number = (text: string | undefined) => (text ? Number(text) : undefined);
  return {
    port: number(env.SANDBOX_PORT) ?? SANDBOX_PORT,
    token: env.SANDBOX_TOKEN || undefined,
    accountId: env.SANDBOX_ACCOUNT_ID || undefined,
    seed: number(env.SANDBOX_SEED),
    size: number(env.SANDBOX_SIZE),
    now: env.SANDBOX_NOW ? new Date(env.SANDBOX_NOW) : undefined,
    enableFaults: env.SANDBOX_FAULTS === "1",
  };
}

const options = fromEnv();
if (options.now && Number.isNaN(options.now.getTime()))
  throw new Error("SANDBOX_NOW must be an ISO timestamp");
startSandboxServer(options).then((sandbox) => {
  console.log(
    `Cloudflare audit-log sandbox listening on ${sandbox.url}${options.enableFaults ? " (fault control routes on)" : ""}`,
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
});
