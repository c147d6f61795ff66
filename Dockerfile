# Audit Log Explorer on Next's standalone output.
#
#   docker build -t audit-log-explorer .                      the app (target "app", the default)
#   docker build -t audit-log-sandbox --target sandbox .      the Cloudflare imitation, for demos and tests
#
# The app runs `node server.js` from .next/standalone, completed by scripts/standalone.mjs: the same
# server and the same files the tests run (tests/e2e/support/standalone-server.ts).

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# No token exists at build time: the server reads it at run time only.
RUN node node_modules/next/dist/bin/next build && node scripts/standalone.mjs

# The sandbox needs the sources and tsx, not the build: it is a development tool.
FROM build AS sandbox
ENV SANDBOX_HOST=0.0.0.0 SANDBOX_PORT=8787
USER node
EXPOSE 8787
CMD ["node", "--import", "tsx", "lib/sandbox/cli.ts"]

FROM node:20-slim AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
# The image's unprivileged user (uid 1000) owns nothing it could rewrite: the files stay root's.
COPY --from=build /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
