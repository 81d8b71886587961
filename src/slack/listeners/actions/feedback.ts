import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { feedbackModal, parseFeedbackValue, type FeedbackRef } from '../../blocks/feedback.js';
import { FEEDBACK_INPUT } from '../../blocks/ids.js';
import type { SlackServices } from '../../services.js';
import { afterAck } from '../guard.js';
import { clickOf, type ButtonArgs } from './analyze.js';

const record = (services: SlackServices, ref: FeedbackRef, user: string, verdict: 'right' | 'wrong', realCause?: string) =>
  services.app.recordFeedback({ ...ref, user, verdict, ...(realCause ? { realCause } : {}) });

/**
 * 👍 / 👎 under an answer. Anyone in the channel may judge it; one verdict per answer, the last
 * click wins. 👎 opens a modal for the real cause at once (the trigger lasts 3 s), then records.
 */
export function feedbackAction(services: SlackServices, verdict: 'right' | 'wrong') {
  return async function onFeedback({ ack, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const click = clickOf(body);
    const ref = parseFeedbackValue(body.actions[0]?.value ?? '');
    if (!ref) return;
    await afterAck(services, client, { channel: click.channel, user: click.user }, 'Recording your feedback failed', async () => {
      if (verdict === 'wrong') await client.views.open({ trigger_id: body.trigger_id, view: feedbackModal(ref) });
      await record(services, ref, click.user, verdict);
      if (verdict === 'right') {
        await client.chat.postEphemeral({ channel: click.channel, user: click.user, thread_ts: click.threadTs, text: ':+1: Marked right. Thanks: it counts in the weekly summary.' });
      }
    });
  };
}

type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** The real cause from the 👎 modal: the verdict again, now with the note. */
export function feedbackSubmitted(services: SlackServices) {
  return async function onFeedbackSubmitted({ ack, body, view }: ViewArgs): Promise<void> {
    await ack();
    const ref = parseFeedbackValue(view.private_metadata);
    const note = view.state.values[FEEDBACK_INPUT.block]?.[FEEDBACK_INPUT.action]?.value ?? undefined;
    if (!ref) return;
    try {
      await record(services, ref, body.user.id, 'wrong', note ?? undefined);
    } catch (err) {
      services.logger.error({ err }, 'could not record the real cause');
    }
  };
}
