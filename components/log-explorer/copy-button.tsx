"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";

/** Copy `text` to the clipboard; `done` is true for a moment after it worked. */
export function useCopy(text: string): { done: boolean; copy: () => Promise<void> } {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      setDone(false);
    }
  };
  return { done, copy };
}

/** Copies text to the clipboard and confirms for a moment. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const { done, copy } = useCopy(text);
  return (
    <Button variant="ghost" size="sm" onClick={copy} aria-label={label}>
      {done ? <CheckIcon className="text-success" /> : <CopyIcon />}
      {done ? "Copied" : label}
    </Button>
  );
}
