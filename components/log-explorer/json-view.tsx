import type { ReactNode } from "react";
import { formatJson } from "@/lib/format";
import { cn } from "@/components/ui/cn";

// Strings (keys when followed by a colon), numbers, literals: enough to colour JSON without a library.
const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

function highlight(text: string) {
  const out: ReactNode[] = [];
  let last = 0;
  let i = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const [, str, colon, literal] = m;
    const cls = str ? (colon ? "text-accent" : "text-success") : literal ? "text-warning" : "text-danger";
    out.push(
      <span key={i++} className={cls}>
        {str ?? m[0]}
      </span>,
    );
    if (colon) out.push(colon);
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

/** JSON, indented and coloured, as text only (log values are untrusted). Large documents stay plain. */
export function JsonView({
  value,
  className,
  label,
}: {
  value: unknown;
  className?: string;
  label?: string;
}) {
  const text = formatJson(value);
  return (
    <pre
      role="region"
      aria-label={label ?? "JSON"}
      tabIndex={0}
      className={cn(
        "max-h-[60vh] overflow-auto rounded-md border border-line bg-subtle p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-fg",
        className,
      )}
    >
      {text.length > 200_000 ? text : highlight(text)}
    </pre>
  );
}
