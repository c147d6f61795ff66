import { exportRoute } from "@/lib/server/export";

export const dynamic = "force-dynamic";

/**
 * `GET /api/logs/export?<URL model>&format=csv|ndjson&columns=<ids>`: every matching entry as a streamed
 * attachment, in the order of `direction`.
 */
export const GET = exportRoute();
