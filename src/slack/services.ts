import type { Logger } from 'pino';
import type { Firebreak } from '../app/index.js';
import type { Config } from '../config.js';

/**
 * What the Slack front end holds: the application (every read, state move and model call goes
 * through it), the settings and a logger. Listeners and jobs parse, call `app` and render.
 */
export interface SlackServices {
  app: Firebreak;
  config: Config;
  logger: Logger;
  now(): Date;
}
