import { getArchive } from "@/lib/server/archive/runtime";
import { getDay } from "@/lib/server/archive/chain";
import { invalidQuery, problemResponse } from "@/lib/server/problem";
import { dataRoute } from "@/lib/server/route";

export const dynamic = "force-dynamic";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One sealed UTC day of the archive: its entry count and its hash in the chain. */
export const GET = dataRoute<{ day: string }>(async ({ params, requestId }) => {
  const { day } = params;
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!DAY.test(day) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day)
    return problemResponse(
      invalidQuery([{ parameter: "day", message: "Expected a date, YYYY-MM-DD." }]),
      requestId,
    );
  const archive = getArchive();
  if (!archive)
    return problemResponse(
      {
        status: 404,
        slug: "not-found",
        title: "Not found",
        detail: "The archive is off (ARCHIVE=on turns it on).",
      },
      requestId,
    );
  const record = await getDay(await archive.db, day);
  if (!record)
    return problemResponse(
      { status: 404, slug: "not-found", title: "Not found", detail: `The archive has no sealed day ${day}.` },
      requestId,
    );
  return Response.json(
    {
      day: record.day,
      sha256: record.sha256,
      entries: record.entries,
      previous: record.prev,
      pruned: record.pruned,
    },
    { headers: { "cache-control": "no-store" } },
  );
});
