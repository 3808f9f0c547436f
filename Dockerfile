# The Node host of Stratum in a container (docs/hosts.md "Container"). Untested in this repository's CI: the
# development machine has no Docker. Build: `docker build -t stratum .`; run with the production keys in the
# environment (README "Deploying" lists them): `docker run --env-file prod.env -p 8787:8787 stratum`.

# 1. Build: every dependency, the offline docs UI copied into public/ (postinstall), the Node entry bundled.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY tools/cli/check-node.cjs tools/cli/copy-assets.mjs ./tools/cli/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:node && npm prune --omit=dev --no-audit --no-fund

# 2. Run: production dependencies, the bundle and public/ only, as the unprivileged `node` user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production ENVIRONMENT=production HOST=0.0.0.0 PORT=8787
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/public ./public
USER node
EXPOSE 8787
# The liveness probe touches no dependency (GET /api/v1/health/ping); /api/v1/health checks the database and Redis.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/v1/health/ping`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) stops accepting, then waits up to 10 s for background work (waitUntil, a cron tick).
STOPSIGNAL SIGTERM
CMD ["node", "dist/node.mjs"]
