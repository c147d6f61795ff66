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
process.exit(run("node", ["--import", "tsx", "bench/run.ts"]));
