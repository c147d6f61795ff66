import "server-only";
import type { LogQuery, ParamError } from "@/lib/search-params";
import type { Config } from "@/lib/server/config";
import type { PageSource } from "@/lib/server/export";
import { invalidQuery, ProblemError } from "@/lib/server/problem";
import type { LogPage } from "@/lib/server/upstream";
import { freshForMs, readArchivePage, type ArchiveReadOptions } from "./reads";
import { getArchive } from "./runtime";

export type ArchiveLogPage = { page: LogPage } | { page: null; reason: string };

/**
 * A page of `/api/logs` from the archive when it is on and holds the whole window; otherwise why not
 * (the caller then asks the API, or refuses a text search). An archive that cannot be read never
 * stops the API path.
 */
export async function archiveLogPage(
  config: Config,
  query: LogQuery,
  options: ArchiveReadOptions,
): Promise<ArchiveLogPage> {
  try {
    const archive = getArchive();
    if (!archive) return { page: null, reason: "the archive is off (ARCHIVE=on turns it on)" };
    if (!archive.opened) return { page: null, reason: "the archive is still opening" };
    const answer = await readArchivePage(archive.opened, config, query, {
      freshForMs: freshForMs(archive.settings.intervalMs),
      ...options,
    });
    return answer.covered ? { page: answer.page } : { page: null, reason: answer.reason };
  } catch (error) {
    // A refused cursor is the caller's mistake, answered the same with or without the archive.
    if (error instanceof ProblemError) throw error;
    console.warn(`archive read failed: ${error instanceof Error ? error.message : String(error)}`);
    return { page: null, reason: "the archive could not be read" };
  }
}

/**
 * Whether the archive is on, so a request may reach past Cloudflare's retention (then checked again
 * without that when the archive does not answer). Invalid settings count as off here; they are
 * reported where the archive is opened.
 */
export function archiveIsOn(): boolean {
  try {
    return getArchive() !== null;
  } catch {
    return false;
  }
}

/**
 * Pages of an export: from the archive when it answers the first page (it holds the whole window),
 * then every later page from it too; otherwise from `api`. The API has no text search, so `q` outside
 * the archive is a 400 naming it, and `refused` (the problems of a window past Cloudflare's retention)
 * is raised when only the API could answer.
 */
export function archiveFirstSource(config: Config, api: PageSource, refused: ParamError[] = []): PageSource {
  let fromArchive: boolean | null = null;
  return async (query, request) => {
    if (fromArchive === null) {
      const archived = await archiveLogPage(config, query, { ...request, q: query.q });
      fromArchive = archived.page !== null;
      if (archived.page) return archived.page;
      if (query.q)
        throw new ProblemError(
          invalidQuery([
            {
              parameter: "q",
              message: `Text search is answered by the archive only, and ${archived.reason}.`,
            },
          ]),
        );
      if (refused.length > 0) throw new ProblemError(invalidQuery(refused));
    }
    if (!fromArchive) return api(query, request);
    const archived = await archiveLogPage(config, query, { ...request, q: query.q });
    if (!archived.page) throw new Error(`the archive stopped answering this export: ${archived.reason}`);
    return archived.page;
  };
}
