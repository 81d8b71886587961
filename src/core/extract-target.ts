import { parseTargetRef, type TargetRef } from './target-ref.js';
import { trimEndWhile } from './trim.js';

/**
 * What an alarm notification, a pasted error or a link says about the failing API: the words the
 * grammar understands (an invoke URL, a console link, a custom-domain URL, an id, a name), the
 * stage, the region and the alarm's time. Pure, linear in the message and capped in size: the
 * message shortcut proposes these in a confirmation modal only after a read-only check says the
 * API exists (a request id looks like an API id); nothing runs on a guess.
 */
export interface TargetCandidate {
  /** The words to put in the modal's API field. */
  text: string;
  kind: TargetRef['kind'];
  /** Where it came from: a link, an alarm dimension (`ApiId = …`) or a bare word. */
  from: 'link' | 'dimension' | 'word';
}

export interface ExtractedTarget {
  /** The likeliest candidate (the first of `candidates`), before any check. */
  target?: string;
  /** Everything that could name the API, likeliest first (links, dimensions, domains, names, bare ids). */
  candidates: TargetCandidate[];
  stage?: string;
  /** From an invoke URL, a console link or an ARN in the message (the alarm's). */
  region?: string;
  /** The alarm's (or the error's) time, when the text has one. */
  at?: Date;
  /** The time as written, and whether it carried no zone (then it was read as UTC). */
  atText?: string;
  assumedUtc?: boolean;
  /** True when the message was longer than what is read of it. */
  clipped?: boolean;
}

/**
 * What is read of a message: Slack's own limits keep real messages (text, attachments and blocks)
 * well under this; anything beyond is not where an alarm puts its details.
 */
export const MAX_MESSAGE_CHARS = 200_000;
/** A word longer than this is not an id, a name, a stage or a URL anyone pastes. */
const MAX_WORD_CHARS = 2_048;
/** Candidates of each kind kept: each is checked by a read before it is proposed. */
const MAX_PER_KIND = 3;
/** URLs parsed (URL parsing is the dearest step): a real alarm has a handful. */
const MAX_URLS = 40;
/** A URL worth parsing: a scheme and something host-like after it. */
const URL_SHAPE = /^https?:\/\/[a-z0-9][a-z0-9.-]{2,252}(?:[/?#:]|$)/i;

/** Separators between words: whitespace and the punctuation around links, JSON and quotes. */
const SEPARATORS = /[\s<>|"'`()[\]{},;]+/;
const API_ID = /^[a-z0-9]{10}$/;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[a-z]/;
const INVOKE_HOST = /^[a-z0-9]{10}\.execute-api\.[a-z0-9-]{1,30}\.amazonaws\.com(?:[/?#]|$)/i;
const ARN_REGION = /^arn:aws[a-z-]{0,10}:[a-z0-9-]{1,40}:([a-z]{2}(?:-gov|-iso[a-z]{0,3})?-[a-z]{1,12}-\d):/;
const STAGE = /^(\$default|[A-Za-z0-9_-]{1,128})$/;
const NAME = /^[\w][\w.:/@+-]{0,127}$/;
/** Hosts that are never an API's custom domain: chat, code, docs and AWS's own consoles and services. */
const NOT_AN_API_HOST = /(^|\.)(slack\.com|slack-edge\.com|github\.com|gitlab\.com|atlassian\.net|pagerduty\.com|opsgenie\.com|google\.com|amazon\.com|amazonaws\.com|aws\.dev|awsstatic\.com|example\.org)$/i;

const DIMENSIONS = { apiid: 'ApiId', apiname: 'ApiName', stage: 'Stage' } as const;
type DimensionKey = keyof typeof DIMENSIONS;

/** Weekday, day, month, year, time, zone in the forms alarms and e-mail use. */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\\.?';
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6},?[ \\t]{1,3})?';
const CLOCK = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?(?:[ \\t]{0,2}([ap]\\.?m\\.?))?';
const ZONE = '(?:[ \\t]{0,2}(z|utc|gmt|[+-]\\d{2}:?\\d{2}))?';
/**
 * Every pattern has only bounded repeats and starts on a digit or a letter after a word boundary,
 * so each position costs a bounded number of steps: linear in the message.
 */
/** Exported so the ReDoS check proves the patterns built from the month and clock pieces. */
export const TIME_FORMATS: { pattern: RegExp; parts: (m: RegExpExecArray) => TimeParts | undefined }[] = [
  // ISO 8601 / RFC 3339 and the SNS form: 2024-05-01T11:50:00.000+0000, 2024-05-01 11:50:00 UTC
  {
    pattern: /\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[ \t]{0,2}(z|utc|gmt|[+-]\d{2}:?\d{2}))?/gi,
    parts: (m) => ({ year: m[1], month: Number(m[2]), day: m[3], hour: m[4], minute: m[5], second: m[6], zone: m[7] }),
  },
  // CloudWatch e-mail and RFC 2822: Tuesday 5 May 2024 10:42:17 UTC, Tue, 05 May 2024 10:42:17 +0000, Tuesday 05 May, 2024 10:42:17 UTC
  {
    pattern: new RegExp(`\\b${WEEKDAY}(\\d{1,2})[ \\t]{1,3}${MONTH},?[ \\t]{1,3}(\\d{4}),?[ \\t]{1,3}(?:at[ \\t]{1,3})?${CLOCK}${ZONE}`, 'gi'),
    parts: (m) => ({ day: m[1], month: monthNumber(m[2]), year: m[3], hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] }),
  },
  // US forms: May 5, 2024 10:42:17 AM UTC, Tuesday, May 5, 2024 at 10:42 UTC
  {
    pattern: new RegExp(`\\b${WEEKDAY}${MONTH}[ \\t]{1,3}(\\d{1,2}),?[ \\t]{1,3}(\\d{4}),?[ \\t]{1,3}(?:at[ \\t]{1,3})?${CLOCK}${ZONE}`, 'gi'),
    parts: (m) => ({ month: monthNumber(m[1]), day: m[2], year: m[3], hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] }),
  },
];
/** The label an alarm puts before the time it changed state: that time wins over others in the text. */
const TIME_LABEL = /state ?change ?time|statechangetime|timestamp|state changed|alarm time|triggered at|started at|"time"/gi;

/** Whether a label ends at most 40 characters before the end of `before`, on its last line. */
function isLabelled(before: string): boolean {
  const line = before.slice(before.lastIndexOf('\n') + 1);
  for (const m of line.matchAll(TIME_LABEL)) if (m.index + m[0].length >= line.length - 40) return true;
  return false;
}
/** Times looked at: the label, if any, is near the top of an alarm. */
const MAX_TIMES = 20;

interface TimeParts {
  year?: string;
  month?: number;
  day?: string;
  hour?: string;
  minute?: string;
  second?: string;
  meridiem?: string;
  zone?: string;
}

function monthNumber(name: string | undefined): number | undefined {
  const index = MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase());
  return index >= 0 ? index + 1 : undefined;
}

function toDate(p: TimeParts): { at: Date; assumedUtc: boolean } | undefined {
  const year = Number(p.year);
  const month = p.month ?? 0;
  const day = Number(p.day);
  let hour = Number(p.hour);
  const minute = Number(p.minute);
  const second = Number(p.second ?? 0);
  const meridiem = p.meridiem?.replace(/\./g, '').toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = (p.zone ?? '').toLowerCase();
  let offsetMinutes = 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) offsetMinutes = (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3]));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return { at: new Date(utc - offsetMinutes * 60_000), assumedUtc: zone === '' };
}

/** The alarm's time: the first after a state-change label, else the first time in the text. */
function timeIn(text: string): Pick<ExtractedTarget, 'at' | 'atText' | 'assumedUtc'> {
  let first: { index: number; text: string; at: Date; assumedUtc: boolean } | undefined;
  let labelled: typeof first;
  for (const { pattern, parts } of TIME_FORMATS) {
    pattern.lastIndex = 0;
    for (let seen = 0, m = pattern.exec(text); m && seen < MAX_TIMES; seen++, m = pattern.exec(text)) {
      const found0 = parts(m);
      const parsed = found0 ? toDate(found0) : undefined;
      if (!parsed) continue;
      const found = { index: m.index, text: m[0].trim(), ...parsed };
      if (!first || found.index < first.index) first = found;
      if (isLabelled(text.slice(Math.max(0, m.index - 60), m.index)) && (!labelled || found.index < labelled.index)) labelled = found;
    }
  }
  const best = labelled ?? first;
  return best ? { at: best.at, atText: best.text, ...(best.assumedUtc ? { assumedUtc: true } : {}) } : {};
}

/** `a1b2c3d4e5` that has a digit and a letter: an API id's shape (a request id's too). */
function isIdShaped(word: string): boolean {
  return API_ID.test(word) && HAS_DIGIT.test(word) && HAS_LETTER.test(word);
}

/** A word that is a dimension name followed by its value: `ApiId=a1…`, `ApiId:`, `ApiId`, then `=`, then the value. */
function dimensionAt(words: readonly string[], i: number): { key: DimensionKey; value: string; next: number } | undefined {
  const word = words[i] ?? '';
  const eq = word.search(/[=:]/);
  const name = (eq >= 0 ? word.slice(0, eq) : word).toLowerCase();
  if (!(name in DIMENSIONS)) return undefined;
  const key = name as DimensionKey;
  if (eq >= 0 && eq < word.length - 1) return { key, value: word.slice(eq + 1).replace(/^[=:]+/, ''), next: i + 1 };
  let j = i + 1;
  if (eq < 0 && (words[j] === '=' || words[j] === ':')) j++;
  else if (eq < 0) {
    // `{"value":"shop-api","name":"ApiName"}`: SNS's Dimensions list, value before name.
    const back = words.slice(Math.max(0, i - 6), i);
    const at = back.lastIndexOf('value');
    const value = at >= 0 && back[at + 1] === ':' ? back[at + 2] : undefined;
    return value && back[back.length - 1] === ':' && back[back.length - 2]?.toLowerCase() === 'name' ? { key, value, next: i + 1 } : undefined;
  }
  const value = words[j];
  return value && value !== '=' && value !== ':' ? { key, value, next: j + 1 } : undefined;
}

/** The URL a word holds (`url=https://…`, or an invoke host without its scheme), cheaply, before any parse. */
function urlIn(word: string): string | undefined {
  const start = word.indexOf('http');
  const url = start >= 0 ? word.slice(start) : INVOKE_HOST.test(word) ? `https://${word}` : undefined;
  return url && URL_SHAPE.test(url) ? trimEndWhile(url, (c) => '.,:;!?'.includes(c)) : undefined;
}

/** A URL word (or an invoke host without its scheme) as a target reference, if it names an API. */
function urlCandidate(word: string): { candidate: TargetCandidate; ref: TargetRef } | undefined {
  const url = urlIn(word);
  if (!url) return undefined;
  const parsed = parseTargetRef(url);
  if (!parsed.ok) return undefined;
  const ref = parsed.value;
  if (ref.kind === 'domain' && NOT_AN_API_HOST.test(ref.domain)) return undefined;
  if (ref.kind === 'name' || ref.kind === 'id') return undefined;
  return { candidate: { text: url, kind: ref.kind, from: 'link' }, ref };
}

/**
 * Reads a message. Every step is one pass over the words (split once, each at most 2 KB) or a
 * pattern with bounded repeats: a megabyte costs milliseconds, and only the first 200,000
 * characters are read.
 */
export function extractTarget(raw: string): ExtractedTarget {
  const clipped = raw.length > MAX_MESSAGE_CHARS;
  const text = clipped ? raw.slice(0, MAX_MESSAGE_CHARS) : raw;
  const words = text.split(SEPARATORS).filter((w) => w.length > 0 && w.length <= MAX_WORD_CHARS);
  const links: TargetCandidate[] = [];
  const domains: TargetCandidate[] = [];
  const ids: TargetCandidate[] = [];
  const names: TargetCandidate[] = [];
  const bare: TargetCandidate[] = [];
  let stage: string | undefined;
  let region: string | undefined;
  const seen = new Set<string>();
  const add = (list: TargetCandidate[], candidate: TargetCandidate) => {
    if (list.length < MAX_PER_KIND && !seen.has(candidate.text)) list.push(candidate);
    seen.add(candidate.text);
  };
  let urls = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const dimension = dimensionAt(words, i);
    if (dimension) {
      const value = trimEndWhile(dimension.value, (c) => c === '.' || c === ',' || c === ';');
      if (dimension.key === 'apiid' && API_ID.test(value)) add(ids, { text: value, kind: 'id', from: 'dimension' });
      if (dimension.key === 'apiname' && NAME.test(value)) add(names, { text: value, kind: 'name', from: 'dimension' });
      if (dimension.key === 'stage' && STAGE.test(value)) stage ??= value;
      continue;
    }
    const url = urls < MAX_URLS && word.length > 10 && (word.includes('http') || word.includes('.execute-api.')) ? (urls++, urlCandidate(word)) : undefined;
    if (url) {
      add(url.candidate.kind === 'domain' ? domains : links, url.candidate);
      if ((url.ref.kind === 'invoke-url' || url.ref.kind === 'console-url') && url.ref.region) region ??= url.ref.region;
      if ((url.ref.kind === 'invoke-url' || url.ref.kind === 'console-url') && url.ref.stage && STAGE.test(url.ref.stage)) stage ??= url.ref.stage;
      continue;
    }
    const arn = ARN_REGION.exec(word);
    if (arn) {
      region ??= arn[1];
      continue;
    }
    if (isIdShaped(word)) add(bare, { text: word, kind: 'id', from: 'word' });
  }
  const candidates = [...links, ...ids, ...domains, ...names, ...bare];
  return {
    ...(candidates[0] ? { target: candidates[0].text } : {}),
    candidates,
    ...(stage ? { stage } : {}),
    ...(region ? { region } : {}),
    ...timeIn(text),
    ...(clipped ? { clipped: true } : {}),
  };
}

const TEXT_KEYS = new Set(['text', 'title', 'fallback', 'pretext', 'value', 'title_link', 'url', 'footer', 'author_name']);

/** A string found in the payload, told apart from the payload's own objects on the walk's stack. */
class Found {
  constructor(readonly text: string) {}
}

/**
 * The text of a Slack message as a shortcut delivers it: text, attachments (alarm posts) and blocks,
 * in that order, up to what is read of it. A walk with an explicit stack (no recursion limit on a
 * deep payload) that visits each node once.
 */
export function messageText(message: { text?: string; attachments?: unknown[]; blocks?: unknown[] }): string {
  const parts: string[] = [];
  let length = 0;
  const push = (text: string) => {
    const kept = text.slice(0, MAX_MESSAGE_CHARS - length);
    parts.push(kept);
    length += kept.length + 1;
  };
  if (typeof message.text === 'string') push(message.text);
  const stack: unknown[] = [message.blocks ?? [], message.attachments ?? []];
  while (stack.length > 0 && length < MAX_MESSAGE_CHARS) {
    const node = stack.pop();
    if (node instanceof Found) push(node.text);
    else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
    } else if (node && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i] as [string, unknown];
        if (typeof value === 'string') {
          if (TEXT_KEYS.has(key)) stack.push(new Found(value));
        } else if (value && typeof value === 'object') stack.push(value);
      }
    }
  }
  return parts.join('\n');
}
