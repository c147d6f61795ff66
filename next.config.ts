import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A separate build directory lets a test build run beside a dev server.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // The Cloudflare SDK is large and server-only: load it at run time instead of bundling it.
  serverExternalPackages: ["cloudflare"],
};

export default nextConfig;
