"use client";

import { Suspense } from "react";
import { Button } from "@/components/ui/button";
import { LinkIcon } from "@/components/ui/icons";
import { lazyWithPreload, preloadOn } from "@/components/ui/lazy";
import { PanelSkeleton } from "@/components/ui/panel-skeleton";
import { Popover } from "@/components/ui/popover";

const SharePanel = lazyWithPreload(() => import("./share-panel").then((m) => m.SharePanel));

/** Copy a link to this view; the panel loads on demand (ahead, when idle or the button is reached). */
export function ShareMenu({ window }: { window: { since: string; before: string } | null }) {
  return (
    <Popover
      label="Share this view"
      align="end"
      className="w-96 space-y-3 p-3"
      trigger={
        <Button data-shortcut="s" title="Share (s)" {...preloadOn(SharePanel)}>
          <LinkIcon className="text-muted" />
          Share
        </Button>
      }
    >
      <Suspense fallback={<PanelSkeleton className="w-full" />}>
        <SharePanel window={window} />
      </Suspense>
    </Popover>
  );
}
