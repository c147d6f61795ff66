/**
 * The sandbox as a `Request → Response` function: Cloudflare's audit-log endpoints under
 * `/client/v4`, with its routing, authentication and error behaviour. Used in process as the SDK's
 * `fetch` when no API token is configured, by the standalone server, and by tests.
 */
import { accountSeed, type SandboxAccount } from "./accounts";
import { SANDBOX_ACCOUNT_ID, SANDBOX_SEED, SANDBOX_SIZE, SANDBOX_TOKEN } from "./constants";
import { getDataset, type Dataset } from "./dataset";
import { authenticationError, methodNotAllowed, noRoute, v4Failure } from "./envelope";
import {
  FaultController,
  hang,
  delay,
  htmlResponse,
  stalledResponse,
  statusResponse,
  type Fault,
} from "./faults";
import { history } from "./history";
import { CLOUDFLARE_RATE_LIMIT, SandboxRateLimiter, type RateLimit } from "./rate-limit";
import { liveDataset } from "./live";
import { listV1 } from "./v1";
import { listV2, productCategories, type RouteContext } from "./v2";

export { FaultController };

export interface SandboxOptions {
  seed?: number;
  /** Number of entries (default 50,000). */
  size?: number;
  /** Anchor of the timeline: the newest entry is a few seconds before it (default: now). */
  now?: Date;
  /**
   * The sandbox clock (ms since the epoch), read on every request: entries keep appearing as it
   * advances (live.ts). Without it the clock stands still at `now`.
   */
  clock?: () => number;
  /** Accepted bearer token (default `SANDBOX_TOKEN`). */
  token?: string;
  /** The one account that exists (default `SANDBOX_ACCOUNT_ID`). */
  accountId?: string;
  /**
   * Several accounts instead, each with its own token and data (the first on `seed`, the others on a
   * seed derived from their id); `token` and `accountId` are then ignored.
   */
  accounts?: SandboxAccount[];
  faults?: FaultController;
  /** Calls allowed per token and window (default: Cloudflare's 1,200 per 5 minutes); null: no limit. */
  rateLimit?: RateLimit | null;
  /** A limiter to use instead of one made from `rateLimit` (shared with whoever reads its stats). */
  limiter?: SandboxRateLimiter | null;
}

export type SandboxHandler = (request: Request) => Promise<Response>;

const API_PREFIX = "/client/v4";
const ROUTE =
  /^\/accounts\/([^/]+)\/(audit_logs|logs\/audit|logs\/audit\/product_categories|logs\/audit\/([^/]+)\/history)\/?$/;

interface Served extends SandboxAccount {
  ds: () => Dataset;
}

function route(request: Request, url: URL, accounts: Served[], endless: boolean): Response {
  const path = url.pathname;
  const match = ROUTE.exec(path.slice(path.indexOf(API_PREFIX) + API_PREFIX.length));
  if (!path.includes(API_PREFIX) || !match) return noRoute(path, url.href);
  if (request.method !== "GET") return methodNotAllowed(request.method, url.href);
  // Only a bearer token is accepted: a Global API key (X-Auth-Key/X-Auth-Email) is no substitute.
  const bearer = request.headers.get("authorization");
  if (!accounts.some((a) => bearer === `Bearer ${a.token}`)) return authenticationError(url.href);
  const account = accounts.find((a) => a.id === match[1]);
  if (!account) return noRoute(path, url.href);
  // A token reads its own account only.
  if (bearer !== `Bearer ${account.token}`) return authenticationError(url.href);
  const accountId = account.id;
  const ctx: RouteContext = { ds: account.ds(), accountId, url, endless };
  if (match[2] === "audit_logs") return listV1(ctx);
  if (match[2] === "logs/audit") return listV2(ctx);
  if (match[2] === "logs/audit/product_categories") return productCategories(ctx);
  return history(ctx, match[3]);
}

/** A handler over its own dataset (generated on first use, shared through the dataset cache). */
export function createSandboxHandler(options: SandboxOptions = {}): SandboxHandler {
  const seed = options.seed ?? SANDBOX_SEED;
  const size = options.size ?? SANDBOX_SIZE;
  const now = (options.now ?? new Date()).getTime();
  const faults = options.faults;
  const clock = options.clock;
  const dataset = (accountSeed: number) =>
    clock
      ? () => liveDataset(getDataset(accountSeed, size, now), clock())
      : () => getDataset(accountSeed, size, now);
  const listed = options.accounts?.length
    ? options.accounts
    : [{ id: options.accountId ?? SANDBOX_ACCOUNT_ID, token: options.token ?? SANDBOX_TOKEN }];
  const accounts: Served[] = listed.map((a, index) => ({
    ...a,
    ds: dataset(accountSeed(seed, a.id, index)),
  }));
  const rateLimit = options.rateLimit === undefined ? CLOUDFLARE_RATE_LIMIT : options.rateLimit;
  const limiter =
    options.limiter !== undefined ? options.limiter : rateLimit && new SandboxRateLimiter(rateLimit);

  const answer = (request: Request, url: URL, endless: boolean): Response => {
    try {
      return route(request, url, accounts, endless);
    } catch {
      return v4Failure(500, [{ code: 10001, message: "Internal server error" }], url.href);
    }
  };

  return async (request) => {
    const url = new URL(request.url);
    if (!url.pathname.includes(API_PREFIX)) return answer(request, url, false);
    const fault: Fault | null = faults ? faults.take(request) : null;
    // Cloudflare counts calls per credential, before anything else is looked at.
    const rate = limiter?.take(request.headers.get("authorization") ?? "");
    if (rate && !rate.allowed) return rateLimited(url.href, rate.headers);
    const response = await faulted(request, url, fault);
    for (const [name, value] of Object.entries(rate?.headers ?? {})) response.headers.set(name, value);
    return response;
  };

  async function faulted(request: Request, url: URL, fault: Fault | null): Promise<Response> {
    if (!faults) return answer(request, url, false);
    faults.inFlight++;
    let handedOff = false;
    try {
      switch (fault?.kind) {
        case "status":
          return statusResponse(fault, url.href);
        case "html":
          return htmlResponse();
        case "hang":
          return await hang(request.signal);
        case "slow":
          await delay(fault.delayMs, request.signal);
          return answer(request, url, false);
        case "truncated": {
          const full = answer(request, url, false);
          const text = await full.text();
          return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
            status: 200,
            headers: full.headers,
          });
        }
        case "stall": {
          const full = answer(request, url, false);
          const text = await full.text();
          handedOff = true;
          return stalledResponse(full, text, request.signal, () => faults.inFlight--);
        }
        default:
          return answer(request, url, fault?.kind === "endless");
      }
    } finally {
      if (!handedOff) faults.inFlight--;
    }
  }
}

function rateLimited(url: string, headers: Record<string, string>): Response {
  return v4Failure(
    429,
    [{ code: 971, message: "Please wait and consider throttling your request speed" }],
    url,
    headers,
  );
}

const handlers = new Map<string, SandboxHandler>();
const HANDLER_LIMIT = 8;

/**
 * The in-process handler for these options, created once: the app calls this per request without
 * regenerating data. Without `now`, the clock anchor is the time of the first call. A handler with a
 * fault controller is not shared; handlers differing only in their `clock` function are (a process
 * runs one sandbox clock).
 */
export function getSandboxHandler(options: SandboxOptions = {}): SandboxHandler {
  if (options.faults) return createSandboxHandler(options);
  const key = JSON.stringify([
    options.seed,
    options.size,
    options.now?.getTime(),
    options.clock ? "live" : "frozen",
    options.token,
    options.accountId,
    options.accounts,
    options.rateLimit,
  ]);
  let handler = handlers.get(key);
  if (!handler) {
    if (handlers.size >= HANDLER_LIMIT) handlers.delete(handlers.keys().next().value as string);
    handler = createSandboxHandler({ ...options, now: options.now ?? new Date() });
    handlers.set(key, handler);
  }
  return handler;
}

/** The sandbox as a `fetch` function, e.g. `new Cloudflare({ fetch: createSandboxFetch() })`. */
export function createSandboxFetch(
  options: SandboxOptions = {},
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const handler = getSandboxHandler(options);
  return (input, init) => handler(new Request(input, init));
}
