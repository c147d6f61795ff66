import "server-only";
import type { Config } from "./config";
import { getSharedState, resetSharedState, type SharedState } from "./shared-state";

/**
 * Short-lived values that every instance must see: export manifests and the export ids handed out
 * before a download. They live in the shared state (Redis with `REDIS_URL`, this process otherwise);
 * while Redis is unreachable, values go to this process so an export still gets its manifest (readable
 * on this instance only).
 */
export type ValueStore = Pick<SharedState, "get" | "set" | "claim" | "delete">;

/** The store of a configuration: the shared state, on the one Redis connection of the process. */
export function getValueStore(config: Pick<Config, "redisUrl">): ValueStore {
  return getSharedState(config);
}

/** Start from an empty store in this process (tests). */
export function resetValueStore(): void {
  resetSharedState();
}
