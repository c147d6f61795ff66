"use client";

import { queryOptions, useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";

/** `GET /api/archive`, as far as the header uses it. */
export interface ArchiveState {
  state: "off" | "backfilling" | "following" | "paused" | "error";
  entries?: number;
  lagSeconds?: number | null;
  lastError?: string | null;
  progress?: number | null;
}

/** The archive moves slowly (a run per ARCHIVE_INTERVAL): a look every half minute is enough. */
export const ARCHIVE_POLL_MS = 30_000;

async function fetchArchiveState(signal?: AbortSignal): Promise<ArchiveState> {
  const response = await fetch("/api/archive", { signal, headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`archive status: HTTP ${response.status}`);
  return (await response.json()) as ArchiveState;
}

function lagText(seconds: number): string {
  if (seconds < 90) return `${seconds} s behind`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min behind`;
  return `${Math.round(seconds / 3600)} h behind`;
}

/** What the header shows for a state: label, tone and a longer explanation. */
export function describeArchive(status: ArchiveState): {
  label: string;
  tone: "neutral" | "success" | "warning" | "danger" | "accent";
  title: string;
} | null {
  const entries = status.entries?.toLocaleString("en-US") ?? "0";
  switch (status.state) {
    case "off":
      return null;
    case "backfilling": {
      const percent = Math.floor((status.progress ?? 0) * 100);
      return {
        label: `Archive ${percent}%`,
        tone: "accent",
        title: `The local archive is copying the audit log (${entries} entries so far).`,
      };
    }
    case "following":
      return {
        label: `Archive · ${lagText(status.lagSeconds ?? 0)}`,
        tone: "success",
        title: `The local archive holds ${entries} entries and follows new ones.`,
      };
    case "paused":
      return {
        label: "Archive paused",
        tone: "warning",
        title: `The archive waits for the API budget or rate limit: ${status.lastError ?? ""}`.trim(),
      };
    case "error":
      return {
        label: "Archive error",
        tone: "danger",
        title: `The archive's last run failed: ${status.lastError ?? "unknown error"}`,
      };
  }
}

/** Fetched once enabled, then every half minute, and no more once the server says the archive is off. */
export function archiveStatusQueryOptions(enabled: boolean) {
  return queryOptions({
    queryKey: ["archive-status"],
    queryFn: ({ signal }) => fetchArchiveState(signal),
    enabled,
    refetchInterval: (query) => (query.state.data?.state === "off" ? false : ARCHIVE_POLL_MS),
    refetchOnWindowFocus: false,
    retry: false,
  });
}

/**
 * The archive's state in the header. Fetched by the browser after the page is shown (never during
 * server rendering, so it does not hold the first paint), then every half minute; not at all when the
 * archive is off.
 */
export function ArchiveIndicator({ enabled }: { enabled: boolean }) {
  const { data } = useQuery(archiveStatusQueryOptions(enabled));
  const shown = data && describeArchive(data);
  if (!enabled || !shown) return null;
  return (
    <span className="hidden sm:inline-flex" data-testid="archive-indicator" data-state={data.state}>
      <Badge tone={shown.tone} title={shown.title} role="status">
        {shown.label}
      </Badge>
    </span>
  );
}
