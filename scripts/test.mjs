// `npm test`: installs what it needs, then lint, format check, types, unit tests, a production build with
// a canary token, and browser tests. Ends with one line: "N passed, N failed".
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { checkBudget, JS_BUDGET_BYTES, measureBuild } from "./js-budget.mjs";
import {
  ensureChromium,
  ensureDependencies,
  ensurePostgres,
  ensureRedis,
  root,
  run,
  writeSourceStamp,
} from "./setup.mjs";

const totals = { passed: 0, failed: 0 };
const summary = [];
const env = { NEXT_TELEMETRY_DISABLED: "1", NO_COLOR: "1", FORCE_COLOR: "0" };

function check(name, ok) {
  totals[ok ? "passed" : "failed"] += 1;
  summary.push(`${ok ? "ok  " : "FAIL"} ${name}`);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(join(root, path), "utf8"));
  } catch {
    return null;
  }
}

/** The first file under `dir` (build cache and links excluded) whose bytes contain `needle`, or null. */
function fileContaining(dir, needle) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "cache") continue;
      const found = fileContaining(path, needle);
      if (found) return found;
    } else if (entry.isFile() && readFileSync(path).includes(needle)) {
      console.error(`The token leaked into ${path}`);
      return path;
    }
  }
  return null;
}

function step(title) {
  console.log(`\n=== ${title} ===`);
}

ensureDependencies();
const hasBrowser = ensureChromium();
// Tests that need Redis or PostgreSQL start their own server; without the package they fail and say what
// to install.
ensureRedis();
ensurePostgres();

step("ESLint");
check("eslint", run("node", ["node_modules/eslint/bin/eslint.js", ".", "--max-warnings=0"], { env }) === 0);

step("Prettier");
check(
  "prettier --check",
  run("node", ["node_modules/prettier/bin/prettier.cjs", "--check", ".", "--log-level=warn"], { env }) === 0,
);

step("TypeScript");
check("tsc --noEmit", run("node", ["node_modules/typescript/bin/tsc", "--noEmit"], { env }) === 0);

step("Unit tests (Vitest)");
rmSync(join(root, "test-results/unit.json"), { force: true });
const unitCode = run(
  "node",
  [
    "node_modules/vitest/vitest.mjs",
    "run",
    "--reporter=default",
    "--reporter=json",
    "--outputFile=test-results/unit.json",
  ],
  { env },
);
const unit = readJson("test-results/unit.json");
if (unit) {
  totals.passed += unit.numPassedTests;
  // A file that fails to load fails no test but fails the run: count it once.
  totals.failed += unit.numFailedTests + (unitCode !== 0 && unit.numFailedTests === 0 ? 1 : 0);
  summary.push(`unit: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed`);
} else check("vitest produced a report", false);

// The build runs with a random canary token: no file of the build may contain it.
step("Production build (with a canary token)");
const canary = `cf_canary_${randomBytes(16).toString("hex")}`;
const built =
  run("node", ["node_modules/next/dist/bin/next", "build"], {
    env: { ...env, CLOUDFLARE_API_TOKEN: canary, CLOUDFLARE_ACCOUNT_ID: "0".repeat(32), AUTH_MODE: "none" },
  }) === 0;
check("next build", built);
if (built) {
  writeSourceStamp();
  check(
    "the build holds no copy of the token it was built with",
    !fileContaining(join(root, ".next"), canary),
  );
}

// A budget on bytes, not a timing: the JavaScript `/` loads before its first rows, weighed from the
// build's own server (no browser needed).
step(`JavaScript before first rows (budget ${JS_BUDGET_BYTES / 1024} KB gzip)`);
if (built) {
  let budget;
  try {
    budget = checkBudget(await measureBuild(root));
  } catch (error) {
    budget = { ok: false, message: `Could not weigh the page: ${error.message}` };
  }
  console.log(budget.message);
  check(`JavaScript before first rows within ${JS_BUDGET_BYTES / 1024} KB gzip`, budget.ok);
} else check("JavaScript budget could be measured (build present)", false);

step("Browser tests (Playwright)");
if (built && hasBrowser) {
  rmSync(join(root, "test-results/e2e.json"), { force: true });
  run("node", ["node_modules/@playwright/test/cli.js", "test"], { env });
  const e2e = readJson("test-results/e2e.json");
  if (e2e?.stats) {
    const { expected = 0, unexpected = 0, flaky = 0 } = e2e.stats;
    totals.passed += expected;
    totals.failed += unexpected + flaky;
    summary.push(`browser: ${expected} passed, ${unexpected + flaky} failed`);
    if (e2e.errors?.length) check("playwright run without global errors", false);
  } else check("playwright produced a report", false);
} else check("browser tests could run (build and Chromium present)", false);

console.log(`\n${summary.join("\n")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && existsSync(join(root, "node_modules")) ? 0 : 1);
