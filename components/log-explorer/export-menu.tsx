"use client";

import { Suspense, useState } from "react";
import { Button } from "@/components/ui/button";
import { DownloadIcon } from "@/components/ui/icons";
import { lazyWithPreload, preloadOn } from "@/components/ui/lazy";
import { PanelSkeleton } from "@/components/ui/panel-skeleton";
import { Popover } from "@/components/ui/popover";
import type { ExportChoices } from "./export-panel";

const ExportPanel = lazyWithPreload(() => import("./export-panel").then((m) => m.ExportPanel));

/**
 * Export every matching entry as CSV or NDJSON. The panel loads on demand (ahead, when idle or the
 * button is reached); the choices made in it live here, so they survive closing it.
 */
export function ExportMenu({ window }: { window: { since: string; before: string } | null }) {
  const [choices, setChoices] = useState<ExportChoices>({
    format: "csv",
    scope: "visible",
    lastExport: null,
  });
  return (
    <Popover
      label="Export entries"
      align="end"
      className="w-80 space-y-3 p-3"
      trigger={
        <Button data-shortcut="e" title="Export (e)" {...preloadOn(ExportPanel)}>
          <DownloadIcon className="text-muted" />
          Export
        </Button>
      }
    >
      <Suspense fallback={<PanelSkeleton className="w-full" />}>
        <ExportPanel
          window={window}
          choices={choices}
          onChoices={(change) => setChoices((current) => ({ ...current, ...change }))}
        />
      </Suspense>
    </Popover>
  );
}
