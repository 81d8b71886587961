import type { DestinationStream, Logger } from 'pino';
import { createFirebreak, createLogger, type AppObserver, type Firebreak, type ModelClient } from '../app/index.js';
import type { Config } from '../config.js';
import type { SlackServices } from './services.js';

export interface SlackServicesOptions {
  /** An application built already (tests share one); else built here from the configuration. */
  app?: Firebreak;
  /** FakeBedrock in tests and the preview; Bedrock when `models.enabled`. */
  modelClient?: ModelClient;
  logger?: Logger;
  /** Where the default logger writes (stdout when absent; tests capture it). */
  logDestination?: DestinationStream;
  /** Metrics and traces of the app's work (Powertools on Lambda). */
  observer?: AppObserver;
  /** The clock for quotas, expiry and summaries; the investigation window uses the world's. */
  now?: () => Date;
}

export async function createSlackServices(config: Config, options: SlackServicesOptions = {}): Promise<SlackServices> {
  const now = options.now ?? (() => new Date());
  const app =
    options.app ??
    (await createFirebreak(config, {
      ...(options.modelClient ? { modelClient: options.modelClient } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.observer ? { observer: options.observer } : {}),
    }));
  // Log lines leave the process too: the message, every field and every error (AWS error text, a
  // user's input, a stack) pass the egress boundary.
  const logger = options.logger ?? createLogger({ level: config.logLevel, name: 'firebreak-slack' }, options.logDestination);
  return { app, config, now, logger };
}
