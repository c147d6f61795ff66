/**
 * The export benchmark's clients, each run in a process of its own so that neither shares a thread
 * with the upstream it is measured against (as a real client never shares Cloudflare's):
 *
 *   node --import tsx bench/client.ts download <export URL> <rows>
 *   node --import tsx bench/client.ts walk <upstream base URL> <rows> <since> <before>
 *
 * `download` reads an export until `rows` records have arrived; `walk` fetches and parses the same
 * entries' v2 pages straight from the upstream. Each prints one JSON line: rows, bytes, seconds.
 */
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

async function download(url: string, rows: number): Promise<Omit<ClientResult, "seconds">> {
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

async function walk(base: string, rows: number, since: string, before: string) {
  let walked = 0;
  let bytes = 0;
  let cursor: string | undefined;
  while (walked < rows) {
    const query = new URLSearchParams({ since, before, limit: "1000", ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${base}/accounts/${SANDBOX_ACCOUNT_ID}/logs/audit?${query}`, {
      headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
    });
    const text = await res.text();
    bytes += text.length;
    const page = JSON.parse(text) as { result: unknown[]; result_info?: { cursor?: string } };
    walked += page.result.length;
    cursor = page.result_info?.cursor;
    if (!cursor) break;
  }
  return { rows: walked, bytes };
}

const [mode, url, rows, since, before] = process.argv.slice(2);
const started = performance.now();
const run = mode === "download" ? download(url, Number(rows)) : walk(url, Number(rows), since, before);
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
