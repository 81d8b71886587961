import type { App } from '@slack/bolt';
import type { Dispatch } from '../jobs/types.js';
import type { SlackServices } from '../services.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import * as shortcuts from './shortcuts/index.js';
import * as views from './views/index.js';

/** Wires every listener; `dispatch` decides where slow work runs (here, or the worker Lambda). */
export function registerListeners(app: App, services: SlackServices, dispatch: Dispatch): void {
  commands.register(app, services, dispatch);
  actions.register(app, services, dispatch);
  views.register(app, services, dispatch);
  events.register(app, services);
  shortcuts.register(app, services, dispatch);
}
