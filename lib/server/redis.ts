import "server-only";
import Redis from "ioredis";
import type { Config } from "./config";

/**
 * The Redis connection that instances share state through, one per URL and process; null without
 * `REDIS_URL`. Commands fail at once while the connection is down (no offline queue), so callers fall
 * back to local state instead of waiting: an outage must not stall requests.
 */
const clients = new Map<string, Redis>();

export function getRedis(config: Pick<Config, "redisUrl">): Redis | null {
  if (!config.redisUrl) return null;
  let client = clients.get(config.redisUrl);
  if (!client) {
    client = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Keep reconnecting, at most every 2 s, so shared state returns as soon as Redis does.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    let down = false;
    client.on("error", (error: Error) => {
      if (down) return;
      down = true;
      console.warn(`Redis at ${redactUrl(config.redisUrl)} unreachable: ${error.message}; using local state`);
    });
    client.on("ready", () => {
      if (down) console.info(`Redis at ${redactUrl(config.redisUrl)} reachable again: state is shared`);
      down = false;
    });
    clients.set(config.redisUrl, client);
  }
  return client;
}

/** A Redis URL without its password, for log lines. */
export function redactUrl(url: string | null): string {
  if (!url) return "";
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "redis";
  }
}

/** Close every connection (tests, shutdown). */
export async function closeRedis(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.quit().catch(() => c.disconnect())));
}
