"use client";

import { useId, useState, type FormEvent } from "react";
import type { FieldId, FilterDef, FilterKind } from "@/lib/audit-log";
import { checkFilterValue, type FilterKey } from "@/lib/search-params";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CloseIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { valueLabel } from "./cell-value";
import { useExplorer } from "./explorer-context";
import { ValueCount } from "./value-count";

const PLACEHOLDERS: Record<FilterKind, string> = {
  enum: "Another value",
  email: "alice@example.com",
  ip: "198.51.100.7 or 10.0.0.0/8",
  number: "403",
  text: "Exact value",
};

export interface ModeProps {
  filter: FilterDef;
  exclude: boolean;
  values: string[];
  filterKey: FilterKey;
}

/** The known values of an enum filter, and any other value in use (Cloudflare adds values), as checkboxes. */
export function EnumOptions({ filter, exclude, values, filterKey }: ModeProps) {
  const { search } = useExplorer();
  const known = filter.options ?? [];
  return (
    <ul className="space-y-0.5">
      {[...known, ...values.filter((v) => !known.includes(v))].map((option) => {
        const checked = values.includes(option);
        return (
          <li key={option}>
            <label className="flex cursor-pointer items-center gap-2 rounded px-1.5 py-1 hover:bg-hover">
              <input
                type="checkbox"
                checked={checked}
                onChange={() =>
                  checked
                    ? search.removeFilter(filterKey, option)
                    : search.addFilter(filter.param, exclude, option)
                }
                className="h-3.5 w-3.5 accent-[var(--accent)]"
              />
              <span>{filter.field ? valueLabel(filter.field as FieldId, option) : option}</span>
              {filter.field && valueLabel(filter.field as FieldId, option) !== option && (
                <span className="ml-auto font-mono text-2xs text-faint">{option}</span>
              )}
              <ValueCount param={filter.param} value={option} />
            </label>
          </li>
        );
      })}
    </ul>
  );
}

/** Free entry of values, each checked (as the URL model checks it) before it becomes a filter. */
export function ValueEntry({ filter, kind, exclude, values, filterKey }: ModeProps & { kind: FilterKind }) {
  const { api, search } = useExplorer();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    const problem = checkFilterValue(filter, value, api);
    if (problem) return setError(problem);
    search.addFilter(filter.param, exclude, value);
    setText("");
    setError(null);
  };
  return (
    <div className="space-y-2">
      <form onSubmit={submit} className="flex gap-1.5">
        <Input
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          aria-label={`${exclude ? "Exclude" : "Add"} ${filter.label.toLowerCase()}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          placeholder={PLACEHOLDERS[kind]}
          className={cn("h-7 text-xs", (kind === "ip" || kind === "number") && "font-mono")}
          autoFocus={kind !== "enum"}
        />
        <Button type="submit" variant="primary">
          {exclude ? "Exclude" : "Add"}
        </Button>
      </form>
      {error && (
        <p id={errorId} role="alert" className="text-xs text-danger">
          {error}
        </p>
      )}
      {values.length > 0 && (
        <ul className="flex flex-wrap gap-1">
          {values.map((v) => (
            <li
              key={v}
              className="flex max-w-full items-center gap-1 rounded bg-hover py-0.5 pr-0.5 pl-1.5 text-xs"
            >
              <span className="truncate font-mono">{v}</span>
              <button
                type="button"
                aria-label={`Remove ${v}`}
                onClick={() => search.removeFilter(filterKey, v)}
                className="rounded p-0.5 text-muted hover:bg-line hover:text-fg"
              >
                <CloseIcon className="h-3 w-3" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
