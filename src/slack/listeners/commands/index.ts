import type { App } from '@slack/bolt';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { troubleshootCommand } from './troubleshoot.js';

export const COMMAND = '/troubleshoot';

export function register(app: App, services: SlackServices, dispatch: Dispatch): void {
  app.command(COMMAND, troubleshootCommand(services, dispatch));
}
