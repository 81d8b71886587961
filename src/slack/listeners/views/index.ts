import type { App, ViewSubmitAction } from '@slack/bolt';
import { VIEW } from '../../blocks/ids.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { feedbackSubmitted } from '../actions/feedback.js';
import { contextSubmitted } from './context-submitted.js';

export function register(app: App, services: SlackServices, dispatch: Dispatch): void {
  app.view<ViewSubmitAction>(VIEW.context, contextSubmitted(services, dispatch));
  app.view<ViewSubmitAction>(VIEW.feedback, feedbackSubmitted(services));
}
