import { createHash, randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseTroubleshootArgs } from '../../../app/index.js';
import { extractTarget, messageText } from '../../../core/extract-target.js';
import { SHORTCUT_INPUT } from '../../blocks/ids.js';
import { shortcutLoadingModal, type ShortcutOrigin } from '../../blocks/shortcut-modal.js';
import { toJobRequest } from '../../jobs/troubleshoot.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { firstDelivery } from '../guard.js';

type ShortcutArgs = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;
type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * "Troubleshoot this" on any message (an alarm notification, a pasted error, a link): acks, opens a
 * modal at once (the trigger lasts 3 s), reads the message (linear, capped) and hands the rest on:
 * a job checks the APIs it names with read-only calls (a request id looks like an API id) and
 * fills the modal. Nothing runs until the person submits; the results go in the message's thread.
 */
export function troubleshootThisShortcut(services: SlackServices, dispatch: Dispatch) {
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
    const { at, ...found } = extractTarget(messageText(message));
    await dispatch({ kind: 'propose', jobId: randomUUID(), user: shortcut.user.id, viewId, ...where, found: { ...found, ...(at ? { at: at.toISOString() } : {}) } }, client);
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
    // One confirmed modal, one investigation: the same confirmation submitted again (a replayed or
    // retried request) starts nothing. Keyed by the view and what it confirms, not the delivery alone.
    const confirmation = createHash('sha256').update(JSON.stringify([view.id, view.private_metadata, words])).digest('hex').slice(0, 32);
    if (!(await firstDelivery(services, `SHORTCUT#${confirmation}`, { user: body.user.id, channel }))) return;
    await dispatch({ kind: 'troubleshoot', jobId: randomUUID(), request: toJobRequest(parsed.value.request), channel, user: body.user.id, ...(threadTs ? { threadTs } : {}) }, client);
    services.logger.info({ channel, user: body.user.id }, 'investigation started from a message shortcut');
  };
}
