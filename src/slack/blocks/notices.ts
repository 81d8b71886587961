import { codeSpans } from './code-spans.js';
import { COMMAND_USAGE } from '../../app/index.js';
import { isAlarmRequester } from '../../core/alarm.js';
import { formatDuration, type TroubleshootRequest } from '../../core/input.js';
import type { NotFoundDetails } from '../../core/outcome.js';
import { formatTokens } from '../../core/units.js';
import { context, escapeMrkdwn, section, slackDate, truncate, type SlackMessage } from './kit.js';

export function usageText(): string {
  return `\`/troubleshoot ${COMMAND_USAGE}\``;
}

/** Bad input: what is wrong, then the one usage line about it (all of them only when none applies). */
export function badInputMessage(error: string, usage?: string): SlackMessage {
  return {
    text: `That command did not parse: ${error}`,
    blocks: [section(`:warning: ${escapeMrkdwn(truncate(error, 1_000))}`), context(`Usage: ${usage ? `\`/troubleshoot ${escapeMrkdwn(usage.startsWith('api-gw') ? usage : `api-gw <api> ${usage}`)}\`` : usageText()}`)],
  };
}

/** The API named by a domain or a name was not found, or several fit: what was tried, and the candidates. */
export function unresolvedTargetMessage(error: string, details?: NotFoundDetails): SlackMessage {
  if (details) return notFoundMessage(error, details);
  return {
    text: `Could not find that API: ${error}`,
    blocks: [section(`:warning: *Could not find that API.* ${codeSpans(escapeMrkdwn(truncate(error, 2_000)))}`), context(`Name it by its id, e.g. \`api-gw a1b2c3d4e5 prod\`, or by its invoke URL.`)],
  };
}

const code = (text: string) => `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;

/**
 * The API, its account or its region cannot be read: said to the person who asked only, with where
 * it looked, each read and its answer, and the nearest APIs as commands to run instead.
 */
export function notFoundMessage(error: string, details: NotFoundDetails): SlackMessage {
  const where = `${details.account ? `account ${code(details.account)}, ` : ''}${escapeMrkdwn(details.region)}`;
  const headline =
    details.subject === 'account'
      ? `*Cannot read account ${code(details.asked)}* (${escapeMrkdwn(details.region)}).`
      : details.subject === 'region'
        ? `*Cannot read region ${code(details.asked)}*${details.account ? ` in account ${code(details.account)}` : ''}.`
        : `*No API ${code(truncate(details.asked, 200))} in ${where}.*`;
  const tried = details.tried.slice(0, 8).map((t) => `${code(t.call)} → ${escapeMrkdwn(truncate(t.answer, 120))}`);
  const lines = [`:warning: ${headline} Only you can see this; nothing was posted to the channel.`, `*Tried:* ${tried.join(' · ')}`];
  const candidates = details.candidates.slice(0, 5).map((api) => {
    const region = api.region ?? (details.regionAsked ? details.region : undefined);
    const command = `/troubleshoot api-gw ${api.id}${region ? ` --region ${region}` : ''}`;
    return `• ${code(api.id)} (${api.apiType}${api.name ? `, ${escapeMrkdwn(truncate(api.name, 80))}` : ''}${api.region ? `, in ${escapeMrkdwn(api.region)}` : ''}): ${code(command)}`;
  });
  if (candidates.length) lines.push(`*${details.candidates.some((c) => c.region) ? 'Found' : 'Nearest'}:*\n${candidates.join('\n')}`);
  else if (details.subject === 'api' && details.listed !== undefined) lines.push(`No similar API among the ${details.listed} listed there: check the id, \`--region\` and \`--account\`.`);
  if (details.subject === 'account') lines.push('Add the account with its read-only role under `aws.accounts` (alias, accountId, roleArn), or leave out `--account`.');
  return {
    text: `Could not read that API: ${error}`,
    blocks: [section(truncate(lines.join('\n'), 2_900)), context(`Usage: \`/troubleshoot api-gw <api id | invoke URL | custom domain | API name | console link> [stage] [--region r] [--account a]\``)],
  };
}

export function helpMessage(): SlackMessage {
  return {
    text: 'firebreak help',
    blocks: [
      section(
        [
          '*firebreak* checks an API Gateway REST API deterministically (for zero tokens), then offers a model analysis you approve.',
          '• `/troubleshoot api-gw <api> [stage] [--since 2h] [--region us-east-1] [--account prod]`: investigate; results in a thread. `<api>`: its id, an invoke URL, a custom domain, its name or a console link',
          '• `/troubleshoot usage`: your model quota today',
          '• `/troubleshoot spend`: this week’s spend summary, to you only',
          '• `/troubleshoot help`: this message',
        ].join('\n'),
      ),
    ],
  };
}

export function channelRefusedMessage(channelId: string, allowed: string[]): SlackMessage {
  const where = allowed.slice(0, 20).map((c) => `<#${c}>`).join(', ');
  return {
    text: 'firebreak is not enabled in this channel',
    blocks: [section(`:no_entry: firebreak is not enabled in <#${channelId}>. Use it in ${where || 'a configured channel'}, or ask an admin to add this channel to FIREBREAK_ALLOWED_CHANNELS.`)],
  };
}

export interface UsageView {
  user: string;
  used: number;
  /** null: no limit (an admin). */
  limit: number | null;
  remaining: number | null;
  resetsAt: Date;
}

export function quotaMessage(view: UsageView): SlackMessage {
  if (view.limit === null) {
    return { text: `Quota: ${view.used} tokens used today, no limit`, blocks: [section(`*Your model quota today:* ${formatTokens(view.used)} tokens used; you have no daily limit.`)] };
  }
  const pct = view.limit > 0 ? Math.min(100, Math.round((view.used / view.limit) * 100)) : 100;
  return {
    text: `Quota: ${view.used}/${view.limit} tokens used today`,
    blocks: [
      section(`*Your model quota today:* ${formatTokens(view.used)} of ${formatTokens(view.limit)} tokens used (${pct}%), ${formatTokens(view.remaining ?? 0)} left.`),
      context(`Resets ${slackDate(view.resetsAt)}`),
    ],
  };
}

/**
 * Over quota, in the same figure the button showed: what the analysis reserves (the tokens the
 * model reads plus the most it may write), against what is left today.
 */
export function overQuotaMessage(view: { used: number; limit: number; resetsAt: Date; needed?: number }): SlackMessage {
  const left = Math.max(0, view.limit - view.used);
  const needed = view.needed;
  const headline =
    needed !== undefined && needed > view.limit
      ? `*This analysis reserves up to ${formatTokens(needed)} tokens, more than your whole daily quota (${formatTokens(view.limit)}).*`
      : `*Not enough of your daily model quota left:* ${formatTokens(left)} of ${formatTokens(view.limit)} tokens${needed !== undefined ? `; this analysis reserves up to ${formatTokens(needed)}` : ''}.`;
  return {
    text: `Over quota: ${formatTokens(left)} of ${formatTokens(view.limit)} tokens left today${needed !== undefined ? `, ${formatTokens(needed)} needed` : ''}`,
    blocks: [
      section(`:no_entry_sign: ${headline} Nothing was sent or charged.`),
      context(`The reservation is what the model reads plus the most it may write; only what it uses is charged. Resets ${slackDate(view.resetsAt)}. Pick a smaller budget under Add context, or ask an approver to press Analyze.`),
    ],
  };
}

export function notAllowedToApproveMessage(requester: string): SlackMessage {
  return {
    text: 'Only the requester or an approver can approve this analysis',
    blocks: [
      section(
        isAlarmRequester(requester)
          ? ':lock: An alarm started this investigation: only an approver can send its bundle to a model (`alarms.approval` is `approvers`); it is charged to their quota.'
          : `:lock: Only <@${requester}> (who asked) or an approver can send this bundle to a model; it is charged to their quota.`,
      ),
    ],
  };
}

export function expiredMessage(): SlackMessage {
  return { text: 'This investigation has expired', blocks: [section(':hourglass: This investigation has expired; run `/troubleshoot` again for fresh data.')] };
}

export function alreadyHandledMessage(state: string): SlackMessage {
  return { text: `Already ${state}`, blocks: [section(`:information_source: This analysis is already ${escapeMrkdwn(state)}; nothing more was charged.`)] };
}

/** A failure: what failed, and an id to find it in the logs. */
export function errorMessage(what: string, errorId: string, detail?: string): SlackMessage {
  return {
    text: `${what} (error ${errorId})`,
    blocks: [
      section(`:x: *${escapeMrkdwn(truncate(what, 300))}*${detail ? `\n${escapeMrkdwn(truncate(detail, 1_500))}` : ''}`),
      context(`Error id \`${errorId}\` (in the bot's logs). Nothing collected so far is lost.`),
    ],
  };
}

/** The private ack of `/troubleshoot api-gw …`: the user knows at once what is being looked at. */
export function investigatingMessage(request: Pick<TroubleshootRequest, 'restApiId' | 'stage' | 'sinceMs' | 'since' | 'until' | 'region' | 'account'>): SlackMessage {
  const window = request.since
    ? `${request.since.toISOString()} → ${request.until ? request.until.toISOString() : 'now'}`
    : request.until
      ? `${formatDuration(request.sinceMs)} before ${request.until.toISOString()}`
      : `last ${formatDuration(request.sinceMs)}`;
  const where = [request.stage ? `stage ${request.stage}` : 'all stages', window, request.region, request.account ? `account ${request.account}` : undefined].filter(Boolean).join(', ');
  const text = `Investigating \`${request.restApiId}\` (${where})…`;
  return { text, blocks: [section(`:mag: ${escapeMrkdwn(text)} The results will be posted in a thread here.`)] };
}

/** Slack API error codes that mean the bot may not post in the channel, and what to do about it. */
const CANNOT_POST: Record<string, string> = {
  not_in_channel: 'I am not in this channel: invite me with `/invite @firebreak`, then run the command again.',
  channel_not_found: 'I cannot see this channel (a private channel or a DM?): invite me with `/invite @firebreak`, then run the command again.',
  is_archived: 'This channel is archived; run the command in an active channel.',
};

/**
 * The detail to show for a failure: for a Slack "cannot post here" error, the fix rather than the
 * raw error code; otherwise the error's message.
 */
export function failureDetail(err: unknown): string {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code === 'string' && CANNOT_POST[code]) return CANNOT_POST[code];
  return err instanceof Error ? err.message : String(err);
}
