"use client";

import { hashKey, useQueryClient, type QueryKey, type QueryState } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";

/**
 * What `read` picks from the cached state of the query under `queryKey`, kept current: a lookup by the
 * key's hash on each change of the cache, with no observer of its own (an observer per reader would
 * be told of every change and build a result for each, on every filter click, for each of the many
 * places that read the table's pages and the overview's counts). Never fetches.
 */
export function useCachedQuery<T>(
  queryKey: QueryKey,
  read: (state: QueryState | undefined) => T,
  /** What the server rendered, when it differs: the first render in the browser gives it too. */
  rendered?: () => T,
): T {
  const cache = useQueryClient().getQueryCache();
  // `queryKey` is rebuilt on each render: its hash, not its identity, says whether it changed.
  const hash = hashKey(queryKey);
  const subscribe = useCallback((onChange: () => void) => cache.subscribe(onChange), [cache]);
  const snapshot = () => read(cache.get(hash)?.state);
  return useSyncExternalStore(subscribe, snapshot, rendered ?? snapshot);
}
