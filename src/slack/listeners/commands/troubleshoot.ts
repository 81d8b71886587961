import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommandText } from '../../../core/input.js';
import { badInputMessage, channelRefusedMessage, helpMessage, quotaMessage } from '../../blocks/notices.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { afterAck } from '../guard.js';

export type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/**
 * `/troubleshoot …`: validates, answers bad input and help in the ack itself (ephemeral, instant),
 * and hands anything slow to `dispatch` after acking, well inside Slack's 3 seconds.
 */
export function troubleshootCommand(services: SlackServices, dispatch: Dispatch) {
  return async function onTroubleshoot({ ack, command, client, respond }: CommandArgs): Promise<void> {
    const allowed = services.config.slack.allowedChannels;
    if (allowed.length > 0 && !allowed.includes(command.channel_id)) {
      await ack({ response_type: 'ephemeral', ...channelRefusedMessage(command.channel_id, allowed) });
      return;
    }
    const parsed = parseCommandText(command.text);
    switch (parsed.kind) {
      case 'error':
        await ack({ response_type: 'ephemeral', ...badInputMessage(parsed.error) });
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', ...helpMessage() });
        return;
      case 'usage': {
        await ack();
        await afterAck(services, client, { channel: command.channel_id, user: command.user_id }, 'Reading your quota failed', async () => {
          const quota = await services.quota.usage(command.user_id);
          await respond({
            response_type: 'ephemeral',
            ...quotaMessage({ user: command.user_id, used: quota.used, limit: quota.limit, remaining: quota.remaining, resetsAt: new Date(quota.resetsAt) }),
          });
        });
        return;
      }
      case 'spend':
        await ack({ response_type: 'ephemeral', text: 'Adding up this week’s spend…' });
        await dispatch({ kind: 'spend', jobId: randomUUID(), user: command.user_id, channel: command.channel_id }, client);
        return;
      case 'troubleshoot':
        await ack();
        await dispatch(
          { kind: 'troubleshoot', jobId: randomUUID(), text: command.text, channel: command.channel_id, user: command.user_id, responseUrl: command.response_url },
          client,
        );
        return;
    }
  };
}
