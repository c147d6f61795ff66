"use client";

import { lazy, Suspense, useState } from "react";
import type { ApiVersion } from "@/lib/audit-log";
import { Button } from "@/components/ui/button";
import { BookmarkIcon } from "@/components/ui/icons";

// The manager (and its file validation) loads on first open, not with the page.
const SavedViewsDialog = lazy(() =>
  import("./saved-views-dialog").then((m) => ({ default: m.SavedViewsDialog })),
);

/** The header's "Saved views" button; the dialog mounts only once it has been opened. */
export function SavedViewsButton({ account, api }: { account: string; api: ApiVersion }) {
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        onClick={() => {
          setOpened(true);
          setOpen(true);
        }}
        aria-haspopup="dialog"
        aria-label="Saved views"
        title="Saved views"
      >
        <BookmarkIcon className="h-4 w-4" />
        <span className="hidden sm:inline">Views</span>
      </Button>
      {opened && (
        <Suspense fallback={null}>
          <SavedViewsDialog account={account} api={api} open={open} onOpenChange={setOpen} />
        </Suspense>
      )}
    </>
  );
}
