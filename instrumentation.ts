/**
 * Runs once when the server starts: states the mode, API version and sign-in, and every
 * configuration problem, so a deployment that would answer 503 says so before its first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getConfig }, { startupReport }] = await Promise.all([
    import("@/lib/server/config"),
    import("@/lib/server/audit-trail"),
  ]);
  for (const { level, message } of startupReport(getConfig())) console[level](message);
}
