/**
 * The export benchmark's clients, each run in a process of its own so that neither shares a thread
 * with the upstream it is measured against (as a real client never shares Cloudflare's):
 *
 *   node --import tsx bench/client.ts download <export URL> <rows>
 *   node --import tsx bench/client.ts walk <upstream base URL> <rows> <since> <before>
 *
 * `download` (also used in process by bench/user-actions.ts) reads an export until `rows` records have arrived; `walk` fetches and parses the same
 * entries' v2 pages straight from the upstream. Each prints one JSON line: rows, bytes, seconds.
 * bench/export.ts walks with {@link walkPages} too.
 */
import { fileURLToPath } from "node:url";
import { SANDBOX_ACCOUNT_ID, SANDBOX_TOKEN } from "@/lib/sandbox/constants";

export interface ClientResult {
  rows: number;
  bytes: number;
  seconds: number;
}

/** Newlines in a chunk, counted natively. */
function countNewlines(chunk: Uint8Array): number {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

export async function download(url: string, rows: number): Promise<Omit<ClientResult, "seconds">> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
  let bytes = 0;
  let lines = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    lines += countNewlines(value);
    if (lines >= rows) {
      await reader.cancel();
      break;
    }
  }
  return { rows: Math.min(lines, rows), bytes };
}

/**
 * Walk the upstream's v2 pages with plain fetch and JSON parsing (the floor an export is compared to),
 * until the last page, `maxPages` pages or `maxRows` entries.
 */
export async function walkPages(
  base: string,
  window: { since: string; before: string },
  { maxPages = Infinity, maxRows = Infinity } = {},
): Promise<Omit<ClientResult, "seconds">> {
  let rows = 0;
  let bytes = 0;
  let cursor: string | null = null;
  for (let page = 0; page < maxPages && rows < maxRows; page++) {
    const query = new URLSearchParams({ ...window, direction: "desc", limit: "1000" });
    if (cursor) query.set("cursor", cursor);
    const res = await fetch(`${base}/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit?${query}`, {
      headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
    });
    if (!res.ok) throw new Error(`upstream answered ${res.status}`);
    const text = await res.text();
    bytes += text.length;
    const body = JSON.parse(text) as { result: unknown[]; result_info?: { cursor?: string | null } };
    rows += body.result.length;
    cursor = body.result_info?.cursor || null;
    if (!cursor || body.result.length === 0) break;
  }
  return { rows, bytes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [mode, url, rows, since, before] = process.argv.slice(2);
  const started = performance.now();
  const run =
    mode === "download"
      ? download(url, Number(rows))
      : walkPages(url, { since, before }, { maxRows: Number(rows) });
  run.then(
    (result) => {
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
