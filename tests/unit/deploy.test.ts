import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV_KEYS } from "@/lib/server/config";
import nextConfig from "@/next.config";

const read = (path: string) => readFileSync(path, "utf8");

/** `NAME: value` lines of the `environment:` blocks of compose.yaml. */
function composeEnvNames(text: string): string[] {
  return [...text.matchAll(/^ {4,}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
}

// The image itself is built where Docker runs; these checks keep its recipe in step with the code.
describe("deployment files", () => {
  it("the build has a standalone server, which the image completes and runs as the tests do", () => {
    expect(nextConfig.output).toBe("standalone");
    const dockerfile = read("Dockerfile");
    expect(dockerfile).toMatch(/^FROM node:20-slim AS app$/m);
    expect(dockerfile).toMatch(/next build && node scripts\/standalone\.mjs/);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/\.next\/standalone \.\/$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "server\.js"\]$/m);
    // Not root at run time, in both images.
    expect(dockerfile.match(/^USER node$/gm)).toHaveLength(2);
    expect(read("tests/e2e/support/standalone-server.ts")).toContain('"scripts/standalone.mjs"');
  });

  it("keeps secrets and local builds out of the image", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["node_modules", ".next*", ".env", ".env*.local", ".git"])
      expect(ignored).toContain(entry);
  });

  it("compose runs two instances sharing Redis, the sandbox and a balancer, with settings the app reads", () => {
    const compose = read("compose.yaml");
    expect(compose).toMatch(/^ {2}app1: \*app$/m);
    expect(compose).toMatch(/^ {2}app2: \*app$/m);
    expect(compose).toMatch(/^ {2}redis:$/m);
    expect(compose).toMatch(/^ {2}sandbox:$/m);
    expect(compose).toContain("REDIS_URL: redis://redis:6379");
    const known = new Set<string>([...ENV_KEYS, "SANDBOX_HOST", "SANDBOX_PORT"]);
    const names = composeEnvNames(compose);
    expect(names).toContain("UPSTREAM_BUDGET");
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    const nginx = read("deploy/nginx.conf");
    expect(nginx).toContain("server app1:3000;");
    expect(nginx).toContain("server app2:3000;");
  });
});
