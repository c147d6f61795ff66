"use client";

import { Button } from "@/components/ui/button";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";
import { useCopy } from "./copy-button";

/** A small icon button copying one field's value, for the detail view's rows. */
export function CopyValueButton({ text, label }: { text: string; label: string }) {
  const { done, copy } = useCopy(text);
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      aria-label={done ? `Copied ${label}` : `Copy ${label}`}
      title="Copy this value"
      onClick={copy}
      className="shrink-0 opacity-60 group-hover:opacity-100 focus-visible:opacity-100"
    >
      {done ? <CheckIcon className="h-3 w-3 text-success" /> : <CopyIcon className="h-3 w-3" />}
    </Button>
  );
}
