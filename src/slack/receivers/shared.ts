import { WebClient } from '@slack/web-api';
import { loadConfig, type Config } from '../../config.js';
import { clientOptions } from '../app.js';
import { createSlackServices } from '../services-factory.js';
import type { SlackServices } from '../services.js';
import { loadSlackSecretIntoEnv } from './slack-secret.js';

/**
 * One set of services per Lambda container, built on the first event and reused by the next ones
 * (a warm container keeps its DynamoDB and HTTP connections).
 */
let cached: Promise<{ config: Config; services: SlackServices }> | undefined;

export function lambdaServices(): Promise<{ config: Config; services: SlackServices }> {
  cached ??= (async () => {
    await loadSlackSecretIntoEnv();
    const config = loadConfig();
    return { config, services: await createSlackServices(config) };
  })();
  return cached;
}

export function botClient(config: Config): WebClient {
  if (!config.slack.botToken) throw new Error('SLACK_BOT_TOKEN is not set');
  return new WebClient(config.slack.botToken, clientOptions(config));
}
