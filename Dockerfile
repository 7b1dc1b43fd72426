# The app image: Node 20 with the repository's dependencies; TypeScript runs through tsx.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY sync/package.json sync/
COPY server/package.json server/
COPY client-sdk/package.json client-sdk/
COPY media/package.json media/
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
USER node
CMD ["npx", "tsx", "server/src/main.ts"]
