"use client";

import { cn } from "@/components/ui/cn";
import { capabilities } from "@/lib/capabilities";
import { useExplorer } from "./explorer-context";

const CHOICES = [
  { value: null, label: "Everyone", title: "People and automation" },
  {
    value: "exclude",
    label: "People",
    title: "People only: no API tokens, API keys, OAuth apps or API calls",
  },
  {
    value: "only",
    label: "Automation",
    title: "Automation only: API tokens, API keys, OAuth apps and API calls",
  },
] as const;

/**
 * People only, automation only, or everyone (`automation` in the URL): the quick filter an admin
 * reaches for first. v2 only: v1 entries carry no actor context to tell them apart.
 */
export function AutomationToggle() {
  const { api, search } = useExplorer();
  if (!capabilities(api).automation) return null;
  const current = search.search.automation;
  return (
    <div role="group" aria-label="Actors" className="flex h-7 rounded-md border border-line p-0.5 text-xs">
      {CHOICES.map((c) => (
        <button
          key={c.label}
          type="button"
          aria-pressed={current === c.value}
          title={c.title}
          onClick={() => search.setAutomation(c.value)}
          className={cn(
            "rounded px-2 font-medium",
            current === c.value ? "bg-hover text-fg shadow-xs" : "text-muted hover:text-fg",
          )}
        >
          {c.label}
        </button>
      ))}
    </div>
  );
}
