"use client";

import { useQueryStates } from "nuqs";
import { useId } from "react";
import { querySearchParams, viewSearchParams } from "@/lib/search-params";

/** An account the viewer may read, as the server lists it for the switcher. */
export interface AccountChoice {
  id: string;
  name: string;
  api: "v2" | "v1";
}

const params = { account: querySearchParams.account, log: viewSearchParams.log };

/**
 * The account being read, for a viewer who may read several: a native select, so the keyboard and
 * screen readers handle it as they handle any. Switching keeps the filters, range and columns (only
 * `account` changes, and the open entry, which belongs to the account left); the viewer's first account
 * is the default and leaves `account` out of the URL.
 */
export function AccountSwitcher({ accounts, current }: { accounts: AccountChoice[]; current: string }) {
  const [, setParams] = useQueryStates(params, { history: "push", scroll: false });
  const id = useId();
  return (
    <span className="flex items-center gap-1.5">
      <label htmlFor={id} className="hidden text-xs text-muted md:inline">
        Account
      </label>
      <select
        id={id}
        aria-label="Account"
        value={current}
        onChange={(event) => {
          const next = event.target.value;
          const api = (id: string) => accounts.find((a) => a.id === id)?.api;
          // An account on the other API version has other filters: the server renders the page again.
          void setParams(
            { account: next === accounts[0].id ? null : next, log: null },
            { shallow: api(next) === api(current) },
          );
        }}
        className="h-7 max-w-48 truncate rounded-md border border-line bg-surface px-2 text-xs focus-visible:ring-2 focus-visible:ring-ring/40 focus-visible:outline-none"
      >
        {accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {account.name}
          </option>
        ))}
      </select>
    </span>
  );
}
