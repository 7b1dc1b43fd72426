# The production image: Node 24 LTS running the server built to JavaScript (no tsx), with production
# dependencies only, as the unprivileged user `node`. Two stages: build, then run.

# --- build: every dependency, the mediasoup worker, the web app and the server bundle -----------
FROM node:24-bookworm-slim AS build
WORKDIR /app
# Debian packages to build mediasoup's worker (npm ci's postinstall) and the libraries it links.
COPY media/worker-build/apt-packages.txt /tmp/apt-packages.txt
RUN apt-get update && apt-get install -y --no-install-recommends $(cat /tmp/apt-packages.txt) \
    && rm -rf /var/lib/apt/lists/*
ENV XDG_CACHE_HOME=/opt/cache
COPY media/worker-build media/worker-build
COPY package.json package-lock.json .npmrc ./
COPY sync/package.json sync/
COPY server/package.json server/
COPY client-sdk/package.json client-sdk/
COPY media/package.json media/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
# The web app the server serves at /, the server as JavaScript (server/dist/js), and the worker
# binary at a fixed path (build-worker.mjs prints where it built it).
RUN npm run build:web && npm run build:server \
    && install -D "$(node media/worker-build/build-worker.mjs)" /app/bin/mediasoup-worker

# --- run ---------------------------------------------------------------------------------------
FROM node:24-bookworm-slim
WORKDIR /app
# Only the shared libraries the mediasoup worker links (ldd), not the compilers that built it.
RUN apt-get update && apt-get install -y --no-install-recommends libuv1 libssl3 libsrtp2-1 libabsl20220623 \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY sync/package.json sync/
COPY server/package.json server/
COPY client-sdk/package.json client-sdk/
COPY media/package.json media/
COPY web/package.json web/
# Production dependencies only. No install scripts: the worker comes built from the build stage,
# and the embedded PostgreSQL's script is not needed (the image runs against DATABASE_URL).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY migrations migrations
COPY --from=build /app/server/dist/js server/dist/js
COPY --from=build /app/web/dist web/dist
COPY --from=build /app/bin/mediasoup-worker bin/mediasoup-worker
ENV NODE_ENV=production PORT=3000 MEDIASOUP_WORKER_BIN=/app/bin/mediasoup-worker
EXPOSE 3000
USER node
CMD ["node", "--enable-source-maps", "server/dist/js/main.js"]
