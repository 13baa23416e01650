# syntax=docker/dockerfile:1
# Gatehouse production image: plain JavaScript (npm run build), production dependencies only, a
# non-root user, a health check. Build: docker build -t gatehouse .  Run: see compose.yaml and
# docs/operations.md. Node 24 is the supported LTS line (package.json engines).

# 1. build: all dependencies, then the bundle in packages/server/dist
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/server/package.json packages/server/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY packages/core/src packages/core/src
COPY packages/server/src packages/server/src
COPY packages/server/scripts packages/server/scripts
COPY packages/server/drizzle packages/server/drizzle
RUN npm run build:server

# 2. deps: production dependencies only (no tsx, no compilers)
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/server/package.json packages/server/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. runtime
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/packages/server/package.json ./packages/server/
COPY --from=deps /app/packages/server/node_modules ./packages/server/node_modules
COPY --from=build /app/packages/server/dist ./packages/server/dist
RUN mkdir -p /data && chown node:node /data
# The image's unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness: /healthz touches nothing else (readiness, /readyz, is for the load balancer).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "packages/server/dist/main.js"]
