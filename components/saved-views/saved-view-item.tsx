"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { MAX_NAME, viewHref, type SavedView } from "@/lib/saved-views";
import { useAccountParam } from "@/lib/use-account-param";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** One saved view: a link that opens it, and rename and delete. */
export function SavedViewItem({
  view,
  onOpen,
  onRename,
  onDelete,
}: {
  view: SavedView;
  onOpen: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(view.name);
  // A view opens in the account being read: its set is that account's.
  const account = useAccountParam();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = name.trim();
    if (next && next !== view.name) onRename(next);
    setEditing(false);
  };

  if (editing)
    return (
      <li>
        <form onSubmit={submit} className="flex items-center gap-1.5">
          <Input
            autoFocus
            aria-label={`New name for ${view.name}`}
            value={name}
            maxLength={MAX_NAME}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              // Esc leaves the rename, not the whole dialog.
              if (e.key === "Escape") {
                e.preventDefault();
                setName(view.name);
                setEditing(false);
              }
            }}
          />
          <Button type="submit" variant="primary">
            Rename
          </Button>
        </form>
      </li>
    );

  return (
    <li className="group flex items-center gap-1 rounded-md hover:bg-hover">
      <Link
        href={viewHref(view.search, account)}
        onClick={onOpen}
        className="min-w-0 flex-1 truncate rounded-md px-2 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-ring/40 focus-visible:outline-none"
      >
        {view.name}
      </Link>
      <Button variant="ghost" aria-label={`Rename ${view.name}`} onClick={() => setEditing(true)}>
        Rename
      </Button>
      <Button variant="ghost" aria-label={`Delete ${view.name}`} onClick={onDelete}>
        Delete
      </Button>
    </li>
  );
}
