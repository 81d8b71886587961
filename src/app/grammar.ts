import { parseArgs } from 'node:util';
import { USAGE, validateTroubleshoot, type Parsed, type RawTroubleshootArgs, type TroubleshootRequest } from '../core/input.js';

/**
 * The one grammar of `troubleshoot api-gw <id> [stage] [--stage s] [--since 2h] [--until t]
 * [--region r] [--account a]`, for Slack and the CLI alike: the same words give the same request
 * and the same errors. Built on node:util parseArgs over a word array; what phones and chat
 * clients do to dashes and quotes is undone first.
 */
export const COMMAND_USAGE =
  'api-gw <api id | invoke URL | custom domain | API name | console link> [stage] [--since 2h] [--until 2026-11-23T10:00:00Z] [--region us-east-1] [--account prod] · usage · spend · help';

/** The verbs, for a command that starts with none of them. */
const VERBS_USAGE = 'api-gw <api> [stage] [options] · usage · spend · help';

/**
 * Size caps, checked before any word is split or parsed, so a pasted megabyte costs a length check:
 * the longest real command (a URL, a stage, five options and a CLI --context) is far below them.
 */
export const MAX_COMMAND_CHARS = 16_384;
export const MAX_COMMAND_WORDS = 40;

const TARGET_OPTIONS = {
  stage: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  region: { type: 'string' },
  account: { type: 'string' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const EXAMPLES: Record<string, string> = { since: '2h', until: '2026-11-23T10:00:00Z', region: 'us-east-1', account: 'prod', stage: 'prod' };
const OPTION_USAGE: Record<string, string> = { since: USAGE.since, until: USAGE.until, region: USAGE.region, account: USAGE.account, stage: USAGE.stage };

// Em dash, en dash, figure dash, minus sign, horizontal bar: what autocorrect makes of "--".
const DASHES = /^[\u2012\u2013\u2014\u2015\u2212]+/;
const CURLY_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const CURLY_APOSTROPHES = /[\u2018\u2019\u201a\u201b\u2032]/g;

/**
 * `—since`, `–since`, `-since` and `--since` all mean `--since`; a lone `-h` stays a short flag.
 * Curly quotes become straight ones.
 */
export function normalizeWord(word: string): string {
  const straight = word.replace(CURLY_QUOTES, '"').replace(CURLY_APOSTROPHES, "'");
  if (DASHES.test(straight)) return `--${straight.replace(DASHES, '').replace(/^-+/, '')}`;
  if (/^-[A-Za-z][A-Za-z-]+/.test(straight)) return `-${straight}`;
  return straight;
}

/**
 * Splits chat text into words, keeping "quoted phrases" (straight or curly quotes) together, so a
 * Slack command may carry `--context "deploy at 14:00"` as a shell would. One pass over the text,
 * and at most `maxWords + 1` words (the extra one tells the caller there were too many).
 */
export function splitWords(text: string, maxWords = Number.POSITIVE_INFINITY): string[] {
  const words: string[] = [];
  const normalized = text.replace(CURLY_QUOTES, '"');
  let i = 0;
  while (i < normalized.length && words.length <= maxWords) {
    const c = normalized.charCodeAt(i);
    if (c <= 32 || /\s/.test(normalized[i] as string)) {
      i++;
      continue;
    }
    if (normalized[i] === '"') {
      const close = normalized.indexOf('"', i + 1);
      // An unclosed quote is an ordinary character of the word that starts with it.
      if (close >= 0) {
        words.push(normalized.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    let end = i + 1;
    while (end < normalized.length && normalized.charCodeAt(end) > 32 && !/\s/.test(normalized[end] as string)) end++;
    words.push(normalized.slice(i, end));
    i = end;
  }
  return words;
}

/** Why words are too many or too long to be a command, before anything parses them. */
function sizeProblem(words: readonly string[]): string | undefined {
  if (words.length > MAX_COMMAND_WORDS) return `too many words (more than ${MAX_COMMAND_WORDS}): a command names one API, a stage and a few options`;
  let chars = 0;
  for (const word of words) chars += word.length + 1;
  if (chars > MAX_COMMAND_CHARS) return `the command is ${chars.toLocaleString('en-US')} characters long; the most it takes is ${MAX_COMMAND_CHARS.toLocaleString('en-US')}`;
  return undefined;
}

export type TroubleshootArgs<Extra extends OptionSpec> =
  | { kind: 'help' }
  | {
      kind: 'request';
      request: TroubleshootRequest;
      /** The front end's own flags (the CLI's --json, --scenario…), parsed by the same call. */
      flags: { [K in keyof Extra]?: Extra[K]['type'] extends 'boolean' ? boolean : string };
    };

/** Turns parseArgs' terse errors into one line that shows what right looks like. */
function explain(message: string, knownFlags: string[]): { error: string; usage?: string } {
  const unknown = /Unknown option '(-{1,2}[^']{1,200})'/.exec(message);
  if (unknown) return { error: `unknown option ${unknown[1]}; options are ${knownFlags.map((f) => `--${f}`).join(', ')}` };
  const missing = /Option '--([a-z-]{1,40})[^']{0,40}' argument missing/.exec(message);
  if (missing) return needsValue(missing[1] ?? '');
  return { error: message.replace(/\. To specify a positional argument[^]*$/, '') };
}

function needsValue(name: string): { error: string; usage?: string } {
  return { error: `--${name} needs a value, e.g. --${name} ${EXAMPLES[name] ?? 'value'}`, ...(OPTION_USAGE[name] ? { usage: OPTION_USAGE[name] } : {}) };
}

/**
 * Parses the words after `api-gw` (`a1b2c3d4e5 prod --since 2h`). `extra` adds a front end's own
 * options; with none, only the target options are accepted (Slack).
 */
export function parseTroubleshootArgs<Extra extends OptionSpec = Record<never, never>>(
  words: string[],
  extra: Extra = {} as Extra,
): Parsed<TroubleshootArgs<Extra>> {
  const tooBig = sizeProblem(words);
  if (tooBig) return { ok: false, error: tooBig, usage: USAGE.target };
  const options = { ...TARGET_OPTIONS, ...extra, help: { type: 'boolean', short: 'h' } } as OptionSpec;
  const normalized = words.map(normalizeWord);
  // A value that looks like an option ("--since --region") is a missing value, not a value.
  for (let i = 0; i < normalized.length; i++) {
    const word = normalized[i] ?? '';
    const name = word.startsWith('--') && !word.includes('=') ? word.slice(2) : undefined;
    if (name && options[name]?.type === 'string') {
      const next = normalized[i + 1];
      if (next === undefined || next.startsWith('--')) return { ok: false, ...needsValue(name) };
      i++;
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: normalized, options, allowPositionals: true, strict: true });
  } catch (err) {
    return { ok: false, ...explain((err as Error).message, Object.keys(options).filter((o) => o !== 'help')) };
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { ok: true, value: { kind: 'help' } };
  const positionals = parsed.positionals;
  if (positionals.length > 2) return { ok: false, error: `unexpected "${truncateWord(positionals[2] ?? '')}": after the API and its stage come only options`, usage: USAGE.target };
  const raw: RawTroubleshootArgs = {};
  if (positionals[0] !== undefined) raw.restApiId = positionals[0];
  for (const key of Object.keys(TARGET_OPTIONS) as (keyof typeof TARGET_OPTIONS)[]) {
    const value = values[key];
    if (typeof value === 'string') raw[key] = value;
  }
  if (positionals[1] !== undefined) {
    if (raw.stage !== undefined) return { ok: false, error: 'stage given twice; use either the second word or --stage', usage: USAGE.stage };
    raw.stage = positionals[1];
  }
  const request = validateTroubleshoot(raw);
  if (!request.ok) return request;
  const flags = Object.fromEntries(Object.keys(extra).filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
  return { ok: true, value: { kind: 'request', request: request.value, flags: flags as Extract<TroubleshootArgs<Extra>, { kind: 'request' }>['flags'] } };
}

const truncateWord = (word: string) => (word.length > 60 ? `${word.slice(0, 59)}…` : word);

export type CommandText =
  | { kind: 'troubleshoot'; request: TroubleshootRequest }
  | { kind: 'usage' }
  | { kind: 'spend' }
  | { kind: 'help' }
  | { kind: 'error'; error: string; usage?: string };

/** The whole text of a `/troubleshoot …` command. */
export function parseCommandText(text: string): CommandText {
  if (text.length > MAX_COMMAND_CHARS) {
    return { kind: 'error', error: `the command is ${text.length.toLocaleString('en-US')} characters long; the most it takes is ${MAX_COMMAND_CHARS.toLocaleString('en-US')}`, usage: USAGE.target };
  }
  const [verb, ...rest] = splitWords(text.trim(), MAX_COMMAND_WORDS + 1);
  switch ((verb ?? 'help').toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'usage':
      return { kind: 'usage' };
    case 'spend':
      return { kind: 'spend' };
    case 'api-gw':
    case 'apigw': {
      const parsed = parseTroubleshootArgs(rest);
      if (!parsed.ok) return { kind: 'error', error: parsed.error, ...(parsed.usage ? { usage: parsed.usage } : {}) };
      return parsed.value.kind === 'help' ? { kind: 'help' } : { kind: 'troubleshoot', request: parsed.value.request };
    }
    default:
      return { kind: 'error', error: `unknown command "${truncateWord(verb ?? '')}"`, usage: VERBS_USAGE };
  }
}
