import "server-only";
import type { SharedState } from "./shared-state";

/**
 * Exports share Cloudflare's per-token budget (1,200 requests per 5 minutes) with the admins' own use,
 * so the dashboard runs at most this many at a time, on all its instances together when they share Redis.
 */
export const MAX_CONCURRENT_EXPORTS = 2;
/** Exports one signed-in viewer may run at a time, so one person cannot take every slot. */
export const MAX_EXPORTS_PER_VIEWER = 1;

/** Seconds a caller refused for too many exports is told to wait. */
export const EXPORT_RETRY_AFTER_SECONDS = 30;

const SLOTS = "export-slots";
const viewerSlots = (viewer: string) => `export-viewer:${viewer}`;

/** Exports running in this process. */
let active = 0;

export type ExportSlot =
  { ok: true; release: () => void } | { ok: false; reason: "server-busy" | "viewer-busy" };

/**
 * Take an export slot for a viewer, or say why not: every slot in use, or the viewer's own export still
 * running. `viewer` is null when nobody signs in (AUTH_MODE=none): every caller is then the same
 * "anonymous", so only the overall limit applies. Slots live in the shared state and expire after
 * `ttlMs` (the export's deadline and a margin), so an instance that dies does not keep its slot. The
 * release function is idempotent, so every way an export can end may call it.
 */
export async function tryAcquireExportSlot(
  state: SharedState,
  viewer: string | null,
  ttlMs: number,
): Promise<ExportSlot> {
  const id = crypto.randomUUID();
  if (viewer !== null && !(await state.enter(viewerSlots(viewer), id, MAX_EXPORTS_PER_VIEWER, ttlMs)))
    return { ok: false, reason: "viewer-busy" };
  if (!(await state.enter(SLOTS, id, MAX_CONCURRENT_EXPORTS, ttlMs))) {
    if (viewer !== null) await state.leave(viewerSlots(viewer), id);
    return { ok: false, reason: "server-busy" };
  }
  active++;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    active--;
    void state.leave(SLOTS, id).catch(() => {});
    if (viewer !== null) void state.leave(viewerSlots(viewer), id).catch(() => {});
  };
  return { ok: true, release };
}

/** Exports running in this process now. */
export function activeExports(): number {
  return active;
}
