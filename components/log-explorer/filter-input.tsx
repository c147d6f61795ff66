"use client";

import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { SearchIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/kbd";
import { useExplorer } from "./explorer-context";
import { suggestFilters, type Suggestion } from "./filter-suggestions";

export const QUICK_FILTER_ID = "quick-filter";

/**
 * The quick filter box (`/` focuses it): type a value, pick which field it filters. Suggestions are
 * validated before they are offered; an unusable value says why inline.
 */
export function FilterInput() {
  const { api, search } = useExplorer();
  const [text, setText] = useState("");
  const [highlight, setHighlight] = useState(0);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const errorId = useId();
  const { options, error } = useMemo(() => suggestFilters(text, api), [text, api]);
  const showList = open && text.trim() !== "";

  const apply = (s: Suggestion) => {
    search.addFilter(s.filter.param, s.negated, s.value);
    setText("");
    setHighlight(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (options.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setHighlight((h) => (h + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = options[Math.min(highlight, options.length - 1)];
      if (chosen) apply(chosen);
    } else if (event.key === "Escape") {
      if (text) {
        event.stopPropagation();
        setText("");
      } else event.currentTarget.blur();
    }
  };

  return (
    <div className="relative w-full max-w-sm min-w-56">
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-faint" />
      <input
        id={QUICK_FILTER_ID}
        role="combobox"
        aria-label="Add a filter"
        aria-expanded={showList && options.length > 0}
        aria-controls={showList && !error ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={showList && options.length > 0 ? `${listId}-${highlight}` : undefined}
        aria-invalid={showList && error ? true : undefined}
        aria-describedby={showList && error ? errorId : undefined}
        autoComplete="off"
        spellCheck={false}
        value={text}
        placeholder="Filter by email, IP, resource, field:value…"
        onChange={(e) => {
          setText(e.target.value);
          setHighlight(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className="h-8 w-full rounded-md border border-line bg-surface pr-8 pl-8 text-sm placeholder:text-faint focus-visible:border-accent focus-visible:ring-2 focus-visible:ring-ring/30 focus-visible:outline-none aria-invalid:border-danger"
      />
      <span className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2">
        <Kbd>/</Kbd>
      </span>
      {showList && (
        <div className="absolute top-full right-0 left-0 z-30 mt-1 rounded-lg border border-line bg-surface p-1 shadow-pop">
          {error ? (
            <p id={errorId} role="alert" className="px-2 py-1.5 text-xs text-danger">
              {error}
            </p>
          ) : (
            <ul id={listId} role="listbox" aria-label="Filter suggestions">
              {options.map((s, i) => (
                <li
                  key={`${s.filter.param}-${s.negated}`}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === highlight}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => apply(s)}
                  onMouseEnter={() => setHighlight(i)}
                  className={cn(
                    "flex cursor-pointer items-center gap-1.5 rounded px-2 py-1.5 text-xs",
                    i === highlight && "bg-hover",
                  )}
                >
                  <span className="text-muted">{s.filter.label}</span>
                  <span className={s.negated ? "font-medium text-danger" : "font-medium text-accent"}>
                    {s.negated ? "is not" : "is"}
                  </span>
                  <span className="truncate font-medium">{s.value}</span>
                  {i === highlight && <span className="ml-auto text-2xs text-faint">Enter</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
