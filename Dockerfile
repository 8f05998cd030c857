# Joinedup as a container image: `docker build -t joinedup .`
# Runs `joinedup serve` (pages, API and the outbox worker) as an unprivileged user on port 3000.
# Production needs DATABASE_URL, BASE_URL, SESSION_SECRET and SMTP_URL: see
# docs/operations/production.md. Without DATABASE_URL it uses the embedded database in /data
# (one container only). compose.yaml runs it with PostgreSQL.

# --- build: TypeScript to dist/, Sass to public/ -------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run sbom && npm prune --omit=dev --no-audit --no-fund

# --- run -----------------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
# What the process reads at run time: the build, the templates and locales under src/, the
# migrations, the shipped reference data and the production dependencies.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
COPY --from=build /app/src ./src
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/reference-data ./reference-data
COPY --from=build /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The built entry directly: bin/joinedup.js would try to rebuild if it thought src/ newer.
ENTRYPOINT ["node", "dist/main/cli.js"]
CMD ["serve"]
