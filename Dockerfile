# firebreak in a container: the Slack bot in Socket Mode (no public URL needed).
# Build: docker build -t firebreak .
# Run:   docker run --init --env-file firebreak.env firebreak   (see the README, "Deploy to AWS" → "Container")
FROM node:20-slim

ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. tsx is a runtime dependency: the
# bot runs its TypeScript sources directly, so --omit=dev keeps everything `npm start` needs.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src

# Run as the image's unprivileged user; nothing under /app needs to be writable.
USER node

# Socket Mode when SLACK_APP_TOKEN is set (see src/slack/app.ts). Use `docker run --init` so
# signals reach the process and a stop is clean.
CMD ["npm", "start"]
