"use client";

import { useEffect } from "react";

/** Shown if rendering the page fails unexpectedly; data errors are shown inside the explorer instead. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div
        role="alert"
        className="max-w-md rounded-xl border border-line bg-surface p-6 text-center shadow-pop"
      >
        <h1 className="text-base font-semibold">Something went wrong</h1>
        <p className="mt-1 text-muted">
          The page could not be shown.{error.digest ? ` Reference: ${error.digest}.` : ""} The server log has
          the details.
        </p>
        <button
          type="button"
          onClick={reset}
          className="mt-4 inline-flex h-8 items-center rounded-md bg-accent px-3 text-sm font-medium text-accent-fg hover:opacity-90"
        >
          Try again
        </button>
      </div>
    </main>
  );
}
