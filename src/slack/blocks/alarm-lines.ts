import { alarmLines, type AlarmTrigger } from '../../core/alarm.js';
import { escapeMrkdwn, section, slackDate, truncate, type SlackMessage } from './kit.js';

/**
 * What an alarm adds to an investigation's parent message, kept apart from the parent renderer
 * (`parent.ts` only places these lines): who started it (the alarm, its threshold, since when),
 * a re-fire within the episode, the recovery. The words are core's (`alarmLines`), shared with
 * the terminal.
 */
const SLACK = {
  time: (at: Date) => slackDate(at, '{time}'),
  code: (text: string) => `\`${escapeMrkdwn(truncate(text, 255)).replace(/`/g, "'")}\``,
};

const EMOJI = [':bell:', ':repeat:', ':white_check_mark:'] as const;

/** The alarm's lines for the parent message, each with its emoji (escaped, times in the reader's zone). */
export function alarmParentLines(trigger: AlarmTrigger): string[] {
  const [started, ...rest] = alarmLines({ ...trigger, ...(trigger.threshold ? { threshold: escapeMrkdwn(truncate(trigger.threshold, 200)) } : {}) }, SLACK);
  const lines = [`${EMOJI[0]} ${started}`];
  for (const line of rest) lines.push(`${line.startsWith('Recovered') ? EMOJI[2] : EMOJI[1]} ${line}`);
  return lines;
}

/** Who asked, in the parent's context line: the alarm, not a person. */
export function alarmAskedBy(trigger: AlarmTrigger): string {
  return `Started by alarm ${SLACK.code(trigger.alarmName)} (API found by ${escapeMrkdwn(truncate(trigger.via, 200))}; Analyze still needs a person)`;
}

/** The plain-text fallback's subject (notifications, screen readers). */
export function alarmSubject(trigger: AlarmTrigger): string {
  return `alarm ${truncate(trigger.alarmName, 255)}`;
}

export interface StormNoticeView {
  api: string;
  cap: number;
  /** `<alarm name> <HH:MM>` of each alarm not investigated. */
  skipped: string[];
  /** The clock hour (UTC) the cap applies to: `2024-05-01T11`. */
  hour: string;
}

const SHOWN = 20;

/** Said once per API, hour and channel (then updated in place): the cap, and what it skipped. */
export function stormNoticeMessage(view: StormNoticeView): SlackMessage {
  const until = new Date(`${view.hour}:00:00Z`);
  until.setUTCHours(until.getUTCHours() + 1);
  const names = view.skipped.slice(0, SHOWN).map((s) => `\`${escapeMrkdwn(truncate(s, 120))}\``);
  const more = view.skipped.length > SHOWN ? ` and ${view.skipped.length - SHOWN} more` : '';
  const text = `:warning: *Alarm storm on ${escapeMrkdwn(view.api)}*: ${view.cap} investigation${view.cap === 1 ? '' : 's'} started this hour, the cap per API (\`alarms.maxPerApiPerHour\`). Until ${slackDate(until, '{time}')}, further alarms on it are listed here, not investigated.\nNot investigated (${view.skipped.length}): ${names.join(', ')}${more}`;
  return { text: `Alarm storm on ${view.api}: ${view.skipped.length} alarm${view.skipped.length === 1 ? '' : 's'} not investigated (cap ${view.cap} per hour)`, blocks: [section(text)] };
}
