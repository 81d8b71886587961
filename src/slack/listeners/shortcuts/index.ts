import type { App, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import { SHORTCUT, VIEW } from '../../blocks/ids.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { troubleshootThisShortcut, troubleshootThisSubmitted } from './troubleshoot-this.js';

export function register(app: App, services: SlackServices, dispatch: Dispatch): void {
  app.shortcut<MessageShortcut>({ callback_id: SHORTCUT.troubleshootThis, type: 'message_action' }, troubleshootThisShortcut(services, dispatch));
  app.view<ViewSubmitAction>(VIEW.troubleshootThis, troubleshootThisSubmitted(services, dispatch));
}
