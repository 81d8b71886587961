import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { readContextChoices } from '../../blocks/context-modal.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';

export type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** The add-context modal was submitted: close it at once, rebuild the bundle as a job. */
export function contextSubmitted(_services: SlackServices, dispatch: Dispatch) {
  return async function onContextSubmitted({ ack, body, view, client }: ViewArgs): Promise<void> {
    await ack();
    const meta = JSON.parse(view.private_metadata) as { id: string; channel: string; messageTs: string };
    const choices = readContextChoices(view.state.values as Parameters<typeof readContextChoices>[0]);
    await dispatch(
      {
        kind: 'context',
        jobId: randomUUID(),
        investigationId: meta.id,
        user: body.user.id,
        channel: meta.channel,
        messageTs: meta.messageTs,
        choices: { ...(choices.context ? { context: choices.context } : {}), ...(choices.sections.length ? { sections: choices.sections } : {}), ...(choices.budget ? { budget: choices.budget } : {}) },
      },
      client,
    );
  };
}
