import "server-only";
import { LRUCache } from "lru-cache";
import type { SharedState } from "./shared-state";
import { untilAborted } from "./upstream";
import { ClientAbortError } from "./upstream-errors";

/**
 * Memory bound of the answers kept in this process: their text, counted at two bytes a character. A page
 * of 100 entries is about half a megabyte, so this holds dozens of views; more is not worth the heap.
 */
export const CACHE_BYTES = 16 * 1024 * 1024;
/** How often an instance waiting on another instance's call looks for its answer. */
const POLL_MS = 25;

interface InFlight {
  promise: Promise<string>;
  controller: AbortController;
  waiters: number;
}

export interface Produce {
  /** Makes the answer as text; runs on a signal of its own, aborted once nobody waits for it. */
  (signal: AbortSignal): Promise<string>;
}

export interface CacheOptions {
  /** The caller's signal: aborting it stops this caller's wait at once. */
  signal?: AbortSignal;
  ttlMs: number;
  /** Whether an answer may be kept for others (a partial answer may not); default: always. */
  keep?: (text: string) => boolean;
  /** How long another instance may hold the call before a waiter takes it over (its deadline). */
  lockMs?: number;
}

/**
 * The one cache of upstream answers, with coalescing. Identical concurrent requests share one call and a
 * repeat within the TTL is answered from memory, so many admins on one view (or one reloading) spend the
 * upstream budget once. With a shared store (Redis), instances share the answers and the calls under
 * way too: the first to claim a key's lock calls, the others wait for its answer. Failures are not kept.
 *
 * The shared call runs on its own abort signal: a caller that goes away stops waiting at once, and the
 * call itself is aborted only when nobody in this process waits for it any more. Authorize before
 * calling: the cache answers anyone who asks.
 */
export function createSharedCache({
  remote = null,
  maxBytes = CACHE_BYTES,
}: { remote?: SharedState | null; maxBytes?: number } = {}) {
  const local = new LRUCache<string, string>({
    // Expired answers are dropped on time, not on the next lookup: after a burst the heap shrinks back.
    ttl: 1,
    ttlAutopurge: true,
    maxSize: maxBytes,
    sizeCalculation: (text) => Math.max(1, text.length * 2),
  });
  const inFlight = new Map<string, InFlight>();
  const owner = crypto.randomUUID();

  /** The answer through the shared store: its cached copy, another instance's call, or our own call. */
  async function throughRemote(key: string, produce: Produce, signal: AbortSignal, options: CacheOptions) {
    if (!remote) return produce(signal);
    const valueKey = `cache:${key}`;
    const lockKey = `lock:${key}`;
    for (;;) {
      const found = await remote.get(valueKey);
      if (found !== null) return found;
      if (await remote.claim(lockKey, owner, options.lockMs ?? 60_000)) {
        try {
          const text = await produce(signal);
          if (options.keep?.(text) ?? true) await remote.set(valueKey, text, options.ttlMs);
          return text;
        } finally {
          await remote.delete(lockKey);
        }
      }
      // Another instance is calling: wait for its answer, or take over if its lock goes without one.
      while ((await remote.get(lockKey)) !== null) {
        const text = await remote.get(valueKey);
        if (text !== null) return text;
        await pause(POLL_MS, signal);
      }
    }
  }

  function start(key: string, produce: Produce, options: CacheOptions): InFlight {
    const controller = new AbortController();
    const promise = throughRemote(key, produce, controller.signal, options).then((text) => {
      if (options.keep?.(text) ?? true) local.set(key, text, { ttl: options.ttlMs });
      return text;
    });
    const call: InFlight = { promise, controller, waiters: 0 };
    const forget = () => {
      if (inFlight.get(key) === call) inFlight.delete(key);
    };
    promise.then(forget, forget);
    inFlight.set(key, call);
    return call;
  }

  return {
    local,
    inFlight,
    /** The answer for a key: from memory, from a call already under way, or from a new call. */
    async get(key: string, produce: Produce, options: CacheOptions): Promise<string> {
      const { signal } = options;
      const cached = local.get(key);
      if (cached !== undefined) return cached;
      if (signal?.aborted) throw new ClientAbortError();
      const call = inFlight.get(key) ?? start(key, produce, options);
      call.waiters++;
      try {
        return signal ? await untilAborted(call.promise, signal) : await call.promise;
      } catch (error) {
        throw signal?.aborted ? new ClientAbortError() : error;
      } finally {
        if (--call.waiters === 0) {
          // The last caller left before the answer: end the call and let the next caller start afresh.
          if (inFlight.get(key) === call) inFlight.delete(key);
          call.controller.abort();
        }
      }
    },
    /**
     * The answer for a key without calling for it: kept here, on its way from a call this process is
     * making, or kept in the shared store. Null when there is none.
     */
    async peek(key: string): Promise<string | null> {
      const found = local.get(key);
      if (found !== undefined) return found;
      const call = inFlight.get(key);
      if (call) return call.promise;
      return remote ? remote.get(`cache:${key}`) : null;
    },
    /** Keep an answer made elsewhere (a small index pointing at another key, say) for `ttlMs`. */
    async put(key: string, text: string, ttlMs: number): Promise<void> {
      local.set(key, text, { ttl: ttlMs });
      if (remote) await remote.set(`cache:${key}`, text, ttlMs);
    },
    /** Forget every answer kept in this process (calls under way finish normally). */
    clear: () => local.clear(),
  };
}

export type SharedCache = ReturnType<typeof createSharedCache>;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ClientAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClientAbortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
