import "server-only";
import { activeFilters, type LogQuery } from "@/lib/search-params";
import { invalidQuery, ProblemError } from "./problem";

/**
 * An upstream refusal that names one of the viewer's filters, as a 400 naming that filter. Enum
 * filters take values this dashboard does not know (Cloudflare adds values without notice), so a
 * typo such as `action_type=success` is only refused upstream: it is still the caller's input, not an
 * upstream fault. Anything else is returned unchanged.
 */
export function refusedFilter(error: unknown, query: LogQuery): unknown {
  if (!(error instanceof ProblemError) || error.init.slug !== "upstream-rejected") return error;
  const detail = error.init.detail ?? "";
  const prefix = "Cloudflare rejected the query: ";
  if (!detail.startsWith(prefix)) return error;
  const message = detail.slice(prefix.length);
  // The exclusion form first: `action_type.not` also contains `action_type`.
  const keys = activeFilters(query)
    .map((f) => f.key as string)
    .sort((a, b) => b.length - a.length);
  const key = keys.find((k) => message.includes(k));
  if (!key) return error;
  return new ProblemError(invalidQuery([{ parameter: key, message: `Cloudflare refused it: ${message}` }]), {
    cause: error,
  });
}
