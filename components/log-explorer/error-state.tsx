"use client";

import { useEffect, useState } from "react";
import type { Problem } from "@/lib/queries";
import { Button } from "@/components/ui/button";
import { AlertIcon, RefreshIcon } from "@/components/ui/icons";

/** Seconds left until `until` (a timestamp), ticking once a second; 0 when passed. */
function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

/**
 * A failed request: the server's problem title and detail, the per-parameter errors, and a retry
 * button. An answer with Retry-After says how long to wait, and the retry waits as long.
 */
export function ErrorState({
  problem,
  onRetry,
  failedAt,
}: {
  problem: Problem;
  onRetry: () => void;
  failedAt: number;
}) {
  const [until] = useState(() => (problem.retryAfter ? failedAt + problem.retryAfter * 1000 : null));
  const wait = useCountdown(until);
  const limited = problem.retryAfter !== undefined;
  // Other waits (calls paused after upstream failures, an unavailable upstream) say why in their detail.
  const rateLimited = problem.type?.endsWith("/upstream-rate-limited") ?? false;
  // The dashboard's own pacing: nothing is wrong upstream, the shared call budget is spent for now.
  const budgetSpent = problem.type?.endsWith("/upstream-budget") ?? false;
  return (
    <div
      role="alert"
      className="mx-auto my-10 max-w-xl rounded-lg border border-danger/30 bg-danger-soft/60 p-4"
    >
      <div className="flex items-start gap-3">
        <AlertIcon className="mt-0.5 h-4 w-4 shrink-0 text-danger" />
        <div className="min-w-0 flex-1 space-y-2">
          <h2 className="font-semibold text-fg">
            {problem.title}
            {problem.status > 0 && (
              <span className="ml-2 font-mono text-xs font-normal text-muted">{problem.status}</span>
            )}
          </h2>
          {problem.detail && <p className="text-muted">{problem.detail}</p>}
          {problem.errors && problem.errors.length > 0 && (
            <ul className="list-disc space-y-1 pl-5 text-muted">
              {problem.errors.map((e, i) => (
                <li key={i}>
                  <code className="font-mono text-xs text-fg">{e.parameter}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
          {limited && (
            <p className="text-muted">
              {wait > 0
                ? `${rateLimited ? "Cloudflare is rate limiting requests. " : ""}${budgetSpent ? "The dashboard paces its calls to Cloudflare so the token's shared limit is never exceeded. " : ""}You can retry in ${wait} s.`
                : "The wait is over: you can retry now."}
            </p>
          )}
          <Button onClick={onRetry} disabled={wait > 0}>
            <RefreshIcon /> Retry
          </Button>
        </div>
      </div>
    </div>
  );
}
