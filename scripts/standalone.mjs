// Completes Next's standalone output so that `node server.js` in it serves the whole app: Next leaves
// the static assets and the public folder out of it. The Dockerfile runs this after `next build`, and
// the tests that run the standalone server run it too, so both serve the same tree.
//
//   node scripts/standalone.mjs     (NEXT_DIST_DIR picks another build directory, as in next.config.ts)
import { cpSync, existsSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The build directory, as next.config.ts names it. */
export function distDir(env = process.env) {
  return join(root, env.NEXT_DIST_DIR || ".next");
}

/**
 * Copies `<dist>/static` and `public` into `<dist>/standalone` (replacing older copies) and returns the
 * path of the server to run. Throws when the build has no standalone output.
 */
export function prepareStandalone(dist = distDir()) {
  const standalone = join(dist, "standalone");
  const server = join(standalone, "server.js");
  if (!existsSync(server))
    throw new Error(`${server} is missing: run \`next build\` (next.config.ts sets output: "standalone")`);
  const copy = (from, to) => {
    rmSync(to, { recursive: true, force: true });
    if (existsSync(from)) cpSync(from, to, { recursive: true });
  };
  // server.js looks for the build under the same relative name it had at build time.
  copy(join(dist, "static"), join(standalone, relative(root, dist), "static"));
  copy(join(root, "public"), join(standalone, "public"));
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`Standalone server ready: ${prepareStandalone()}`);
}
