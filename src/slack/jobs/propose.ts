import type { WebClient } from '@slack/web-api';
import type { TargetProposal } from '../../app/index.js';
import type { ExtractedTarget } from '../../core/extract-target.js';
import { escapeMrkdwn, truncate } from '../blocks/kit.js';
import { shortcutModal } from '../blocks/shortcut-modal.js';
import type { SlackServices } from '../services.js';
import type { SlackJob } from './types.js';

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
 * "Troubleshoot this", after the ack: checks the candidates the message names (read-only, all at
 * once) and fills the modal the listener opened with the one a read confirmed.
 */
export async function runPropose(job: Extract<SlackJob, { kind: 'propose' }>, services: SlackServices, client: WebClient): Promise<void> {
  const { at, ...rest } = job.found;
  const found: ExtractedTarget = { ...rest, ...(at ? { at: new Date(at) } : {}) };
  let proposal: TargetProposal;
  try {
    proposal = await services.app.proposeTarget(found);
  } catch (err) {
    services.logger.warn({ err }, 'could not check the APIs the message names');
    proposal = { confirmed: false, rejected: [], ...(found.target ? { target: found.target, note: 'could not be checked' } : {}) };
  }
  const until = found.at ? iso(new Date(found.at.getTime() + AFTER_ALARM_MS)) : undefined;
  const stage = proposal.stage ?? found.stage;
  await client.views.update({
    view_id: job.viewId,
    view: shortcutModal({
      ...(proposal.target ? { target: proposal.target } : {}),
      ...(stage ? { stage } : {}),
      ...(proposal.region ? { region: proposal.region } : {}),
      since: '2h',
      ...(until ? { until } : {}),
      found: foundText(found, proposal),
      channel: job.channel,
      ...(job.threadTs ? { threadTs: job.threadTs } : {}),
    }),
  });
}
