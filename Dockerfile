# firebreak in a container: the Slack bot in Socket Mode (no public URL needed).
# Build: docker build -t firebreak .
# Run:   docker run --init --env-file firebreak.env firebreak   (see docs/deploy.md, "Container")
# Node 22 LTS, the runtime the Lambda functions use too.

# 1. Build: every dependency (esbuild is a dev dependency), then the compiled JavaScript in dist/.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# 2. Run: production dependencies and dist/ only; no TypeScript, no loader, no build tools.
FROM node:22-slim
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# Dependencies first, so a code change does not reinstall them. --ignore-scripts: `prepare`
# (the build) already ran in the first stage, and no production dependency needs its install script.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist

# Run as the image's unprivileged user; nothing under /app needs to be writable.
USER node

# Socket Mode when SLACK_APP_TOKEN is set (see src/slack/app.ts). Plain node as PID 1's child via
# `docker run --init`, so signals reach the process and a stop is clean.
CMD ["node", "dist/slack/app.js"]
