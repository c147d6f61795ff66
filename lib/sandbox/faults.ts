/**
 * Test-only fault injection: the failures a client of Cloudflare's API must survive (rate limiting,
 * server errors, hung or stalled connections, HTML error pages, truncated JSON, slowness, pagination
 * that never ends). A controller is shared by the in-process handler and the standalone server.
 */
import { v4Failure } from "./envelope";

export type Fault =
  | { kind: "status"; status: number; retryAfter?: string; body?: string }
  | { kind: "hang" }
  | { kind: "stall" }
  | { kind: "html" }
  | { kind: "truncated" }
  | { kind: "slow"; delayMs: number }
  | { kind: "endless" };

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | null;
}

/** Queued and persistent faults, plus counters and a log of the API requests seen. */
export class FaultController {
  /** Requests seen on `/client/v4/*`. */
  hits = 0;
  /** Requests being answered right now (a hung or stalled one counts until the client gives up). */
  inFlight = 0;
  requests: RecordedRequest[] = [];
  private queue: Fault[] = [];
  private persistent: Fault | null = null;

  /** The next `times` requests get `fault`, then answers are normal again. */
  push(fault: Fault, times = 1): void {
    for (let k = 0; k < times; k++) this.queue.push(fault);
  }

  /** Every request gets `fault` until it is cleared with `null` or {@link reset}. */
  set(fault: Fault | null): void {
    this.persistent = fault;
  }

  reset(): void {
    this.queue = [];
    this.persistent = null;
    this.hits = 0;
    this.requests = [];
  }

  /** Records a request and returns the fault it gets, if any. */
  take(request: Request): Fault | null {
    this.hits++;
    this.requests.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get("authorization"),
    });
    return this.queue.shift() ?? this.persistent;
  }
}

const STATUS_TEXT: Record<number, [number, string]> = {
  429: [971, "Please wait and consider throttling your request speed"],
  500: [10001, "Internal server error"],
  502: [10002, "Bad gateway"],
  503: [10003, "Service temporarily unavailable"],
  504: [10004, "Gateway timeout"],
};

/** The response of a `status` fault: Cloudflare's error envelope unless a body is given. */
export function statusResponse(fault: Extract<Fault, { kind: "status" }>, url: string): Response {
  const headers: Record<string, string> =
    fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {};
  if (fault.body !== undefined) return new Response(fault.body, { status: fault.status, headers });
  const [code, message] = STATUS_TEXT[fault.status] ?? [
    10000 + (fault.status % 1000),
    `HTTP ${fault.status}`,
  ];
  return v4Failure(fault.status, [{ code, message }], url, headers);
}

export function htmlResponse(): Response {
  const page =
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Error 502</h1><p>Bad gateway</p><p>cloudflare</p></body></html>";
  return new Response(page, { status: 200, headers: { "content-type": "text/html; charset=UTF-8" } });
}

export function abortError(): DOMException {
  return new DOMException("The operation was aborted.", "AbortError");
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Never settles, except by rejecting when `signal` aborts. */
export function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(abortError());
    signal.addEventListener("abort", () => reject(abortError()), { once: true });
  });
}

/**
 * A 200 whose body sends its first half, then nothing more until the reader cancels or `signal`
 * aborts; `onEnd` runs once either way.
 */
export function stalledResponse(
  full: Response,
  text: string,
  signal: AbortSignal,
  onEnd: () => void,
): Response {
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text.slice(0, Math.floor(text.length / 2))));
      const onAbort = () => {
        end();
        controller.error(abortError());
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    },
    cancel: end,
  });
  return new Response(body, { status: 200, headers: full.headers });
}
