// Shared by `npm run demo` and `npm test`: install what a fresh clone needs, without any other tool.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("..", import.meta.url).pathname;
const STAMP = join(root, "node_modules", ".install-stamp");

/** Run a command in the project folder, inheriting output; returns the exit code. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: "inherit",
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (result.error) {
    console.error(`Could not run ${cmd}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

function manifestHash() {
  const h = createHash("sha256");
  for (const f of ["package.json", "package-lock.json"]) {
    const p = join(root, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest("hex");
}

/**
 * Install npm packages when node_modules is missing or older than package.json / package-lock.json.
 * `npm ci` cannot be used: this registry lacks other platforms' optional binaries, so it rejects the lock.
 */
export function ensureDependencies() {
  const hash = manifestHash();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === hash) return;
  console.log("Installing npm packages (npm install)…");
  const code = run("npm", ["install", "--no-audit", "--no-fund"]);
  if (code !== 0) throw new Error("npm install failed");
  writeFileSync(STAMP, hash);
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let aptUpdated = false;

/**
 * Make sure a Debian package's program exists: install it with apt when it is missing and we run as root,
 * otherwise say exactly what to install. Returns whether the program is there.
 */
export function ensureDebianPackage({ program, pkg, what }) {
  if (existsSync(program)) return true;
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    console.log(`Installing ${what} from Debian (apt-get install ${pkg})…`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    if (!aptUpdated) aptUpdated = run("apt-get", ["update", "-qq"], { env }) === 0;
    if (aptUpdated && run("apt-get", ["install", "-y", "-qq", pkg], { env }) === 0 && existsSync(program))
      return true;
  }
  console.error(
    `${what} was not found at ${program}. Install it (Debian/Ubuntu: sudo apt-get install ${pkg}).`,
  );
  return false;
}

/** Browser tests drive Debian's Chromium; install it with apt when missing and running as root. */
export function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(CHROMIUM);
  return ensureDebianPackage({ program: CHROMIUM, pkg: "chromium", what: "Chromium" });
}

/** Tests of several instances sharing state start a throwaway Redis server. */
export function ensureRedis() {
  return ensureDebianPackage({ program: "/usr/bin/redis-server", pkg: "redis-server", what: "Redis" });
}

/** Tests of the archive's server mode start a throwaway PostgreSQL cluster (run as its own user). */
export function ensurePostgres() {
  return ensureDebianPackage({
    program: "/usr/lib/postgresql/15/bin/initdb",
    pkg: "postgresql",
    what: "PostgreSQL",
  });
}

/** Whether the production build in `dir` is older than the sources. */
export function buildIsStale(dir = ".next") {
  const buildId = join(root, dir, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const out = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], {
    cwd: root,
    encoding: "utf8",
  });
  const stampFile = join(root, dir, ".source-stamp");
  const stamp = sourceStamp(out.stdout ?? "");
  return !existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp;
}

/** A stamp of the sources a build was made from: the commit plus any local changes. */
export function sourceStamp(status = "") {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout?.trim() ?? "";
  const diff = status
    ? (spawnSync("git", ["diff", "HEAD"], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 }).stdout ?? "")
    : "";
  return createHash("sha256").update(head).update(diff).update(manifestHash()).digest("hex");
}

export function writeSourceStamp(dir = ".next") {
  const out = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], {
    cwd: root,
    encoding: "utf8",
  });
  writeFileSync(join(root, dir, ".source-stamp"), sourceStamp(out.stdout ?? ""));
}
