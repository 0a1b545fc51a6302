# The claude-cluster GitHub App as a production image: `probot run ./app/index.ts` on Node 24, which runs the
# TypeScript sources directly (type stripping), so there is no build step. docs/install.md describes the
# variables to pass at run time; none is baked in here.
#
#   docker build -t claude-cluster-app .
#   docker run --env-file .env -p 3000:3000 claude-cluster-app

# Production dependencies only, installed from the lockfile.
FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional drops the agent SDK's platform binaries (about 360 MB): the App dispatches agents to GitHub Actions
# and never runs one itself. No production dependency needs an install script, so none runs.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

FROM node:24-slim
# git for the engine; ca-certificates for HTTPS to GitHub.
RUN apt-get update \
  && apt-get install --yes --no-install-recommends git ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000
WORKDIR /app
COPY --from=dependencies --chown=node:node /app/node_modules ./node_modules
# Only what runs: the App, the engine it calls, the manifest Probot's setup page reads, and package.json (Probot
# reads its name and version). Node refuses to strip types under node_modules; these sources are outside it.
COPY --chown=node:node package.json app.yml ./
COPY --chown=node:node core ./core
COPY --chown=node:node app ./app
# The official image's unprivileged user.
USER node
EXPOSE 3000
# Probot answers GET /ping with PONG.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs, without npm in between so the stop signal reaches Node directly.
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./app/index.ts"]
