// `npm run bench`: installs and builds if needed, then runs the benchmarks (bench/run.ts) on loopback.
import { buildIsStale, ensureChromium, ensureDependencies, run, writeSourceStamp } from "./setup.mjs";

ensureDependencies();
if (!ensureChromium()) process.exit(1);
if (buildIsStale()) {
  if (
    run("node", ["node_modules/next/dist/bin/next", "build"], { env: { NEXT_TELEMETRY_DISABLED: "1" } }) !== 0
  )
    process.exit(1);
  writeSourceStamp();
}
const proxy = run("node", ["--import", "tsx", "bench/run.ts"]);
// The archive at scale (in process, embedded database): ARCHIVE_BENCH_ENTRIES sets its size, 0 skips it.
const archive =
  process.env.ARCHIVE_BENCH_ENTRIES === "0"
    ? 0
    : run("node", ["--import", "tsx", "--conditions=react-server", "bench/archive.ts"]);
process.exit(proxy || archive);
