import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { FIRST_SECTIONS_BLOCK, readContextChoices } from '../../blocks/context-modal.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import type { BundleChoices } from '../../../core/report.js';
import { firstDelivery } from '../guard.js';

export type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * The add-context modal was submitted. With no section ticked the modal stays open with an error
 * under the checkboxes (an empty choice would otherwise read as "the default: everything");
 * otherwise it closes at once and the bundle is rebuilt as a job, with the sections as ticked.
 */
export function contextSubmitted(services: SlackServices, dispatch: Dispatch) {
  return async function onContextSubmitted({ ack, body, view, client }: ViewArgs): Promise<void> {
    const choices = readContextChoices(view.state.values as Parameters<typeof readContextChoices>[0]);
    if (choices.sections.length === 0) {
      await ack({ response_action: 'errors', errors: { [FIRST_SECTIONS_BLOCK]: 'Pick at least one section to send.' } });
      return;
    }
    await ack();
    const meta = JSON.parse(view.private_metadata) as { id: string; channel: string; messageTs: string };
    // Once per delivery: a replayed or retried submission adds no second revision.
    if (!(await firstDelivery(services, body.trigger_id, { user: body.user.id, channel: meta.channel }))) return;
    const stored: BundleChoices = { sections: choices.sections, ...(choices.context ? { context: choices.context } : {}), ...(choices.budget ? { budget: choices.budget } : {}) };
    await dispatch({ kind: 'context', jobId: randomUUID(), investigationId: meta.id, user: body.user.id, channel: meta.channel, messageTs: meta.messageTs, choices: stored }, client);
  };
}
