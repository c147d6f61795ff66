import type { NextConfig } from "next";

/**
 * Static files skip `proxy.ts` (it sets the headers of pages and API answers), so they get the same
 * baseline here.
 */
const STATIC_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "X-Robots-Tag", value: "noindex, nofollow" },
];

const nextConfig: NextConfig = {
  // A separate build directory lets a test build run beside a dev server.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `node server.js` in .next/standalone runs the app with only the files it needs (the Docker image);
  // scripts/standalone.mjs adds the static assets Next leaves out.
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // The Cloudflare SDK and the database drivers (PGlite loads its WebAssembly from its own files) are
  // server-only: load them at run time instead of bundling them.
  serverExternalPackages: ["cloudflare", "@electric-sql/pglite", "postgres"],
  async headers() {
    return [
      { source: "/_next/static/:path*", headers: STATIC_HEADERS },
      { source: "/favicon.ico", headers: STATIC_HEADERS },
      { source: "/icon.svg", headers: STATIC_HEADERS },
    ];
  },
};

export default nextConfig;
