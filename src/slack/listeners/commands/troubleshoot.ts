import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommandText } from '../../../app/index.js';
import type { Config } from '../../../config.js';
import { USAGE } from '../../../core/input.js';
import { badInputMessage, channelRefusedMessage, helpMessage, investigatingMessage, quotaMessage } from '../../blocks/notices.js';
import { toJobRequest } from '../../jobs/troubleshoot.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { afterAck } from '../guard.js';

export type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/** Long enough for any Slack retry (they come within minutes) and the 5-minute replay window. */
const DELIVERY_KEEP_SECONDS = 3_600;

/**
 * Why `--account` cannot be used, or undefined when it can: an alias must be configured; a 12-digit
 * id passes (the home account needs no entry; the engine still refuses another one without a role).
 */
export function accountProblem(account: string | undefined, accounts: Config['aws']['accounts']): string | undefined {
  if (!account || /^\d{12}$/.test(account) || accounts.some((a) => a.alias === account || a.accountId === account)) return undefined;
  const known = accounts.map((a) => a.alias ?? a.accountId).slice(0, 20);
  return `unknown account "${account}": ${known.length ? `configured accounts are ${known.join(', ')}` : 'no accounts are configured (aws.accounts)'}`;
}

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
    // A command that starts work runs once per delivery identity: Slack's retry after a slow ack
    // (X-Slack-Retry-Num) and a replayed signed request carry the same trigger_id. The duplicate is
    // acked at once, empty, and starts nothing.
    if ((parsed.kind === 'troubleshoot' || parsed.kind === 'spend') && command.trigger_id) {
      const first = await services.app.claimOnce(`DELIVERY#${command.trigger_id}`, DELIVERY_KEEP_SECONDS, { user: command.user_id, channel: command.channel_id });
      if (!first) {
        services.logger.info({ triggerId: command.trigger_id }, 'duplicate delivery of a command; ignored');
        await ack();
        return;
      }
    }
    switch (parsed.kind) {
      case 'error':
        await ack({ response_type: 'ephemeral', ...badInputMessage(parsed.error, parsed.usage) });
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', ...helpMessage() });
        return;
      case 'usage': {
        await ack();
        await afterAck(services, client, { channel: command.channel_id, user: command.user_id }, 'Reading your quota failed', async () => {
          const quota = await services.app.usage(command.user_id);
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
      case 'troubleshoot': {
        const problem = accountProblem(parsed.request.account, services.config.aws.accounts);
        if (problem) {
          await ack({ response_type: 'ephemeral', ...badInputMessage(problem, USAGE.account) });
          return;
        }
        await ack({ response_type: 'ephemeral', ...investigatingMessage(parsed.request) });
        await dispatch(
          { kind: 'troubleshoot', jobId: randomUUID(), request: toJobRequest(parsed.request), channel: command.channel_id, user: command.user_id, responseUrl: command.response_url },
          client,
        );
        return;
      }
    }
  };
}
