import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseTroubleshootArgs, type TargetProposal } from '../../../app/index.js';
import { extractTarget, messageText, type ExtractedTarget } from '../../../core/extract-target.js';
import { SHORTCUT_INPUT } from '../../blocks/ids.js';
import { escapeMrkdwn, truncate } from '../../blocks/kit.js';
import { shortcutLoadingModal, shortcutModal, type ShortcutOrigin } from '../../blocks/shortcut-modal.js';
import { toJobRequest } from '../../jobs/troubleshoot.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';

type ShortcutArgs = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;
type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** Looking back from an alarm: it fired after the trouble began, so the window ends a little after it. */
const AFTER_ALARM_MS = 15 * 60_000;

const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, 'Z');
const code = (text: string) => `\`${escapeMrkdwn(truncate(text.replace(/`/g, "'"), 200))}\``;

/** What the modal says it read: the API the reads confirmed (or why none), the stage and the alarm's time. */
export function foundText(found: ExtractedTarget, proposal: TargetProposal): string {
  const lines: string[] = [];
  if (proposal.target) {
    const what = proposal.confirmed ? `:white_check_mark: ${escapeMrkdwn(proposal.note ?? '')}` : `:warning: ${escapeMrkdwn(proposal.note ?? 'not checked')}`;
    lines.push(`*From the message:* ${code(proposal.target)}${proposal.stage ? `, stage ${code(proposal.stage)}` : ''}\n${what}`);
  } else {
    lines.push(found.candidates.length ? '*No API in the message could be confirmed:* name it below.' : '*No API id, invoke URL, custom domain or API name was found in the message:* name it below.');
  }
  const rejected = proposal.rejected.slice(0, 3).map((r) => `${code(r.text)}: ${escapeMrkdwn(truncate(r.why, 160))}`);
  if (rejected.length) lines.push(`_Not an API:_ ${rejected.join(' · ')}`);
  if (found.at) lines.push(`*Alarm time:* ${iso(found.at)}${found.assumedUtc ? ' (no zone in the message: read as UTC)' : ''}; the window ends 15 minutes after it.`);
  if (found.clipped) lines.push('_The message is long: only its first 200,000 characters were read._');
  return truncate(lines.join('\n'), 2_900);
}

/**
 * "Troubleshoot this" on any message (an alarm notification, a pasted error, a link): opens a
 * modal at once (the trigger lasts 3 s), reads the message (linear, capped), checks the APIs it
 * names with read-only calls (a request id looks like an API id), and shows what it found to be
 * confirmed. Nothing runs until the person submits; the results go in the message's thread.
 */
export function troubleshootThisShortcut(services: SlackServices) {
  return async function onShortcut({ ack, shortcut, client }: ShortcutArgs): Promise<void> {
    await ack();
    const message = shortcut.message as { text?: string; attachments?: unknown[]; blocks?: unknown[]; ts?: string; thread_ts?: string };
    const where = { channel: shortcut.channel.id, ...(message.thread_ts || message.ts ? { threadTs: message.thread_ts ?? message.ts } : {}) };
    let viewId: string | undefined;
    try {
      viewId = (await client.views.open({ trigger_id: shortcut.trigger_id, view: shortcutLoadingModal(where) })).view?.id;
    } catch (err) {
      services.logger.error({ err }, 'could not open the Troubleshoot this modal');
    }
    if (!viewId) return;
    const found = extractTarget(messageText(message));
    let proposal: TargetProposal;
    try {
      proposal = await services.app.proposeTarget(found);
    } catch (err) {
      services.logger.warn({ err }, 'could not check the APIs the message names');
      proposal = { confirmed: false, rejected: [], ...(found.target ? { target: found.target, note: 'could not be checked' } : {}) };
    }
    const until = found.at ? iso(new Date(found.at.getTime() + AFTER_ALARM_MS)) : undefined;
    const view = shortcutModal({
      ...(proposal.target ? { target: proposal.target } : {}),
      ...((proposal.stage ?? found.stage) ? { stage: proposal.stage ?? found.stage } : {}),
      ...(proposal.region ? { region: proposal.region } : {}),
      since: '2h',
      ...(until ? { until } : {}),
      found: foundText(found, proposal),
      ...where,
    });
    try {
      await client.views.update({ view_id: viewId, view });
    } catch (err) {
      services.logger.error({ err }, 'could not show what the message names in the Troubleshoot this modal');
    }
  };
}

type Values = Record<string, Record<string, { value?: string | null }>>;
const valueOf = (values: Values, input: { block: string; action: string }) => values[input.block]?.[input.action]?.value?.trim() || undefined;

/** The confirmed modal: the same grammar as the slash command, then the same troubleshoot job. */
export function troubleshootThisSubmitted(services: SlackServices, dispatch: Dispatch) {
  return async function onSubmitted({ ack, body, view, client }: ViewArgs): Promise<void> {
    const values = view.state.values as Values;
    const target = valueOf(values, SHORTCUT_INPUT.target);
    const stage = valueOf(values, SHORTCUT_INPUT.stage);
    const since = valueOf(values, SHORTCUT_INPUT.since);
    const until = valueOf(values, SHORTCUT_INPUT.until);
    const region = valueOf(values, SHORTCUT_INPUT.region);
    const words = [target ?? '', ...(stage ? ['--stage', stage] : []), ...(since ? ['--since', since] : []), ...(until ? ['--until', until] : []), ...(region ? ['--region', region] : [])];
    const parsed = parseTroubleshootArgs(words);
    if (!parsed.ok || parsed.value.kind !== 'request') {
      await ack({ response_action: 'errors', errors: { [SHORTCUT_INPUT.target.block]: parsed.ok ? 'name the API' : parsed.error.slice(0, 150) } });
      return;
    }
    await ack();
    const { channel, threadTs } = JSON.parse(view.private_metadata) as ShortcutOrigin;
    await dispatch({ kind: 'troubleshoot', jobId: randomUUID(), request: toJobRequest(parsed.value.request), channel, user: body.user.id, ...(threadTs ? { threadTs } : {}) }, client);
    services.logger.info({ channel, user: body.user.id }, 'investigation started from a message shortcut');
  };
}
