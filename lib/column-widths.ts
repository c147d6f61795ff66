/**
 * Column widths as the URL carries them: `widths=<column id>:<px>,…`. Bounded so that a shared link
 * cannot make a colleague's browser lay out a column miles wide, or thousands of entries.
 */
import { FIELD_IDS, isFieldId, type FieldId } from "./audit-log";

export const MIN_COLUMN_PX = 64;
export const MAX_COLUMN_PX = 1200;

export type ColumnWidths = Partial<Record<FieldId, number>>;

const ENTRY = /^([A-Za-z]{1,40}):(\d{1,5})$/;

/**
 * Why a `widths` value is refused, or null: each entry is a known column id and a whole number of
 * pixels within bounds, each column at most once.
 */
export function checkWidths(value: string): string | null {
  const entries = value.split(",");
  if (entries.length > FIELD_IDS.length) return `At most ${FIELD_IDS.length} widths, one per column.`;
  const seen = new Set<string>();
  for (const entry of entries) {
    const m = ENTRY.exec(entry);
    const shown = JSON.stringify(entry.slice(0, 40));
    if (!m) return `${shown}: expected <column id>:<pixels>, e.g. actorEmail:240.`;
    const [, id, px] = m;
    if (!isFieldId(id)) return `${shown}: unknown column ${JSON.stringify(id)}.`;
    if (seen.has(id)) return `${shown}: each column at most once.`;
    seen.add(id);
    const n = Number(px);
    if (n < MIN_COLUMN_PX || n > MAX_COLUMN_PX)
      return `${shown}: a width is from ${MIN_COLUMN_PX} to ${MAX_COLUMN_PX} pixels.`;
  }
  return null;
}

/** The widths of a valid `widths` value; null for an invalid one (the link is then reported). */
export function parseWidths(value: string): ColumnWidths | null {
  if (checkWidths(value) !== null) return null;
  const out: ColumnWidths = {};
  for (const entry of value.split(",")) {
    const [id, px] = entry.split(":");
    if (isFieldId(id)) out[id] = Number(px);
  }
  return out;
}

/** Widths as the URL writes them, in the field list's order so equal widths give equal links. */
export function serializeWidths(widths: ColumnWidths): string {
  return FIELD_IDS.flatMap((id) => {
    const px = widths[id];
    return px === undefined ? [] : [`${id}:${clampWidth(px)}`];
  }).join(",");
}

/** A dragged width brought within bounds and to whole pixels. */
export function clampWidth(px: number): number {
  return Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, Math.round(px)));
}
