import "server-only";

/**
 * Exports share Cloudflare's per-token budget (1,200 requests per 5 minutes) with the admins' own use,
 * so one server instance runs at most this many at a time (security-reliability.md RES-7).
 */
export const MAX_CONCURRENT_EXPORTS = 2;
/** Exports one signed-in viewer may run at a time, so one person cannot take every slot. */
export const MAX_EXPORTS_PER_VIEWER = 1;

/** Seconds a caller refused for too many exports is told to wait. */
export const EXPORT_RETRY_AFTER_SECONDS = 30;

let active = 0;
const byViewer = new Map<string, number>();

export type ExportSlot =
  { ok: true; release: () => void } | { ok: false; reason: "server-busy" | "viewer-busy" };

/**
 * Take an export slot for a viewer, or say why not: every slot of the server in use, or the viewer's own
 * export still running. `viewer` is null when nobody signs in (AUTH_MODE=none): every caller is then the
 * same "anonymous", so only the server's limit applies. The release function is idempotent, so every way
 * an export can end (done, failed, cancelled, timed out) may call it.
 */
export function tryAcquireExportSlot(viewer: string | null): ExportSlot {
  const mine = viewer === null ? 0 : (byViewer.get(viewer) ?? 0);
  if (viewer !== null && mine >= MAX_EXPORTS_PER_VIEWER) return { ok: false, reason: "viewer-busy" };
  if (active >= MAX_CONCURRENT_EXPORTS) return { ok: false, reason: "server-busy" };
  active++;
  if (viewer !== null) byViewer.set(viewer, mine + 1);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    active--;
    if (viewer === null) return;
    const left = (byViewer.get(viewer) ?? 1) - 1;
    if (left > 0) byViewer.set(viewer, left);
    else byViewer.delete(viewer);
  };
  return { ok: true, release };
}

/** Exports running in this process now. */
export function activeExports(): number {
  return active;
}
