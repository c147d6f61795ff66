/**
 * Opaque page cursors: base64url of (version, direction, query fingerprint, next entry's index and
 * time, checksum). Resuming is exact because the data never changes; a cursor from another query
 * (other filters, window, direction or dataset) or a damaged one is rejected.
 */
import { fnv1a } from "./prng";

const VERSION = 1;
/** Index value meaning "from the start of the window again" (used to make pages never end). */
export const RESTART = 0xffffffff;

export interface CursorPosition {
  index: number;
  /** Seconds since the epoch of the entry at `index` (0 for {@link RESTART}). */
  seconds: number;
}

function checksum(bytes: Uint8Array): number {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return fnv1a(text) & 0xffff;
}

export function encodeCursor(fingerprint: number, desc: boolean, position: CursorPosition): string {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, VERSION);
  view.setUint8(1, desc ? 1 : 0);
  view.setUint32(2, fingerprint >>> 0);
  view.setUint32(6, position.index >>> 0);
  view.setUint32(10, position.seconds >>> 0);
  view.setUint16(14, checksum(bytes.subarray(0, 14)));
  return Buffer.from(bytes).toString("base64url");
}

/** The position a cursor points at, or an error message. */
export function decodeCursor(cursor: string, fingerprint: number, desc: boolean): CursorPosition | string {
  if (!/^[A-Za-z0-9_-]{21,22}$/.test(cursor)) return "cursor is malformed";
  const bytes = new Uint8Array(Buffer.from(cursor, "base64url"));
  if (bytes.length !== 16) return "cursor is malformed";
  const view = new DataView(bytes.buffer);
  if (view.getUint8(0) !== VERSION || view.getUint16(14) !== checksum(bytes.subarray(0, 14)))
    return "cursor is malformed";
  if (view.getUint32(2) !== fingerprint >>> 0 || view.getUint8(1) !== (desc ? 1 : 0)) {
    return "cursor does not belong to this query: keep since, before, direction and filters unchanged while paging";
  }
  return { index: view.getUint32(6), seconds: view.getUint32(10) };
}
