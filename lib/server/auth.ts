import "server-only";
import type { AuthMode, Config } from "./config";
import { ProblemError } from "./problem";

/** Who is reading the logs, as established by the configured sign-in. */
export interface Viewer {
  /** Email, service-token name or basic user; "anonymous" with AUTH_MODE=none. */
  id: string;
  email: string | null;
  method: AuthMode;
}

/**
 * Check the request's sign-in. Every route handler and the server page call this, whatever `proxy.ts`
 * already did: a proxy must not be the only check. Throws a 401/403 ProblemError when refused.
 */
export async function authorize(request: Request, config: Config): Promise<Viewer> {
  void request;
  if (config.authMode === "none") return { id: "anonymous", email: null, method: "none" };
  throw new ProblemError({
    status: 401,
    slug: "unauthenticated",
    title: "Sign-in required",
    detail: "This sign-in method is not available.",
  });
}
