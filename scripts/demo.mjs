// `npm run demo`: a fresh clone → installed, built, and serving the dashboard on the embedded sandbox.
import { buildIsStale, ensureDependencies, run, writeSourceStamp } from "./setup.mjs";

const port = process.env.PORT ?? "3000";
// The demo always runs on the sandbox, whatever token the shell or .env.local may hold.
const env = {
  CLOUDFLARE_API_TOKEN: "",
  CLOUDFLARE_API_TOKEN_FILE: "",
  AUTH_MODE: "",
  NEXT_TELEMETRY_DISABLED: "1",
};

ensureDependencies();
if (buildIsStale()) {
  console.log("Building the dashboard (next build)…");
  if (run("node", ["node_modules/next/dist/bin/next", "build"], { env }) !== 0) process.exit(1);
  writeSourceStamp();
}
console.log(`\nAudit Log Explorer on sandbox data: http://localhost:${port}\n`);
process.exit(run("node", ["node_modules/next/dist/bin/next", "start", "-p", port], { env }));
