"use client";

import { useEffect, useState } from "react";
import { withAccount } from "@/lib/account-param";

interface ExportStatus {
  state: "starting" | "running" | "done";
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
export function ExportProgress({ exportId, account }: { exportId: string; account: string | null }) {
  const [status, setStatus] = useState<ExportStatus | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const response = await fetch(withAccount(`/api/logs/export/${exportId}/status`, account), {
        cache: "no-store",
      }).catch(() => null);
      if (stopped) return;
      // An unknown export (404: expired, or another viewer's) is not asked again, nor a finished one; a
      // passing failure is.
      if (response?.status === 404) return;
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
  }, [exportId, account]);

  if (!status) return null;
  const rows = status.rows.toLocaleString("en-US");
  return (
    <p className="text-xs text-muted" role="status" data-testid="export-progress">
      {status.state === "done"
        ? `${status.complete ? "Done" : "Stopped"}: ${rows} rows.`
        : status.state === "starting"
          ? "Starting…"
          : status.pausedUntil
            ? `${rows} rows so far, paused for the API budget.`
            : `${rows} rows so far…`}
    </p>
  );
}
