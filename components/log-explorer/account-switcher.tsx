"use client";

import { useId } from "react";
import { useExplorer } from "./explorer-context";

/** An account the viewer may read, as the server lists it for the switcher. */
export interface AccountChoice {
  id: string;
  name: string;
  api: "v2" | "v1";
}

/**
 * The account being read, for a viewer who may read several: a native select, so the keyboard and
 * screen readers handle it as they handle any. Switching keeps the filters, range and columns (only
 * `account` changes, and the open entry, which belongs to the account left); the viewer's first account
 * is the default and leaves `account` out of the URL.
 */
export function AccountSwitcher({ accounts, current }: { accounts: AccountChoice[]; current: string }) {
  const { search } = useExplorer();
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
          search.setAccount(next === accounts[0].id ? null : next, api(next) !== api(current));
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
