import { exportRoute } from "@/lib/server/export";

export const dynamic = "force-dynamic";

/**
 * `GET /api/logs/export/check?<the export's parameters>`: whether that export would start now, without
 * starting it. Everything the export does before its first byte runs (input, sign-in, the export slots,
 * the first upstream page, the size cap): 200 `{ filename, since, before }`, or the problem the export
 * would answer. A browser download shows none of an error's text, so the page asks here first.
 */
export const GET = exportRoute({ check: true });
