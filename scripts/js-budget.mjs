// The JavaScript a browser loads for a page before its first rows: the scripts its HTML asks for. Rows
// come server-rendered in that HTML, so these scripts are what stands between a link and a working view;
// everything else (the detail view, the chart, the menus) is fetched later, on demand.
//
// Used by `npm test` (a budget that fails the run) and `npm run bench` (the figure it reports).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { gzipSync } from "node:zlib";

/** The most gzip bytes of JavaScript `/` may load before its first rows. */
export const JS_BUDGET_BYTES = 210 * 1024;

/** Attributes of one tag, by lower-case name (a bare attribute such as `async` maps to ""). */
function attributes(tag) {
  const attrs = {};
  for (const m of tag.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? "";
  }
  return attrs;
}

/**
 * The scripts a module-capable browser fetches for this HTML, in document order and each once:
 * `<script src>` (except `nomodule` ones, the polyfills only old browsers load) and scripts the head
 * preloads. Inline scripts are data of the page itself and count towards the HTML, not here.
 * @param {string} html
 * @returns {string[]}
 */
export function initialScripts(html) {
  const found = new Set();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attrs = attributes(tag.replace(/^<\w+/, "").replace(/\/?>$/, ""));
    if (/^<script/i.test(tag)) {
      if (attrs.src && !("nomodule" in attrs)) found.add(attrs.src);
    } else if (
      attrs.href &&
      attrs.as === "script" &&
      /(^|\s)(preload|modulepreload)(\s|$)/.test(attrs.rel ?? "")
    ) {
      found.add(attrs.href);
    }
  }
  return [...found];
}

/**
 * Sizes of the given scripts, raw and gzip-compressed (level 9, as a server that precompresses would).
 * @param {string[]} srcs
 * @param {(src: string) => Promise<Uint8Array> | Uint8Array} read the bytes of one script
 */
export async function measureScripts(srcs, read) {
  const files = [];
  for (const src of srcs) {
    const bytes = await read(src);
    files.push({ src, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return {
    files,
    raw: files.reduce((sum, f) => sum + f.raw, 0),
    gzip: files.reduce((sum, f) => sum + f.gzip, 0),
  };
}

/**
 * Whether a page's scripts stay within the budget. A page that loads no script at all is a broken
 * measurement (a changed HTML shape, an error page), never a pass.
 * @param {{ files: { src: string; gzip: number }[]; gzip: number }} measured
 * @param {number} budget gzip bytes
 * @returns {{ ok: boolean; message: string }}
 */
export function checkBudget(measured, budget = JS_BUDGET_BYTES) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  if (measured.files.length === 0)
    return { ok: false, message: "The page loads no script: the measurement found nothing to weigh." };
  const what = `${kb(measured.gzip)} gzip in ${measured.files.length} files (budget ${kb(budget)})`;
  if (measured.gzip <= budget) return { ok: true, message: `JavaScript before first rows: ${what}` };
  const largest = [...measured.files]
    .sort((a, b) => b.gzip - a.gzip)
    .slice(0, 5)
    .map((f) => `${f.src} ${kb(f.gzip)}`)
    .join(", ");
  return { ok: false, message: `JavaScript before first rows over budget: ${what}. Largest: ${largest}` };
}

/**
 * Fetches `url` from a running server and weighs the scripts its HTML loads (fetched from the same
 * server, so exactly the bytes a browser gets).
 * @param {string} url
 */
export async function measurePage(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const html = await res.text();
  const measured = await measureScripts(initialScripts(html), async (src) => {
    const script = await fetch(new URL(src, url));
    if (!script.ok) throw new Error(`${src} answered ${script.status}`);
    return new Uint8Array(await script.arrayBuffer());
  });
  const htmlBytes = Buffer.from(html);
  return { ...measured, html: htmlBytes.length, htmlGzip: gzipSync(htmlBytes, { level: 9 }).length };
}

/** A port nothing listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the production build in `root` (`next start`, on the embedded sandbox, so no token and no
 * network are needed), weighs what `/?range=7d` loads and stops it again. No browser: the HTML names the
 * scripts.
 * @param {string} root the project folder, holding a build
 */
export async function measureBuild(root) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        CLOUDFLARE_API_TOKEN: "",
        CLOUDFLARE_API_TOKEN_FILE: "",
        CLOUDFLARE_ACCOUNTS_FILE: "",
        AUTH_MODE: "",
        ARCHIVE: "",
        SANDBOX_CLOCK: "frozen",
      },
    },
  );
  try {
    for (let k = 0; ; k++) {
      if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
      try {
        if ((await fetch(`${origin}/api/health`)).ok) break;
      } catch {
        // not up yet
      }
      if (k > 240) throw new Error(`${origin} did not come up`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return await measurePage(`${origin}/?range=7d`);
  } finally {
    server.kill("SIGTERM");
  }
}
