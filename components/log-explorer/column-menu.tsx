"use client";

import { Suspense } from "react";
import { Button } from "@/components/ui/button";
import { ColumnsIcon } from "@/components/ui/icons";
import { lazyWithPreload, preloadOn } from "@/components/ui/lazy";
import { PanelSkeleton } from "@/components/ui/panel-skeleton";
import { Popover } from "@/components/ui/popover";
import type { LogTableInstance } from "./use-log-table";

const ColumnPanel = lazyWithPreload(() => import("./column-panel").then((m) => m.ColumnPanel));

/** Show, hide and reorder columns; the list loads on demand (ahead, when idle or the button is reached). */
export function ColumnMenu({ table }: { table: LogTableInstance }) {
  return (
    <Popover
      label="Columns"
      align="end"
      className="w-72 p-1"
      trigger={
        <Button {...preloadOn(ColumnPanel)}>
          <ColumnsIcon className="text-muted" />
          Columns
        </Button>
      }
    >
      <Suspense fallback={<PanelSkeleton className="w-full" />}>
        <ColumnPanel table={table} />
      </Suspense>
    </Popover>
  );
}
