# The app image: Node 24 LTS with the repository's dependencies; TypeScript runs through tsx.
FROM node:24-bookworm-slim
WORKDIR /app
# Debian packages to build mediasoup's worker (npm ci's postinstall) and the libraries it links.
COPY media/worker-build/apt-packages.txt /tmp/apt-packages.txt
RUN apt-get update && apt-get install -y --no-install-recommends $(cat /tmp/apt-packages.txt) \
    && rm -rf /var/lib/apt/lists/*
# The worker cache outside any user's home, so the runtime user finds what the build made.
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
# The web app the server serves at / (CMD skips npm's prestart).
RUN npm run build:web
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
USER node
CMD ["npx", "tsx", "server/src/main.ts"]
