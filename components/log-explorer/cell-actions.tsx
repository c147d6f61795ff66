"use client";

import type { MouseEvent } from "react";
import { Button } from "@/components/ui/button";
import { CheckIcon, CopyIcon, MinusIcon, PlusIcon } from "@/components/ui/icons";
import { useCopy } from "./copy-button";

export interface CellActionsProps {
  /** The value as the cell shows it, which names the buttons. */
  shown: string;
  /** The value as the filter takes it, which is also what is copied. */
  value: string;
  /** False for a value no filter accepts: it can still be copied. */
  canFilter: boolean;
  canExclude: boolean;
  onFilter: (exclude: boolean) => void;
}

/** A click on an action must not also open the row it sits in. */
const only = (action: () => void) => (event: MouseEvent) => {
  event.stopPropagation();
  action();
};

/**
 * Include, exclude and copy for one table cell, as the detail view offers for a field. Rendered only
 * for the cell under the pointer or with keyboard focus, never for every cell of the table.
 */
export function CellActions({ shown, value, canFilter, canExclude, onFilter }: CellActionsProps) {
  const { done, copy } = useCopy(value);
  return (
    <span
      data-cell-actions
      className="absolute inset-y-0 right-0 flex items-center gap-0.5 bg-gradient-to-l from-surface from-70% to-transparent pr-1 pl-4"
    >
      {canFilter && (
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={`Filter by ${shown}`}
          title="Show only entries with this value (+)"
          data-filter-action="include"
          onClick={only(() => onFilter(false))}
        >
          <PlusIcon className="h-3 w-3" />
        </Button>
      )}
      {canFilter && canExclude && (
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={`Exclude ${shown}`}
          title="Hide entries with this value (-)"
          data-filter-action="exclude"
          onClick={only(() => onFilter(true))}
        >
          <MinusIcon className="h-3 w-3" />
        </Button>
      )}
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label={done ? `Copied ${shown}` : `Copy ${shown}`}
        title="Copy this value"
        onClick={only(() => void copy())}
      >
        {done ? <CheckIcon className="h-3 w-3 text-success" /> : <CopyIcon className="h-3 w-3" />}
      </Button>
    </span>
  );
}
