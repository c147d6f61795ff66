"use client";

import { useQueryState } from "nuqs";
import { querySearchParams } from "./search-params";

/** The page's `account` parameter (null: the viewer's first account), for requests outside the query. */
export function useAccountParam(): string | null {
  const [account] = useQueryState("account", querySearchParams.account);
  return account;
}
