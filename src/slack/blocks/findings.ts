import { bySeverity, formatRef, type Finding, type Severity } from '../../core/finding.js';
import { context, escapeMrkdwn, header, MAX_MESSAGE_BLOCKS, section, truncate, type Block, type SlackMessage } from './kit.js';

export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':information_source:',
};

export function findingText(finding: Finding): string {
  const refs = finding.evidence.slice(0, 5).map((ref) => `\`${escapeMrkdwn(truncate(formatRef(ref), 80))}\`${ref.quote ? ` “${escapeMrkdwn(truncate(ref.quote, 160))}”` : ''}`);
  const more = finding.evidence.length > 5 ? ` (+${finding.evidence.length - 5} more)` : '';
  return [
    `${SEVERITY_EMOJI[finding.severity]} *${escapeMrkdwn(truncate(finding.title, 200))}*${finding.inconclusive ? ' _(inconclusive)_' : ''}`,
    escapeMrkdwn(truncate(finding.detail, 1_200)),
    refs.length ? `_Evidence:_ ${refs.join(' · ')}${more}` : '',
    `_Fix:_ ${escapeMrkdwn(truncate(finding.fix, 600))}`,
    `\`${escapeMrkdwn(finding.rule)}\``,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Findings, most severe first, one section each; beyond the block limit they are counted. */
export function findingsMessage(findings: readonly Finding[]): SlackMessage {
  if (findings.length === 0) {
    return {
      text: 'No findings from the rules',
      blocks: [section(':mag_right: *No known misconfiguration matched.* The rules found nothing; the coverage above shows what was looked at.')],
    };
  }
  const sorted = [...findings].sort(bySeverity);
  const room = MAX_MESSAGE_BLOCKS - 2;
  const shown = sorted.slice(0, room);
  const blocks: Block[] = [header(`Findings: ${findings.length}`), ...shown.map((f) => section(findingText(f)))];
  if (sorted.length > shown.length) blocks.push(context(`… and ${sorted.length - shown.length} more findings (in the bundle download)`));
  return { text: `${findings.length} findings: ${sorted[0]?.title ?? ''}`, blocks };
}
