import "server-only";
import Cloudflare from "cloudflare";
import { sandboxClock } from "@/lib/sandbox/clock";
import { SANDBOX_TOKEN } from "@/lib/sandbox/constants";
import type { Config } from "./config";

/** Where the SDK sends requests in sandbox mode; the host never resolves, the sandbox answers in-process. */
export const SANDBOX_BASE_URL = "http://sandbox.invalid/client/v4";

/** Per-attempt timeout; callers also bound the whole call (body included) with their own deadline. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** When this server started: the sandbox clock's anchor when SANDBOX_NOW is unset, and its start. */
// One start per process: each route is a separate server bundle with its own copy of this module, and
// every one of them must serve the same sandbox data on the same clock.
const anchor = globalThis as typeof globalThis & { __auditLogSandboxStart?: Date };
const PROCESS_START = (anchor.__auditLogSandboxStart ??= new Date());

/** The instant the sandbox's data is anchored at: its clock reads this when the server starts. */
export function sandboxAnchor(config: Config): Date {
  return config.sandbox.now ?? PROCESS_START;
}

/** The sandbox clock: from the anchor it advances in real time, unless SANDBOX_CLOCK=frozen. */
function clockOf(config: Config): () => number {
  return sandboxClock(sandboxAnchor(config).getTime(), config.sandbox.clock, PROCESS_START.getTime());
}

/** What the sandbox clock reads now. */
export function sandboxNow(config: Config): Date {
  return new Date(clockOf(config)());
}

type SandboxHandler = (request: Request) => Promise<Response>;

/** A `fetch` for the SDK that answers from the in-process sandbox, loaded on first use. */
function sandboxFetch(config: Config): typeof fetch {
  let handler: Promise<SandboxHandler> | null = null;
  return async (input, init) => {
    handler ??= import("@/lib/sandbox/handler").then(({ getSandboxHandler }) =>
      getSandboxHandler({
        seed: config.sandbox.seed,
        size: config.sandbox.size,
        now: sandboxAnchor(config),
        clock: clockOf(config),
        token: SANDBOX_TOKEN,
        accountId: config.accountId,
        rateLimit: config.sandboxRateLimit,
      }),
    );
    return (await handler)(new Request(input, init));
  };
}

const clients = new WeakMap<Config, Cloudflare>();

/**
 * The SDK client for a configuration (one per configuration, reused). It is used for transport only:
 * retries are off (`upstream.ts` retries with a bounded Retry-After), and only the bearer token is
 * sent. The Global API key variables (`CLOUDFLARE_API_KEY`, `CLOUDFLARE_EMAIL`, and custom headers
 * naming them) are never picked up from the environment.
 */
export function getCloudflareClient(config: Config): Cloudflare {
  let client = clients.get(config);
  if (!client) {
    const sandbox = config.mode === "sandbox";
    client = new Cloudflare({
      apiToken: sandbox ? SANDBOX_TOKEN : config.token,
      apiKey: null,
      apiEmail: null,
      userServiceKey: null,
      baseURL: sandbox ? SANDBOX_BASE_URL : config.baseUrl,
      maxRetries: 0,
      timeout: ATTEMPT_TIMEOUT_MS,
      logLevel: "off",
      // Later header sets win in the SDK: nulls here also drop any that CLOUDFLARE_CUSTOM_HEADERS adds.
      defaultHeaders: { "X-Auth-Key": null, "X-Auth-Email": null, "X-Auth-User-Service-Key": null },
      ...(sandbox ? { fetch: sandboxFetch(config) } : {}),
    });
    clients.set(config, client);
  }
  return client;
}
