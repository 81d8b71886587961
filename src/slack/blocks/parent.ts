import type { AlarmTrigger } from '../../core/alarm.js';
import type { Severity } from '../../core/finding.js';
import { alarmAskedBy, alarmParentLines, alarmSubject } from './alarm-lines.js';
import type { Target } from '../../core/target.js';
import { describeTarget } from '../../core/target.js';
import { codeSpans } from './code-spans.js';
import { SEVERITY_EMOJI } from './findings.js';
import { context, escapeMrkdwn, mention, section, slackDate, truncate, type SlackMessage } from './kit.js';

/**
 * Where the investigation stands, as the channel sees it without opening the thread: collecting,
 * the rules' verdict (the top finding) or "no known cause", then the analysis's root cause.
 */
export type ParentStatus =
  | { kind: 'collecting'; done: number; total: number }
  | { kind: 'finding'; severity: Severity; title: string; fix: string; findings: number }
  | { kind: 'no-cause'; problemSources: number; inconclusive: number; analysisAvailable: boolean }
  | { kind: 'failed'; errorId: string };

export interface ParentView {
  target: Target;
  window: { since: Date; until: Date };
  requester: string;
  /** `aws` or `sandbox:<name>`: a sandbox run must never look like production. */
  origin: string;
  investigationId: string;
  /** How a URL, a custom domain or a name became the target. */
  resolution?: string;
  status?: ParentStatus;
  /** The model's root cause, once an analysis answered. */
  answer?: { rootCause: string; confidence: 'high' | 'medium' | 'low' };
  /** Links to the thread's messages (coverage, findings, answer); absent: "details in the thread". */
  links?: { label: string; url: string }[];
  /** Set when a CloudWatch alarm started it (`requester` is then `alarm:<name>`). */
  alarm?: AlarmTrigger;
}

const CONFIDENCE_EMOJI = { high: ':large_green_circle:', medium: ':large_yellow_circle:', low: ':red_circle:' } as const;

/** The first sentence (or line) of a text: the channel gets one line, the thread has the rest. */
export function oneLine(text: string, max = 240): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  const sentence = /^(.+?[.!?])(\s|$)/.exec(line.trim())?.[1] ?? line.trim();
  return truncate(sentence, max);
}

function statusText(status: ParentStatus): string {
  switch (status.kind) {
    case 'collecting':
      return status.total === 0 ? ':hourglass_flowing_sand: Starting the collection…' : `:hourglass_flowing_sand: Collecting: ${status.done}/${status.total} sources`;
    case 'finding': {
      const more = status.findings > 1 ? ` _(+${status.findings - 1} more finding${status.findings > 2 ? 's' : ''})_` : '';
      return `${SEVERITY_EMOJI[status.severity]} *${status.severity}*: ${codeSpans(escapeMrkdwn(oneLine(status.title, 200)))}${more}\n_Fix:_ ${codeSpans(escapeMrkdwn(oneLine(status.fix, 300)))}`;
    }
    case 'no-cause': {
      const problems = `${status.problemSources} source${status.problemSources === 1 ? '' : 's'} with problems`;
      const open = status.inconclusive > 0 ? `, ${status.inconclusive} check${status.inconclusive === 1 ? '' : 's'} inconclusive` : '';
      return `:grey_question: *No known cause*: ${problems}${open}${status.analysisAvailable ? ', analysis available' : ''}`;
    }
    case 'failed':
      return `:x: The investigation failed (error id \`${escapeMrkdwn(status.errorId)}\`)`;
  }
}

/** The message in the channel: what is being looked at, for which window, who asked, and the outcome so far. */
export function parentMessage(view: ParentView): SlackMessage {
  const what = describeTarget(view.target);
  const sandbox = view.origin.startsWith('sandbox:') ? ` · :test_tube: ${escapeMrkdwn(view.origin)}` : '';
  const lines = [`:mag: *Troubleshooting ${escapeMrkdwn(what)}*`, ...(view.alarm ? alarmParentLines(view.alarm) : []), `Window: ${slackDate(view.window.since)} → ${slackDate(view.window.until)}`];
  if (view.resolution) lines.push(`:link: ${codeSpans(escapeMrkdwn(truncate(view.resolution, 300)))}`);
  if (view.status) lines.push(statusText(view.status));
  if (view.answer) {
    const { confidence } = view.answer;
    lines.push(`:robot_face: *Analysis* ${CONFIDENCE_EMOJI[confidence]} _${confidence} confidence_: ${codeSpans(escapeMrkdwn(oneLine(view.answer.rootCause, 400)))}`);
  }
  const links = view.links?.length ? view.links.map((l) => `<${l.url}|${escapeMrkdwn(l.label)}>`).join(' · ') : 'details in the thread';
  const verdict = view.answer ? ` · ${oneLine(view.answer.rootCause, 120)}` : view.status?.kind === 'finding' ? ` · ${view.status.severity}: ${oneLine(view.status.title, 120)}` : '';
  return {
    text: `Troubleshooting ${what} for ${view.alarm ? alarmSubject(view.alarm) : mention(view.requester)}${verdict}`,
    blocks: [section(lines.join('\n')), context(`${view.alarm ? alarmAskedBy(view.alarm) : `Asked by ${mention(view.requester)}`} · investigation \`${view.investigationId}\`${sandbox} · ${links}`)],
  };
}
