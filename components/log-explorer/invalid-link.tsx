import type { ParamError } from "@/lib/search-params";
import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";

/** A hand-edited or outdated link whose parameters do not validate: say which, offer a reset. */
export function InvalidLink({ errors, onReset }: { errors: ParamError[]; onReset: () => void }) {
  return (
    <div
      role="alert"
      className="mx-auto my-10 max-w-xl rounded-lg border border-warning/40 bg-warning-soft/60 p-4"
    >
      <div className="flex items-start gap-3">
        <AlertIcon className="mt-0.5 h-4 w-4 shrink-0 text-warning" />
        <div className="min-w-0 flex-1 space-y-2">
          <h2 className="font-semibold text-fg">This link has invalid parameters</h2>
          <p className="text-muted">Nothing was loaded. Fix the link or reset the filters and time range.</p>
          <ul className="list-disc space-y-1 pl-5 text-muted">
            {errors.map((e, i) => (
              <li key={i}>
                <code className="font-mono text-xs break-all text-fg">{e.parameter}</code>: {e.message}
              </li>
            ))}
          </ul>
          <Button variant="primary" onClick={onReset}>
            Reset filters
          </Button>
        </div>
      </div>
    </div>
  );
}
