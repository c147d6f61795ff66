"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { useState, type ReactNode } from "react";
import { ApiError } from "@/lib/queries";

function shouldRetry(failureCount: number, error: unknown): boolean {
  // Bad input, sign-in and rate limits do not improve by asking again at once; transient upstream
  // faults get one more try.
  if (error instanceof ApiError) {
    const { status } = error.problem;
    return failureCount < 1 && (status === 502 || status === 504);
  }
  return failureCount < 1;
}

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false },
    },
  });
}

/** Client-side context: the data cache and the URL state adapter. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      <NuqsAdapter>{children}</NuqsAdapter>
    </QueryClientProvider>
  );
}
