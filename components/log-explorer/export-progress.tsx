"use client";

import { useEffect, useState } from "react";

interface ExportStatus {
  state: "running" | "done";
  rows: number;
  pausedUntil: string | null;
  complete?: boolean;
}

/** How often the menu asks how far the download has got. */
const POLL_MS = 2_000;

/**
 * How far the running export has got: rows so far, and "paused for the API budget" while it waits for
 * calls (the download stays open and goes on). The browser's download bar shows bytes but not why a
 * download has stalled; this says so. Stops polling once the export has ended or is unknown.
 */
export function ExportProgress({ exportId }: { exportId: string }) {
  const [status, setStatus] = useState<ExportStatus | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const response = await fetch(`/api/logs/export/${exportId}/status`, { cache: "no-store" }).catch(
        () => null,
      );
      if (stopped) return;
      // Not started yet (404) or a passing failure: ask again; a finished export is not asked again.
      const next = response?.ok ? ((await response.json()) as ExportStatus) : null;
      if (stopped) return;
      if (next) setStatus(next);
      if (next?.state !== "done") timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [exportId]);

  if (!status) return null;
  const rows = status.rows.toLocaleString("en-US");
  return (
    <p className="text-xs text-muted" role="status" data-testid="export-progress">
      {status.state === "done"
        ? `${status.complete ? "Done" : "Stopped"}: ${rows} rows.`
        : status.pausedUntil
          ? `${rows} rows so far, paused for the API budget.`
          : `${rows} rows so far…`}
    </p>
  );
}
