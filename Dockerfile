# Parley's container image: one Node process serving the web app, the REST API and the /chat
# Socket.IO namespace. See README "Deploy".
#
#   docker build -t parley .
#   podman build --format docker --build-arg BASE_IMAGE=localhost/parley-base:node20 -t parley .
#
# BASE_IMAGE: any Debian-based image with Node 20 and npm on PATH (the official slim image by
# default; scripts/container/build-base-image.sh makes one where no registry is reachable).
ARG BASE_IMAGE=node:20-slim

# 1. Every dependency (dev ones too: the build needs them), and the generated Prisma client.
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
RUN npm ci --no-audit --no-fund

# 2. The Next.js production build, then the dev dependencies dropped.
FROM deps AS build
COPY . .
RUN mkdir -p public \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf .next/cache

# 3. What runs: production dependencies, the build output and the server's sources (run by tsx),
# owned by root and read-only to the unprivileged user the server runs as.
FROM ${BASE_IMAGE} AS runtime
# tini as PID 1 passes SIGTERM on to node (whose handler shuts down gracefully) and reaps zombies.
RUN command -v tini >/dev/null \
 || (apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*)
RUN groupadd --system --gid 10001 parley \
 && useradd --system --uid 10001 --gid parley --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin parley
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1
COPY --from=build /app/package.json /app/next.config.js /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/public ./public
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/server ./server
COPY --from=build /app/lib ./lib
COPY --from=build /app/scripts ./scripts
# DATA_DIR: embedded database (when no DATABASE_URL), uploads (when no S3), the generated secret.
# .next/cache: Next's image optimiser writes there at run time.
RUN mkdir -p /data .next/cache && chown parley:parley /data .next/cache
VOLUME ["/data"]
USER parley
EXPOSE 3000
# Alive: the process answers. Readiness (database, migrations, Redis) is /readyz, for the proxy.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["tini", "--"]
# node itself (not npm) so the signal reaches the server's handler; tsx compiles the TypeScript.
CMD ["node", "--import", "tsx", "server/index.ts"]
