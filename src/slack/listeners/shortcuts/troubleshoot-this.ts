import { createHash, randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseTroubleshootArgs } from '../../../app/index.js';
import { extractTarget, messageText } from '../../../core/extract-target.js';
import { SHORTCUT_INPUT } from '../../blocks/ids.js';
import { shortcutModal } from '../../blocks/shortcut-modal.js';
import { toJobRequest } from '../../jobs/troubleshoot.js';
import type { Dispatch } from '../../jobs/types.js';
import type { SlackServices } from '../../services.js';
import { firstDelivery } from '../guard.js';

type ShortcutArgs = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;
type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** Looking back from an alarm: it fired after the trouble began, so the window ends a little after it. */
const AFTER_ALARM_MS = 15 * 60_000;

/**
 * "Troubleshoot this" on any message (an alarm notification, a pasted error, a link): reads the
 * target and the alarm's time from it and opens a confirmation modal at once (the trigger lasts
 * 3 s). Nothing runs until the person submits.
 */
export function troubleshootThisShortcut(services: SlackServices) {
  return async function onShortcut({ ack, shortcut, client }: ShortcutArgs): Promise<void> {
    await ack();
    const found = extractTarget(messageText(shortcut.message as { text?: string; attachments?: unknown[]; blocks?: unknown[] }));
    const until = found.at ? new Date(found.at.getTime() + AFTER_ALARM_MS).toISOString().replace(/\.000Z$/, 'Z') : undefined;
    const said = found.target
      ? `From the message: *${found.target}*${found.stage ? `, stage *${found.stage}*` : ''}${found.at ? `, at ${found.at.toISOString()}` : ''}. Check it, then investigate.`
      : 'No API id, invoke URL or API name was found in the message: name the API below.';
    try {
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: shortcutModal({
          ...(found.target ? { target: found.target } : {}),
          ...(found.stage ? { stage: found.stage } : {}),
          since: '2h',
          ...(until ? { until } : {}),
          found: said,
          channel: shortcut.channel.id,
        }),
      });
    } catch (err) {
      services.logger.error({ err }, 'could not open the Troubleshoot this modal');
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
    const words = [target ?? '', ...(stage ? ['--stage', stage] : []), ...(since ? ['--since', since] : []), ...(until ? ['--until', until] : [])];
    const parsed = parseTroubleshootArgs(words);
    if (!parsed.ok || parsed.value.kind !== 'request') {
      await ack({ response_action: 'errors', errors: { [SHORTCUT_INPUT.target.block]: parsed.ok ? 'name the API' : parsed.error.slice(0, 150) } });
      return;
    }
    await ack();
    const { channel } = JSON.parse(view.private_metadata) as { channel: string };
    // One confirmed modal, one investigation: the same confirmation submitted again (a replayed or
    // retried request) starts nothing. Keyed by the view and what it confirms, not the delivery alone.
    const confirmation = createHash('sha256').update(JSON.stringify([view.id, view.private_metadata, words])).digest('hex').slice(0, 32);
    if (!(await firstDelivery(services, `SHORTCUT#${confirmation}`, { user: body.user.id, channel }))) return;
    await dispatch({ kind: 'troubleshoot', jobId: randomUUID(), request: toJobRequest(parsed.value.request), channel, user: body.user.id }, client);
    services.logger.info({ channel, user: body.user.id }, 'investigation started from a message shortcut');
  };
}
