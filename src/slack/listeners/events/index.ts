import type { App } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { appHomeOpened } from './app-home.js';

export function register(app: App, services: SlackServices): void {
  app.event('app_home_opened', appHomeOpened(services));
}
