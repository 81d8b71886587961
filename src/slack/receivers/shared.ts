import { WebClient } from '@slack/web-api';
import { loadConfig, type Config } from '../../config.js';
import { boltLogger } from '../bolt-logger.js';
import { clientOptions } from '../client-options.js';
import { createSlackServices } from '../services-factory.js';
import type { SlackServices } from '../services.js';
import { createPowertools, pinoIntoPowertools, powertoolsObserver, type Powertools } from './powertools.js';
import { loadSlackSecretIntoEnv } from './slack-secret.js';

/**
 * Builds a value once per container and shares it with every later event, unless building it
 * failed: a rejected promise is dropped, so the next event tries again instead of a warm container
 * answering every request with the same cold-start error (a Secrets Manager throttle, say) until
 * Lambda recycles it.
 */
export function cachedUntilRejected<T>(build: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (!cached) {
      const attempt = build();
      cached = attempt;
      attempt.catch(() => {
        if (cached === attempt) cached = undefined;
      });
    }
    return cached;
  };
}

/**
 * One set of services per Lambda container, built on the first event and reused by the next ones
 * (a warm container keeps its DynamoDB and HTTP connections).
 */
export const lambdaServices: () => Promise<{ config: Config; services: SlackServices }> = cachedUntilRejected(async () => {
  await loadSlackSecretIntoEnv();
  const config = loadConfig();
  const tools = powertools();
  // One JSON stream: listeners' and jobs' pino lines go through the Powertools logger.
  return { config, services: await createSlackServices(config, { observer: powertoolsObserver(tools), logger: pinoIntoPowertools(tools.logger) }) };
});

let tools: Powertools | undefined;
/** The container's Powertools logger, metrics and tracer, made on first use. */
export function powertools(): Powertools {
  return (tools ??= createPowertools());
}

export function botClient(config: Config, services?: SlackServices): WebClient {
  if (!config.slack.botToken) throw new Error('SLACK_BOT_TOKEN is not set');
  return new WebClient(config.slack.botToken, { ...clientOptions(config), ...(services ? { logger: boltLogger(services.logger) } : {}) });
}
