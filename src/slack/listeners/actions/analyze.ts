import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { actionMessage } from '../../blocks/actions.js';
import { parseFreshButtonValue } from '../../blocks/answer.js';
import { alreadyHandledMessage, notAllowedToApproveMessage } from '../../blocks/notices.js';
import { markActionExpired } from '../../jobs/expired.js';
import { canApprove } from '../../approvers.js';
import { actionView } from '../../jobs/action-view.js';
import { releaseApproval, type Approval } from '../../jobs/approval.js';
import { afterAck, firstDelivery } from '../guard.js';
import type { Dispatch } from '../../jobs/types.js';
import type { ModelSize } from '../../../app/index.js';
import type { SlackServices } from '../../services.js';

export type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** Where a button was pressed: the ids every action needs. */
export function clickOf(body: BlockButtonAction): { investigationId: string; user: string; channel: string; messageTs: string; threadTs: string } {
  const action = body.actions[0];
  const channel = body.channel?.id ?? body.container.channel_id ?? '';
  const messageTs = body.message?.ts ?? body.container.message_ts ?? '';
  const threadTs = (body.message?.thread_ts as string | undefined) ?? messageTs;
  return { investigationId: action?.value ?? '', user: body.user.id, channel, messageTs, threadTs };
}

/** Analyze fresh is pressed under the answer; it moves the investigation's action message. */
function onActionMessage(click: ReturnType<typeof clickOf>): ReturnType<typeof clickOf> {
  const { investigationId, actionTs } = parseFreshButtonValue(click.investigationId);
  return { ...click, investigationId, messageTs: actionTs ?? click.messageTs };
}

/**
 * Analyze / Ask the larger model / Analyze fresh (after a reused answer: `fresh`, past the
 * answer cache). Checked here, synchronously with the click: the investigation
 * exists and is current, the clicker may approve, and this click wins the conditional state move
 * (a double click, or two approvers at once, sends one analysis). The model call itself is the job.
 */
export function analyzeAction(services: SlackServices, dispatch: Dispatch, size: ModelSize, { fresh = false }: { fresh?: boolean } = {}) {
  return async function onAnalyze({ ack, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const click = fresh ? onActionMessage(clickOf(body)) : clickOf(body);
    await afterAck(services, client, click, 'Approving the analysis failed', async () => {
      // A replayed or retried click approves nothing and says nothing (a second person's click still hears "in progress").
      if (!(await firstDelivery(services, body.trigger_id, click))) return;
      const ephemeral = (message: { text: string; blocks: unknown[] }) =>
        client.chat.postEphemeral({ channel: click.channel, user: click.user, ...(message as { text: string }) });
      const found = await services.app.lookup(click.investigationId);
      if (found.status !== 'found') {
        await markActionExpired(client, click);
        return;
      }
      const stored = found.investigation;
      if (!(await canApprove(click.user, stored.requester, services.config.slack, client, services.config.alarms.approval))) {
        await ephemeral(notAllowedToApproveMessage(stored.requester));
        return;
      }
      const jobId = `${click.investigationId}:${size}:${randomUUID()}`;
      const approval: Approval = { investigationId: click.investigationId, approvalId: jobId, size, ...(fresh ? { fresh } : {}), channel: click.channel, messageTs: click.messageTs };
      if (!(await services.app.approve({ investigationId: click.investigationId, approvalId: jobId, user: click.user, size, ...(fresh ? { fresh } : {}) }))) {
        const latest = await services.app.lookup(click.investigationId);
        const state = latest.status === 'found' ? latest.investigation.state : 'expired';
        await ephemeral(alreadyHandledMessage(state === 'approved' ? 'in progress' : state));
        return;
      }
      try {
        // Revisions move only while pending, so the one current now is the one this approval sends.
        const current = await services.app.currentBundle(click.investigationId);
        if (current) {
          await client.chat.update({
            channel: click.channel,
            ts: click.messageTs,
            ...actionMessage(await actionView(services, { id: click.investigationId, bundle: current.bundle, choices: current.choices, state: 'analyzing', approvedBy: click.user })),
          });
        }
        await dispatch(
          { kind: 'analyze', jobId, investigationId: click.investigationId, user: click.user, channel: click.channel, messageTs: click.messageTs, threadTs: click.threadTs, size, revision: current?.revision ?? 0, ...(fresh ? { fresh } : {}) },
          client,
        );
      } catch (err) {
        // The job never started: give the approval back so the button works again, then report.
        await releaseApproval(services, client, approval).catch((releaseErr: unknown) =>
          services.logger.error({ err: releaseErr, investigationId: click.investigationId }, 'could not give the approval back'),
        );
        throw err;
      }
    });
  };
}
