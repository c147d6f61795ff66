import "server-only";

/**
 * Exports share Cloudflare's per-token budget (1,200 requests per 5 minutes) with the admins' own use,
 * so one server instance runs at most this many at a time.
 */
export const MAX_CONCURRENT_EXPORTS = 2;

/** Seconds a caller refused for too many exports is told to wait. */
export const EXPORT_RETRY_AFTER_SECONDS = 30;

let active = 0;

/**
 * Take an export slot, or null when all are in use. The returned release function is idempotent, so
 * every way an export can end (done, failed, cancelled, timed out) may call it.
 */
export function tryAcquireExportSlot(limit: number = MAX_CONCURRENT_EXPORTS): (() => void) | null {
  if (active >= limit) return null;
  active++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    active--;
  };
}

/** Exports running in this process now. */
export function activeExports(): number {
  return active;
}
