import type { AlarmTrigger } from '../../core/alarm.js';
import { alarmAskedBy, alarmParentLines, alarmSubject } from './alarm-lines.js';
import type { Target } from '../../core/target.js';
import { describeTarget } from '../../core/target.js';
import { trafficLine } from '../../core/traffic.js';
import type { Verdict } from '../../core/verdict.js';
import { codeSpans } from './code-spans.js';
import { SEVERITY_EMOJI } from './findings.js';
import { context, escapeMrkdwn, mention, packLines, slackDate, truncate, type SlackMessage } from './kit.js';

/**
 * Where the investigation stands, as the channel sees it without opening the thread: collecting,
 * the rules' verdict (the top finding) or "no known cause", then the analysis's root cause.
 */
export type ParentStatus =
  /** `recent`: the sources that finished last (the progress lives here, not in the thread). */
  | { kind: 'collecting'; done: number; total: number; recent?: string[] }
  | { kind: 'verdict'; verdict: Verdict; analysisAvailable: boolean }
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

const prose = (text: string, max: number) => codeSpans(escapeMrkdwn(oneLine(text, max)));

/** "CloudTrail (cloudtrail:LookupEvents refused), Flow logs (not configured)": the blind spots, one line. */
function notChecked(unchecked: readonly string[]): string | undefined {
  if (unchecked.length === 0) return undefined;
  const shown = unchecked.slice(0, 4).map((u) => codeSpans(escapeMrkdwn(truncate(u, 80))));
  return `_Not checked:_ ${shown.join(', ')}${unchecked.length > shown.length ? ` and ${unchecked.length - shown.length} more` : ''}`;
}

function verdictText(verdict: Verdict, analysisAvailable: boolean): string {
  switch (verdict.kind) {
    case 'findings': {
      const lines = verdict.top.map((f) => `${SEVERITY_EMOJI[f.severity]} *${f.severity}*: ${prose(f.title, 160)}`);
      const [first] = verdict.top;
      // A fix that is a command is shown whole, as code (filled in by the job, like the thread's).
      if (first) lines.push(`_Fix:_ ${/^aws [a-z0-9-]+ /.test(first.fix) ? `\`${escapeMrkdwn(truncate(first.fix.replace(/`/g, "'"), 600))}\`` : prose(first.fix, 240)}`);
      if (verdict.more > 0) lines.push(`_+${verdict.more} more finding${verdict.more === 1 ? '' : 's'} in the thread_`);
      return lines.join('\n');
    }
    case 'healthy': {
      const lines = [`:white_check_mark: *No problem found*${verdict.traffic ? `: ${escapeMrkdwn(trafficLine(verdict.traffic))}` : ': the rules matched nothing (no traffic counts were read)'}`];
      const gaps = notChecked(verdict.unchecked);
      if (gaps) lines.push(gaps);
      if (verdict.notes > 0) lines.push(`_${verdict.notes} low note${verdict.notes === 1 ? '' : 's'} in the thread_`);
      return lines.join('\n');
    }
    case 'no-cause': {
      const open = verdict.inconclusive > 0 ? `; ${verdict.inconclusive} check${verdict.inconclusive === 1 ? '' : 's'} inconclusive` : '';
      const lines = [`:grey_question: *No known cause*: ${escapeMrkdwn(verdict.why)}${open}${analysisAvailable ? '. An analysis is available in the thread' : ''}`];
      const gaps = notChecked(verdict.unchecked);
      if (gaps) lines.push(gaps);
      return lines.join('\n');
    }
  }
}

function statusText(status: ParentStatus): string {
  switch (status.kind) {
    case 'collecting': {
      if (status.total === 0) return ':hourglass_flowing_sand: Starting the collection…';
      const recent = status.recent?.length ? ` · last: ${escapeMrkdwn(truncate(status.recent.slice(0, 3).join(', '), 120))}` : '';
      return `:hourglass_flowing_sand: Collecting: ${status.done}/${status.total} sources${recent}`;
    }
    case 'verdict':
      return verdictText(status.verdict, status.analysisAvailable);
    case 'failed':
      return `:x: The investigation failed (error id \`${escapeMrkdwn(status.errorId)}\`)`;
  }
}

/** The message in the channel: what is being looked at, for which window, who asked, and the outcome so far. */
export function parentMessage(view: ParentView): SlackMessage {
  const what = describeTarget(view.target);
  const sandbox = view.origin.startsWith('sandbox:') ? ` · :test_tube: ${escapeMrkdwn(view.origin)}` : '';
  const header = [`:mag: *Troubleshooting ${escapeMrkdwn(what)}*`, ...(view.alarm ? alarmParentLines(view.alarm) : []), `Window: ${slackDate(view.window.since)} → ${slackDate(view.window.until)}`];
  if (view.resolution) header.push(`:link: ${codeSpans(escapeMrkdwn(truncate(view.resolution, 300)))}`);
  // Once decided, the verdict is the first line the channel reads (✅, 🚨, ❔); while collecting, what is being looked at.
  const decided = view.status && view.status.kind !== 'collecting';
  const lines = decided && view.status ? [statusText(view.status), ...header] : [...header, ...(view.status ? [statusText(view.status)] : [])];
  const analysis = view.answer
    ? `:robot_face: *Analysis* ${CONFIDENCE_EMOJI[view.answer.confidence]} _${view.answer.confidence} confidence_: ${codeSpans(escapeMrkdwn(oneLine(view.answer.rootCause, 400)))}`
    : undefined;
  // One section as a rule; long findings, alarm lines and an analysis spill into the next ones at a line's end, never cut off.
  const sections = packLines([...lines.join('\n').split('\n'), ...(analysis ? [analysis] : [])], 4, (n) => `_+${n} more line${n === 1 ? '' : 's'}_`);
  const links = view.links?.length ? view.links.map((l) => `<${l.url}|${escapeMrkdwn(l.label)}>`).join(' · ') : 'details in the thread';
  const verdict = view.status?.kind === 'verdict' ? `${verdictNotice(view.status.verdict)} · ` : '';
  const answer = view.answer ? ` · ${oneLine(view.answer.rootCause, 120)}` : '';
  return {
    text: `${verdict}Troubleshooting ${what} for ${view.alarm ? alarmSubject(view.alarm) : mention(view.requester)}${answer}`,
    blocks: [...sections, context(`${view.alarm ? alarmAskedBy(view.alarm) : `Asked by ${mention(view.requester)}`} · investigation \`${view.investigationId}\`${sandbox} · ${links}`)],
  };
}

/** The verdict in the notification text (phones show it on the lock screen). */
function verdictNotice(verdict: Verdict): string {
  switch (verdict.kind) {
    case 'findings':
      return verdict.top.map((f) => `${f.severity}: ${oneLine(f.title, 80)}`).join('; ');
    case 'healthy':
      return '✅ No problem found';
    case 'no-cause':
      return `No known cause: ${verdict.why}`;
  }
}
