import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommandText } from '../../../app/index.js';
import type { Config } from '../../../config.js';
import { USAGE } from '../../../core/input.js';
import { badInputMessage, channelRefusedMessage, helpMessage, investigatingMessage, quotaMessage } from '../../blocks/notices.js';
import { toJobRequest } from '../../jobs/troubleshoot.js';
import { reportFailure } from '../../jobs/errors.js';
import type { Dispatch, SlackJob } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { afterAck } from '../guard.js';

export type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/** Long enough for any Slack retry (they come within minutes) and the 5-minute replay window. */
const DELIVERY_KEEP_SECONDS = 3_600;

/**
 * Delivery claims written at once, at most. Acks no longer wait for their claim, so a burst of
 * commands would otherwise pile every claim onto the process at the same time, and the acks of the
 * next commands would wait behind them (the embedded ledger is single-threaded); queued, a claim
 * takes its turn and an ack never waits for more than the claims being written.
 */
const CLAIMS_AT_ONCE = 2;

function limited<T>(at: number): (work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= at) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * Why `--account` cannot be used, or undefined when it can: an alias must be configured; a 12-digit
 * id passes (the home account needs no entry; the engine still refuses another one without a role).
 */
export function accountProblem(account: string | undefined, accounts: Config['aws']['accounts']): string | undefined {
  if (!account || /^\d{12}$/.test(account) || accounts.some((a) => a.alias === account || a.accountId === account)) return undefined;
  const known = accounts.map((a) => a.alias ?? a.accountId).slice(0, 20);
  return `unknown account "${account}": ${known.length ? `configured accounts are ${known.join(', ')}` : 'no accounts are configured (aws.accounts)'}`;
}

type Parsed = ReturnType<typeof parseCommandText>;
type AckMessage = Parameters<CommandArgs['respond']>[0] & Record<string, unknown>;

/** What a command that starts work acks with, and the job it starts (none when its input is refused). */
function workOf(parsed: Extract<Parsed, { kind: 'troubleshoot' | 'spend' }>, command: CommandArgs['command'], services: SlackServices): { message: AckMessage; job?: SlackJob } {
  if (parsed.kind === 'spend') {
    return { message: { response_type: 'ephemeral', text: 'Adding up this week’s spend…' }, job: { kind: 'spend', jobId: randomUUID(), user: command.user_id, channel: command.channel_id } };
  }
  const problem = accountProblem(parsed.request.account, services.config.aws.accounts);
  if (problem) return { message: { response_type: 'ephemeral', ...badInputMessage(problem, USAGE.account) } };
  return {
    message: { response_type: 'ephemeral', ...investigatingMessage(parsed.request) },
    job: { kind: 'troubleshoot', jobId: randomUUID(), request: toJobRequest(parsed.request), channel: command.channel_id, user: command.user_id, responseUrl: command.response_url },
  };
}

/**
 * `/troubleshoot …`: validates, answers bad input and help in the ack itself (ephemeral, instant),
 * and hands anything slow to `dispatch` after acking, well inside Slack's 3 seconds.
 */
export function troubleshootCommand(services: SlackServices, dispatch: Dispatch) {
  const claimInTurn = limited<boolean>(CLAIMS_AT_ONCE);
  return async function onTroubleshoot({ ack, command, client, respond, context }: CommandArgs): Promise<void> {
    const allowed = services.config.slack.allowedChannels;
    if (allowed.length > 0 && !allowed.includes(command.channel_id)) {
      await ack({ response_type: 'ephemeral', ...channelRefusedMessage(command.channel_id, allowed) });
      return;
    }
    const parsed = parseCommandText(command.text);
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
      case 'troubleshoot': {
        const { message, job } = workOf(parsed, command, services);
        if (!job) {
          await ack(message);
          return;
        }
        if (!command.trigger_id) {
          await ack(message);
          await dispatch(job, client);
          return;
        }
        // Work runs once per delivery identity: Slack's retry after a slow ack (X-Slack-Retry-Num)
        // and a replayed signed request carry the same trigger_id. The delivery is claimed side by
        // side with the ack, never before it: the ack does not wait on the ledger's write, and only
        // the delivery that wins the claim starts the work.
        const claimed = claimInTurn(() => services.app.claimOnce(`DELIVERY#${command.trigger_id}`, DELIVERY_KEEP_SECONDS, { user: command.user_id, channel: command.channel_id })).then(
          (first) => ({ first }),
          (err: unknown) => ({ err }),
        );
        // A delivery Slack marks as a retry was seen before, most likely: acked empty, and told
        // only if it turns out to be the one that starts the work (the first never arrived).
        const retry = context.retryNum !== undefined;
        await (retry ? ack() : ack(message));
        const outcome = await claimed;
        if ('err' in outcome) {
          await reportFailure(services, client, { channel: command.channel_id, user: command.user_id }, 'Starting the command failed', outcome.err);
          return;
        }
        if (!outcome.first) {
          services.logger.info({ triggerId: command.trigger_id, retry }, 'duplicate delivery of a command; ignored');
          return;
        }
        if (retry) await respond(message);
        await dispatch(job, client);
        return;
      }
    }
  };
}
