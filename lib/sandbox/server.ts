/**
 * The sandbox as a standalone HTTP server (`npm run sandbox`, see cli.ts), so the app can run in cloudflare mode
 * against it. With `enableFaults` (env `SANDBOX_FAULTS=1`) it also serves the test-only control
 * routes `POST /__sandbox/faults`, `POST /__sandbox/reset` and `GET /__sandbox/stats` (requests seen, and
 * the rate limiter's counters: 429s sent, calls per window, the busiest span).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultController, type Fault } from "./faults";
import { createSandboxHandler, type SandboxOptions } from "./handler";
import { CLOUDFLARE_RATE_LIMIT, SandboxRateLimiter } from "./rate-limit";

export interface SandboxServer {
  /** Base URL of the API, e.g. `http://127.0.0.1:8787/client/v4`. */
  url: string;
  port: number;
  faults: FaultController;
  /** The per-token limit, or null when it is off. */
  limiter: SandboxRateLimiter | null;
  close(): Promise<void>;
}

export type SandboxServerOptions = SandboxOptions & { port?: number; host?: string; enableFaults?: boolean };

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function control(
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultController,
  limiter: SandboxRateLimiter | null,
  url: URL,
) {
  const path = url.pathname;
  if (req.method === "GET" && path === "/__sandbox/stats") {
    // `?span=S` sizes the busiest span reported (default: the limit's window).
    const span = Number(url.searchParams.get("span")) || undefined;
    return sendJson(res, 200, {
      hits: faults.hits,
      inFlight: faults.inFlight,
      requests: faults.requests,
      rateLimit: limiter?.stats(span) ?? null,
    });
  }
  if (req.method === "POST" && path === "/__sandbox/reset") {
    faults.reset();
    limiter?.reset();
    return sendJson(res, 200, { ok: true });
  }
  if (req.method === "POST" && path === "/__sandbox/faults") {
    const body = (await readJson(req).catch(() => null)) as {
      fault?: Fault;
      times?: number;
      persistent?: Fault | null;
    } | null;
    if (body && "persistent" in body) faults.set(body.persistent ?? null);
    else if (body?.fault?.kind) faults.push(body.fault, body.times ?? 1);
    else return sendJson(res, 400, { error: "expected {fault, times?} or {persistent}" });
    return sendJson(res, 200, { ok: true });
  }
  sendJson(res, 404, { error: "not found" });
}

/** Starts the server (port 0 picks a free port); `close()` also ends hung and stalled responses. */
export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const host = options.host ?? "127.0.0.1";
  const faults = options.faults ?? new FaultController();
  const rateLimit = options.rateLimit === undefined ? CLOUDFLARE_RATE_LIMIT : options.rateLimit;
  const limiter = options.limiter ?? (rateLimit && new SandboxRateLimiter(rateLimit));
  const handler = createSandboxHandler({ ...options, faults, limiter });
  const pending = new Set<AbortController>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    if (url.pathname.startsWith("/__sandbox/")) {
      if (options.enableFaults) return control(req, res, faults, limiter, url);
      return sendJson(res, 404, { error: "not found" });
    }
    const abort = new AbortController();
    pending.add(abort);
    res.on("close", () => {
      abort.abort();
      pending.delete(abort);
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    }
    try {
      const response = await handler(
        new Request(`http://${req.headers.host ?? host}${req.url}`, {
          method: req.method,
          headers,
          signal: abort.signal,
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      if (response.body) {
        // Chunks are written as they come, so a stalled body stalls on the wire too.
        for await (const chunk of response.body) res.write(chunk);
      }
      res.end();
    } catch {
      // The client went away (a hung or stalled answer was abandoned): just drop the connection.
      res.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/client/v4`,
    port,
    faults,
    limiter,
    close: () =>
      new Promise<void>((resolve) => {
        for (const abort of pending) abort.abort();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
