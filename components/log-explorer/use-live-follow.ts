"use client";

import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import {
  LIVE_NEW_MS,
  LIVE_POLL_MS,
  LIVE_PRIORITY,
  LIVE_PRIORITY_HEADER,
  LIVE_TOP_SLACK_PX,
  liveCheckUrl,
  liveSince,
  mergeLive,
} from "@/lib/live-follow";
import { logKeys, type LogPage, type PageParam } from "@/lib/queries";
import type { LogQuery } from "@/lib/search-params";

/** The table's scroll container (log-table.tsx); live mode waits while it is scrolled down. */
const SCROLL_REGION = '[role="region"][aria-label="Audit log entries"]';

export type LiveState =
  | { kind: "off" }
  | { kind: "waiting" }
  | { kind: "paused"; why: "hidden" | "scrolled" }
  | { kind: "checked"; at: number; added: number }
  | { kind: "failed"; at: number };

/** Why a check would be skipped now, or null when it may run. */
function pauseReason(): "hidden" | "scrolled" | null {
  if (document.visibilityState === "hidden") return "hidden";
  const region = document.querySelector<HTMLElement>(SCROLL_REGION);
  return region && region.scrollTop > LIVE_TOP_SLACK_PX ? "scrolled" : null;
}

/**
 * While `on`, asks every {@link LIVE_POLL_MS} for entries newer than the newest loaded one and puts them
 * on top of the loaded list. Nothing is asked while the tab is hidden or the table is scrolled away from
 * the top: nobody would see the rows, and each check spends the shared upstream budget.
 */
export function useLiveFollow(query: LogQuery, on: boolean) {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>({ kind: "waiting" });
  const [fresh, setFresh] = useState<string[]>([]);
  const lastCheck = useRef(0);

  useEffect(() => {
    if (!on) return;
    const key = logKeys.list(query);
    let controller: AbortController | null = null;
    const clearNew = new Set<ReturnType<typeof setTimeout>>();

    const check = async () => {
      const paused = pauseReason();
      if (paused) return setState({ kind: "paused", why: paused });
      const since = liveSince(client.getQueryData<InfiniteData<LogPage, PageParam>>(key));
      if (!since || controller) return;
      controller = new AbortController();
      lastCheck.current = Date.now();
      try {
        const res = await fetch(liveCheckUrl(query, since), {
          signal: controller.signal,
          headers: { accept: "application/json", [LIVE_PRIORITY_HEADER]: LIVE_PRIORITY },
        });
        if (!res.ok) return setState({ kind: "failed", at: Date.now() });
        const page = (await res.json()) as LogPage;
        if (page.nextCursor) {
          // More arrived than one check brings: reload rather than leave a gap in the list.
          await client.resetQueries({ queryKey: key, exact: true });
          return setState({ kind: "checked", at: Date.now(), added: page.data.length });
        }
        let added: string[] = [];
        client.setQueryData<InfiniteData<LogPage, PageParam>>(key, (old) => {
          if (!old) return old;
          const merged = mergeLive(old, page.data);
          added = merged.added.map((row) => row.id);
          return merged.data;
        });
        setState({ kind: "checked", at: Date.now(), added: added.length });
        if (added.length > 0) {
          setFresh((ids) => [...ids, ...added]);
          const timer = setTimeout(() => {
            clearNew.delete(timer);
            setFresh((ids) => ids.filter((id) => !added.includes(id)));
          }, LIVE_NEW_MS);
          clearNew.add(timer);
        }
      } catch (error) {
        if (!(error instanceof DOMException && error.name === "AbortError"))
          setState({ kind: "failed", at: Date.now() });
      } finally {
        controller = null;
      }
    };

    const timer = setInterval(check, LIVE_POLL_MS);
    // Back on the tab after a while: catch up at once instead of waiting for the next tick.
    const onVisible = () => {
      if (document.visibilityState === "visible" && Date.now() - lastCheck.current >= LIVE_POLL_MS)
        void check();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      for (const t of clearNew) clearTimeout(t);
      document.removeEventListener("visibilitychange", onVisible);
      controller?.abort();
    };
  }, [on, query, client]);

  return { state: on ? state : ({ kind: "off" } as LiveState), fresh: on ? fresh : [] };
}
