"use client";

import { Badge } from "@/components/ui/badge";
import { SavedViewsButton } from "@/components/saved-views/saved-views-button";
import { Button } from "@/components/ui/button";
import { AlertIcon, KeyboardIcon } from "@/components/ui/icons";
import { AccountSwitcher, type AccountChoice } from "./account-switcher";
import { ArchiveIndicator } from "./archive-indicator";
import { ThemeToggle } from "./theme-toggle";

export interface AppHeaderProps {
  mode: "sandbox" | "cloudflare";
  api: "v2" | "v1";
  /** The Cloudflare account read now: saved views are kept per account (no views without it). */
  account?: string;
  /** The accounts the viewer may read, the default first: the switcher shows with two or more. */
  accounts?: AccountChoice[];
  authMode: "access" | "basic" | "none" | null;
  /** Access runs without an allow-list (ACCESS_ALLOW_ANY_EMAIL=true). */
  anyAccessEmail?: boolean;
  viewerEmail: string | null;
  /** The local archive is on (ARCHIVE=on): the header shows its state. */
  archive?: boolean;
  onShowShortcuts: () => void;
}

/** Product name, data source, the signed-in user and page-wide controls; the open-access warnings. */
export function AppHeader({
  mode,
  api,
  account,
  accounts = [],
  authMode,
  anyAccessEmail = false,
  viewerEmail,
  archive = false,
  onShowShortcuts,
}: AppHeaderProps) {
  return (
    <>
      <header className="flex h-12 shrink-0 items-center gap-3 border-b border-line bg-surface px-4">
        <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden className="shrink-0 text-accent">
          <rect width="32" height="32" rx="7" fill="currentColor" />
          <path
            d="M9 11h14M9 16h10M9 21h6"
            stroke="var(--accent-fg)"
            strokeWidth="2.5"
            strokeLinecap="round"
          />
        </svg>
        <h1 className="text-sm font-semibold tracking-tight whitespace-nowrap">Audit Log Explorer</h1>
        {mode === "sandbox" && (
          <Badge
            tone="warning"
            title="No Cloudflare token is configured: these entries are generated sample data."
          >
            Sandbox data
          </Badge>
        )}
        <span className="hidden sm:inline-flex">
          <Badge tone="neutral" title={`Cloudflare audit logs API ${api}`}>
            API {api}
          </Badge>
        </span>
        <ArchiveIndicator enabled={archive} />
        {account && accounts.length > 1 && <AccountSwitcher accounts={accounts} current={account} />}
        <div className="ml-auto flex items-center gap-1">
          {viewerEmail && (
            <span className="mr-2 hidden max-w-64 truncate text-xs text-muted sm:inline" title="Signed in">
              {viewerEmail}
            </span>
          )}
          {account && <SavedViewsButton account={account} api={api} />}
          <Button
            variant="ghost"
            size="icon"
            onClick={onShowShortcuts}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
          >
            <KeyboardIcon className="h-4 w-4" />
          </Button>
          <ThemeToggle />
        </div>
      </header>
      {mode === "cloudflare" && authMode === "none" && (
        <div
          role="alert"
          className="flex items-center gap-2 border-b border-danger/30 bg-danger-soft px-4 py-2 text-xs text-danger"
        >
          <AlertIcon className="shrink-0" />
          <span>
            <strong>Sign-in is off (AUTH_MODE=none).</strong> Anyone who can reach this server can read your
            audit logs.
          </span>
        </div>
      )}
      {authMode === "access" && anyAccessEmail && (
        <div
          role="alert"
          className="flex items-center gap-2 border-b border-danger/30 bg-danger-soft px-4 py-2 text-xs text-danger"
        >
          <AlertIcon className="shrink-0" />
          <span>
            <strong>No email allow-list (ACCESS_ALLOW_ANY_EMAIL=true).</strong> Anyone Cloudflare Access
            admits can sign in and read these audit logs.
          </span>
        </div>
      )}
    </>
  );
}
