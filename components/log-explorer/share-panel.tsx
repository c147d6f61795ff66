"use client";

import { useRef, useState } from "react";
import { formatWindow } from "@/lib/format";
import { serializeSearch } from "@/lib/search-params";
import { Button } from "@/components/ui/button";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";
import { useExplorer } from "./explorer-context";

/**
 * The share menu's panel. Copies the page link: as it is (a relative range stays relative, "the last 24
 * hours" whenever it is opened), or pinned to the absolute window on screen now, for an incident report.
 */
export function SharePanel({ window: shown }: { window: { since: string; before: string } | null }) {
  const { zone, search } = useExplorer();
  const [pinned, setPinned] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const relative = !search.query.since;
  const params = pinned && shown ? { ...search.search, range: null, ...shown } : search.search;
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const url = `${origin}/${serializeSearch(params)}`;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(url);
    } catch {
      inputRef.current?.select();
      setCopied(document.execCommand("copy") ? url : null);
    }
  };

  return (
    <>
      <h3 className="text-xs font-semibold">Copy link to this view</h3>
      {relative && (
        <label className="flex items-start gap-2 text-xs">
          <input
            type="checkbox"
            checked={pinned}
            disabled={!shown}
            onChange={(e) => setPinned(e.target.checked)}
            className="mt-0.5 accent-[var(--accent)]"
          />
          <span>
            Pin the time range
            <span className="block text-muted">
              {shown ? formatWindow(shown.since, shown.before, zone) : "Available once entries have loaded"}{" "}
              instead of a moving window
            </span>
          </span>
        </label>
      )}
      <input
        ref={inputRef}
        readOnly
        value={url}
        aria-label="Link"
        onFocus={(e) => e.currentTarget.select()}
        className="h-8 w-full rounded-md border border-line bg-subtle px-2 font-mono text-2xs text-muted"
      />
      <Button variant="primary" size="md" className="w-full justify-center" onClick={copy}>
        {copied === url ? <CheckIcon /> : <CopyIcon />}
        {copied === url ? "Copied" : "Copy link"}
      </Button>
    </>
  );
}
