import type { ParamError } from "@/lib/search-params";
import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";

export interface InvalidLinkProps {
  errors: ParamError[];
  /** Drop the bad parameters (renaming those in `rename` instead), keeping every valid one. */
  onRepair: (rename: Record<string, string>) => void;
}

/**
 * A hand-edited or outdated link whose parameters do not validate: say which, offer the closest known
 * name for a mistyped one, and a repair that removes only the bad parameters.
 */
export function InvalidLink({ errors, onRepair }: InvalidLinkProps) {
  return (
    <div
      role="alert"
      className="mx-auto my-10 max-w-xl rounded-lg border border-warning/40 bg-warning-soft/60 p-4"
    >
      <div className="flex items-start gap-3">
        <AlertIcon className="mt-0.5 h-4 w-4 shrink-0 text-warning" />
        <div className="min-w-0 flex-1 space-y-2">
          <h2 className="font-semibold text-fg">This link has invalid parameters</h2>
          <p className="text-muted">
            Nothing was loaded. Fix the link, or remove the invalid parameters and keep the rest.
          </p>
          <ul className="list-disc space-y-1 pl-5 text-muted">
            {errors.map((e, i) => (
              <li key={i}>
                <code className="font-mono text-xs break-all text-fg">{e.parameter}</code>: {e.message}
                {e.suggestion && (
                  <Button
                    size="sm"
                    className="ml-2"
                    onClick={() => onRepair({ [e.parameter]: e.suggestion! })}
                  >
                    Use {e.suggestion}
                  </Button>
                )}
              </li>
            ))}
          </ul>
          <Button variant="primary" onClick={() => onRepair({})}>
            Remove the invalid parameters
          </Button>
        </div>
      </div>
    </div>
  );
}
