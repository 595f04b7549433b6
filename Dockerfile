FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# glibc gives each thread that allocates its own malloc arena, and keeps what
# is freed in it: two arenas measured about 25 MB less resident memory.
ENV MALLOC_ARENA_MAX=2
# V8 grows the young generation to 2 x 16 MB under load, and keeps it. At 8 MB
# the service is about 15 MB smaller, for about 1% of throughput (more
# frequent, shorter scavenges).
ENV NODE_OPTIONS=--max-semi-space-size=8
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
USER node
EXPOSE 3000
# Liveness: the process answers (no database). Orchestrators route traffic by
# /health/ready instead (database, migrations, revocation listener).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
