"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format";
import {
  completionAt,
  fieldHints,
  formatQueryText,
  parseQueryText,
  type QueryTextError,
} from "@/lib/query-text";
import { valueHints } from "@/lib/value-hints";
import { useExplorer } from "./explorer-context";
import { useLoadedRows, useOverviewStats } from "./use-overview-stats";

interface Hint {
  label: string;
  insert: string;
  count?: number;
}

/**
 * The active filters as one editable line of text (`email:a@x.com -type:delete …`). Enter applies the
 * whole line, replacing the filters; the chips and the URL follow, and the text follows them in turn.
 * Field names and values are completed as you type; a wrong term is refused and named.
 */
export function QueryTextBox() {
  const { api, search } = useExplorer();
  const stats = useOverviewStats(search.query);
  const rows = useLoadedRows(search.query);
  const current = formatQueryText(search.query);
  const [draft, setDraft] = useState<string | null>(null);
  const [caret, setCaret] = useState(0);
  const [errors, setErrors] = useState<QueryTextError[]>([]);
  const [highlight, setHighlight] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const errorId = useId();
  const text = draft ?? current;

  const completion = draft === null ? null : completionAt(text, caret, api);
  const hints: Hint[] = !completion
    ? []
    : completion.kind === "field"
      ? fieldHints(completion.typed, api).map((name) => ({ label: `${name}:`, insert: `${name}:` }))
      : valueHints(completion.filter!, completion.typed, stats, rows).map((h) => ({
          label: h.value,
          insert: /^[^\s,"\\]+$/.test(h.value) ? h.value : `"${h.value.replace(/[\\"]/g, "\\$&")}"`,
          count: h.count,
        }));
  const showHints = hints.length > 0 && !(hints.length === 1 && hints[0].insert === completion?.typed);

  const edit = (value: string, at: number) => {
    setDraft(value);
    setCaret(at);
    setHighlight(0);
    setErrors([]);
  };
  const accept = (hint: Hint) => {
    if (!completion) return;
    const next = text.slice(0, completion.from) + hint.insert + text.slice(completion.to);
    const at = completion.from + hint.insert.length;
    edit(next, at);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  };
  const apply = () => {
    const result = parseQueryText(text, api);
    if (!result.ok) return setErrors(result.errors);
    search.setFilters(result.filters);
    setDraft(null);
    setErrors([]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (showHints && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setHighlight((h) => (h + step + hints.length) % hints.length);
    } else if (showHints && event.key === "Tab") {
      event.preventDefault();
      accept(hints[Math.min(highlight, hints.length - 1)]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      apply();
    } else if (event.key === "Escape" && draft !== null) {
      event.stopPropagation();
      setDraft(null);
      setErrors([]);
    }
  };

  return (
    <div className="relative max-w-xl min-w-48 flex-1">
      <input
        ref={input}
        role="combobox"
        aria-label="Filters as text"
        aria-expanded={showHints}
        aria-controls={showHints ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={showHints ? `${listId}-${highlight}` : undefined}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={errors.length > 0 ? errorId : undefined}
        autoComplete="off"
        spellCheck={false}
        value={text}
        placeholder="email:alice@example.com -type:delete ip:203.0.113.0/24 (Enter applies)"
        onChange={(e) => edit(e.target.value, e.target.selectionStart ?? e.target.value.length)}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onKeyDown={onKeyDown}
        className="h-7 w-full rounded-md border border-line bg-surface px-2 font-mono text-xs placeholder:text-faint focus-visible:border-accent focus-visible:ring-2 focus-visible:ring-ring/30 focus-visible:outline-none aria-invalid:border-danger"
      />
      {showHints && (
        <ul
          id={listId}
          role="listbox"
          aria-label="Completions"
          className="absolute top-full left-0 z-30 mt-1 min-w-64 rounded-lg border border-line bg-surface p-1 shadow-pop"
        >
          {hints.map((hint, i) => (
            <li
              key={hint.label}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === highlight}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => accept(hint)}
              className={cn(
                "flex cursor-pointer items-center gap-2 rounded px-2 py-1 font-mono text-xs",
                i === highlight && "bg-hover",
              )}
            >
              <span className="truncate">{hint.label}</span>
              {hint.count !== undefined && (
                <span className="ml-auto text-faint tabular-nums">{formatCount(hint.count)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {errors.length > 0 && (
        <ul id={errorId} role="alert" className="mt-1 text-xs text-danger">
          {errors.map((e) => (
            <li key={`${e.term}:${e.message}`}>{e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
