"use client";

import { useState, type FormEvent } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import { MAX_NAME, viewSearch } from "@/lib/saved-views";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { SavedViewItem } from "./saved-view-item";
import { SavedViewsTransfer } from "./saved-views-transfer";
import { useSavedViews } from "./use-saved-views";

/**
 * Save the current view under a name, and open, rename, delete, export and import saved views. A view
 * is the page's URL minus the open entry, so opening one is following a link.
 */
export function SavedViewsDialog({
  account,
  api,
  open,
  onOpenChange,
}: {
  account: string;
  api: ApiVersion;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const saved = useSavedViews(account, api);
  const [name, setName] = useState("");
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const save = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    saved.save({ name: trimmed, search: viewSearch(window.location.search) });
    setName("");
    setMessage({ text: `Saved "${trimmed}".`, error: false });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      labelledBy="saved-views-title"
      describedBy="saved-views-hint"
      className="w-[min(520px,calc(100vw-2rem))]"
    >
      <div className="space-y-4 p-5">
        <div>
          <h2 id="saved-views-title" className="text-sm font-semibold">
            Saved views
          </h2>
          <p id="saved-views-hint" className="mt-1 text-xs text-muted">
            Filters, time range, columns and time zone, kept in this browser for this account.
          </p>
        </div>
        <form onSubmit={save} className="flex gap-2">
          <Input
            aria-label="Name of the current view"
            placeholder="Name the current view"
            value={name}
            maxLength={MAX_NAME}
            onChange={(e) => setName(e.target.value)}
          />
          <Button type="submit" variant="primary" size="md" disabled={!name.trim()}>
            Save view
          </Button>
        </form>
        {saved.starting && saved.views.length > 0 && (
          <p className="text-xs text-muted">
            Starting views for security reviews: keep, rename or delete them.
          </p>
        )}
        {saved.unreadable && (
          <p role="alert" className="text-xs text-danger">
            The saved views in this browser could not be read ({saved.unreadable}); saving starts a new set.
          </p>
        )}
        {saved.views.length > 0 ? (
          <ul aria-label="Saved views" className="max-h-72 space-y-0.5 overflow-y-auto">
            {saved.views.map((view) => (
              <SavedViewItem
                key={view.name}
                view={view}
                onOpen={() => onOpenChange(false)}
                onRename={(to) => saved.rename(view.name, to)}
                onDelete={() => saved.remove(view.name)}
              />
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted">No saved views yet.</p>
        )}
        <SavedViewsTransfer
          account={account}
          views={saved.views}
          onImport={saved.add}
          onMessage={setMessage}
        />
        {message && (
          <p
            role={message.error ? "alert" : "status"}
            className={message.error ? "text-xs text-danger" : "text-xs text-muted"}
          >
            {message.text}
          </p>
        )}
      </div>
    </Dialog>
  );
}
