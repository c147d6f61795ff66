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
  const result = getConfig();
  for (const { level, message } of startupReport(result)) console[level](message);
  await startArchive(result);
}

/** With ARCHIVE=on, open the archive and start syncing; a failure is reported, never fatal. */
async function startArchive(result: import("@/lib/server/config").ConfigResult): Promise<void> {
  const { archiveSettingsFromEnv } = await import("@/lib/server/archive/settings");
  const parsed = archiveSettingsFromEnv();
  if (!parsed.ok) return console.error(`The archive is not configured: ${parsed.problems.join("; ")}`);
  if (!parsed.settings.enabled || !result.ok) return;
  const { startArchiveSync } = await import("@/lib/server/archive/runtime");
  const where = parsed.settings.databaseUrl ? "PostgreSQL (DATABASE_URL)" : parsed.settings.dir;
  try {
    await startArchiveSync(result.config);
    console.info(`Archive on: ${where}, syncing every ${parsed.settings.intervalMs / 1000} s.`);
  } catch (error) {
    console.error(`The archive could not start (${where}):`, error);
  }
}
