import type { Config } from '../config.js';

/** Client options shared by every front: the fake Slack in tests, slack.com otherwise. */
export function clientOptions(config: Config): { slackApiUrl?: string } {
  return config.slack.slackApiUrl ? { slackApiUrl: config.slack.slackApiUrl } : {};
}
