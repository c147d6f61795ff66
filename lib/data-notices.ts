/**
 * What a view's data is when it is not simply complete and exact: partial counts, an approximate
 * history, values the dashboard does not know, and what the server says about the pages (retries, a
 * v1 count that disagreed). Pure: the component above the table renders the list.
 */
import { FILTERS, type ApiVersion, type AuditLog, type FilterDef } from "./audit-log";
import { capabilities } from "./capabilities";
import { formatCount } from "./format";
import type { StatsCoverage } from "./stats";

export interface DataNotice {
  id: string;
  /** What kind of caveat, shown first: every notice reads "<label>: <one sentence>". */
  label: "Partial" | "Approximate" | "Unknown values" | "Note";
  text: string;
}

/** Enum fields whose values the dashboard knows, with their labels (v1's free-text fields excepted). */
function knownEnums(api: ApiVersion) {
  const filters: readonly FilterDef[] = FILTERS;
  const caps = capabilities(api);
  return filters.flatMap((f) =>
    caps.kind(f) === "enum" && f.field && f.options
      ? [{ field: f.field, label: f.label, options: new Set<string>(f.options) }]
      : [],
  );
}

/** At most this many unknown values per field are named; the rest are counted. */
const MAX_NAMED = 3;

/** Values of the loaded rows outside the known enums, by field label (the upstream adds values). */
export function unknownValues(
  rows: readonly AuditLog[],
  api: ApiVersion,
): { label: string; values: string[] }[] {
  const out: { label: string; values: string[] }[] = [];
  for (const { field, label, options } of knownEnums(api)) {
    const seen = new Set<string>();
    for (const row of rows) {
      const value = row[field as keyof AuditLog];
      if (typeof value === "string" && value !== "" && !options.has(value)) seen.add(value);
    }
    if (seen.size > 0) out.push({ label, values: [...seen].sort() });
  }
  return out;
}

export interface NoticeInput {
  /** The activity overview's coverage for this view, when it has one. */
  coverage?: StatsCoverage | null;
  /** Formats the oldest covered instant in the view's time zone. */
  formatInstant?: (iso: string) => string;
  /** The open entry's change history is marked approximate. */
  historyApproximate?: boolean;
  unknown?: { label: string; values: string[] }[];
  /** Sentences the server put in the pages' `meta.notices`. */
  server?: readonly string[];
}

const quote = (values: string[]) => {
  const named = values.slice(0, MAX_NAMED).map((v) => `"${v}"`);
  const more = values.length - named.length;
  return more > 0 ? `${named.join(", ")} and ${more} more` : named.join(", ");
};

/** The notices of a view, each one sentence in the same style: what is not exact, then what to do. */
export function dataNotices(input: NoticeInput): DataNotice[] {
  const out: DataNotice[] = [];
  const { coverage } = input;
  if (coverage && !coverage.complete) {
    const back =
      coverage.oldestCovered && input.formatInstant
        ? `, back to ${input.formatInstant(coverage.oldestCovered)}`
        : "";
    out.push({
      id: "coverage",
      label: "Partial",
      text: `The activity overview counts only the newest ${formatCount(coverage.entries)} matching entries${back} (the shaded part of the chart is not counted). ${
        coverage.stoppedBy === "budget"
          ? "The dashboard's Cloudflare API budget is spent for now: try again in a minute."
          : "Narrow the range or the filters for full counts."
      }`,
    });
  }
  if (input.historyApproximate)
    out.push({
      id: "history",
      label: "Approximate",
      text: "The open entry's change history is matched to its resource by Cloudflare on a best-effort basis.",
    });
  for (const { label, values } of input.unknown ?? [])
    out.push({
      id: `unknown:${label}`,
      label: "Unknown values",
      text: `${label} ${quote(values)} ${values.length === 1 ? "is" : "are"} not among the values the dashboard knows; shown as Cloudflare sent ${values.length === 1 ? "it" : "them"}.`,
    });
  for (const text of new Set(input.server ?? [])) out.push({ id: `server:${text}`, label: "Note", text });
  return out;
}
