/**
 * Credentials in wire-protocol transcripts and credential files, where no key name or prefix
 * marks them: SMTP/IMAP SASL (`AUTH PLAIN <base64>`, `AUTHENTICATE XOAUTH2 <base64>`, the
 * `334 UGFzc3dvcmQ6` prompt of AUTH LOGIN and the line after it), Redis `AUTH [user] <password>`
 * (typed or in MONITOR output), FTP/POP3 `PASS <password>`, IMAP `<tag> LOGIN <user> <password>`,
 * and `.pgpass` lines (`host:port:db:user:password`). `.netrc` lines are command.ts's `password`.
 *
 * Linear: one regex for SASL, and each line's head is read once, through bounded anchored patterns.
 */
import { isNonSecretValue, isWithheld } from './shape.js';
import { RANK, type Span } from './span.js';

/** `AUTH PLAIN ` and friends: the initial response follows (base64, or `=` for empty). */
export const SASL_COMMAND = /\bAUTH(?:ENTICATE)?[ \t]+(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|CRAM-MD5|DIGEST-MD5|SCRAM-SHA-(?:1|256)(?:-PLUS)?)\b/gi;
/** A transcript line's prefix: a prompt (`redis> `, `127.0.0.1:6379> `), a direction (`C: `, `> `, `-->`), a tag. */
export const LINE_PREFIX = /^[ \t]*(?:\[[^\]\n]{0,48}\][ \t]*)?(?:[\w.:-]{1,64}>[ \t]?|[CS]:[ \t]?|-->[ \t]?|<--[ \t]?|>{1,3}[ \t]?|<{1,3}[ \t]?)?/;
/** Redis `AUTH pw` / `AUTH user pw`, FTP/POP3 `PASS pw` (where a command starts: see commandStart). */
export const AUTH_OR_PASS = /(AUTH|PASS)[ \t]+/g;
/** IMAP `a1 LOGIN user pw`. */
export const IMAP_LOGIN = /(?<![A-Za-z0-9.])[A-Za-z0-9.]{1,12}[ \t]+LOGIN[ \t]+/g;

/** A command starts a line, a field, or follows a prompt (`> `) or a direction (`C: `). */
function commandStart(text: string, at: number): boolean {
  const before = text[at - 1];
  if (before === undefined || before === '\n' || before === '\t' || before === '"' || before === "'" || before === '>') return true;
  return (before === ' ' || before === '\t') && (text[at - 2] === '>' || text[at - 2] === ':');
}
/** Redis MONITOR: `"AUTH" "pw"` or `"AUTH" "user" "pw"`. */
export const MONITOR_AUTH = /"AUTH"[ \t]+"([^"\n]{1,256})"(?:[ \t]+"([^"\n]{1,256})")?/gi;
/** `.pgpass`: host:port:database:user:password (`*` wildcards allowed). */
export const PGPASS_LINE = /^[A-Za-z0-9*._-]{1,253}:(?:\d{1,5}|\*):[^:\s]{1,128}:[^:\s]{1,128}:(\S{1,256})$/;
const SASL_MECHANISM = /^(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|CRAM-MD5|DIGEST-MD5|SCRAM-SHA-1|SCRAM-SHA-256)$/i;
/** base64 of `Password:`, the prompt after which AUTH LOGIN sends the password. */
const PASSWORD_PROMPT = 'UGFzc3dvcmQ6';
const MAX_LINE_HEAD = 512;
/** Status words a transcript prints after AUTH or PASS: not passwords. */
const STATUS_WORD = /^(?:ok|failed|failure|fail|error|denied|invalid|expired|timeout|success|successful|succeeded|accepted|rejected|required|missing|none)$/i;

/** Could this word after a command be a password (not a status word, a path or a file name)? */
function isPasswordWord(value: string): boolean {
  return !isWithheld(value) && !isNonSecretValue(value) && !STATUS_WORD.test(value) && !/[/\\]/.test(value) && !/^[\w-]+\.[a-z]{1,4}$/.test(value);
}

function isBase64Code(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;
}

function base64End(text: string, from: number): number {
  let p = from;
  while (p < text.length && p - from < 16_384 && isBase64Code(text.charCodeAt(p))) p++;
  return p;
}

function push(spans: Span[], start: number, end: number, kind: string): void {
  if (end > start) spans.push({ start, end, kind, rank: RANK.command });
}

/** The line after `from` (skipping the rest of the current one): its content's start and end, after any prefix. */
function nextLine(text: string, from: number): { start: number; end: number } | undefined {
  const nl = text.indexOf('\n', from);
  if (nl === -1) return undefined;
  let end = text.indexOf('\n', nl + 1);
  if (end === -1) end = text.length;
  const head = text.slice(nl + 1, Math.min(end, nl + 1 + MAX_LINE_HEAD));
  const prefix = LINE_PREFIX.exec(head)?.[0].length ?? 0;
  let stop = end;
  while (stop > nl + 1 + prefix && /\s/.test(text[stop - 1] as string)) stop--;
  return { start: nl + 1 + prefix, end: stop };
}

/** A whole line that is one base64 word (the client's answer to a SASL prompt): its span, else undefined. */
function base64Answer(text: string, line: { start: number; end: number }): { start: number; end: number } | undefined {
  if (line.end - line.start < 4 || text.startsWith('334', line.start)) return undefined;
  return base64End(text, line.start) === line.end ? line : undefined;
}

function saslSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(SASL_COMMAND)) {
    let p = m.index + m[0].length;
    while (text[p] === ' ' || text[p] === '\t') p++;
    // `250-AUTH PLAIN LOGIN` is a server listing its mechanisms, not a client authenticating.
    if (/(?:^|[\s:])(?:250|235)[- ]$/.test(text.slice(Math.max(0, m.index - 5), m.index))) continue;
    const end = base64End(text, p);
    if (SASL_MECHANISM.test(text.slice(p, end))) continue;
    if (end - p >= 4 || (end - p === 1 && text[p] === '=')) {
      if (end - p >= 4) push(spans, p, end, 'sasl_credential');
      continue;
    }
    // No initial response: the client's next line (after the server's `334 `) carries it.
    let line = nextLine(text, p);
    if (line && text.startsWith('334', line.start)) line = nextLine(text, line.start);
    const answer = line && base64Answer(text, line);
    if (answer) push(spans, answer.start, answer.end, 'sasl_credential');
  }
  // AUTH LOGIN: `334 UGFzc3dvcmQ6` ("Password:"), then the password on the client's next line.
  let at = text.indexOf(PASSWORD_PROMPT);
  while (at !== -1) {
    const line = nextLine(text, at);
    const answer = line && base64Answer(text, line);
    if (answer) push(spans, answer.start, answer.end, 'sasl_credential');
    at = text.indexOf(PASSWORD_PROMPT, at + PASSWORD_PROMPT.length);
  }
}

/** Where a command's words end: a newline, or a quote that closes the field holding the command. */
function commandLineEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_LINE_HEAD);
  for (let p = from; p < limit; p++) {
    const ch = text[p];
    if (ch === '\n' || ch === '\r') return p;
    if ((ch === '"' || ch === '\\') && p > from && text[p - 1] !== ' ' && text[p - 1] !== '\t') return p;
  }
  return limit;
}

/** The words after a command up to `end` (quoted words kept whole); none when more than a command's words follow. */
function commandWords(text: string, from: number, end: number): { start: number; end: number }[] {
  const words: { start: number; end: number }[] = [];
  let p = from;
  while (p < end && words.length < 4) {
    while (p < end && (text[p] === ' ' || text[p] === '\t')) p++;
    if (p >= end) break;
    const q = text[p];
    if (q === '"' || q === "'") {
      const close = text.indexOf(q, p + 1);
      if (close === -1 || close >= end + 1) return [];
      words.push({ start: p + 1, end: close });
      p = close + 1;
    } else {
      const s = p;
      while (p < end && text[p] !== ' ' && text[p] !== '\t') p++;
      words.push({ start: s, end: p });
    }
  }
  while (p < end && (text[p] === ' ' || text[p] === '\t')) p++;
  return p < end ? [] : words; // more than a command's words: prose, not a command
}

function commandSpans(text: string, spans: Span[]): void {
  const found = [...text.matchAll(AUTH_OR_PASS)].filter((m) => commandStart(text, m.index));
  if (text.includes('LOGIN')) for (const m of text.matchAll(IMAP_LOGIN)) if (commandStart(text, m.index)) found.push(m);
  for (const m of found) {
    const from = m.index + m[0].length;
    const words = commandWords(text, from, commandLineEnd(text, from));
    const verb = m[1];
    // AUTH takes [user] password; PASS the password; LOGIN user and password.
    const fits = verb === 'AUTH' ? words.length === 1 || words.length === 2 : verb === 'PASS' ? words.length === 1 : words.length === 2;
    const password = fits ? words[words.length - 1] : undefined;
    if (!password) continue;
    if (verb === 'AUTH' && SASL_MECHANISM.test(text.slice(words[0]!.start, words[0]!.end))) continue;
    if (isPasswordWord(text.slice(password.start, password.end))) push(spans, password.start, password.end, 'password');
  }
}

/** `.pgpass` lines (`host:port:database:user:password`), checked line by line. */
function pgpassSpans(text: string, spans: Span[]): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let stop = end;
    while (stop > start && /\s/.test(text[stop - 1] as string)) stop--;
    if (stop - start <= 800) {
      const candidate = text.slice(start, stop);
      const pgpass = candidate.includes(' ') ? null : PGPASS_LINE.exec(candidate);
      if (pgpass) push(spans, stop - (pgpass[1] as string).length, stop, 'password');
    }
    start = end + 1;
  }
}

export function protocolSpans(text: string, spans: Span[]): void {
  const auth = text.includes('AUTH') || text.includes('auth');
  if (auth || text.includes(PASSWORD_PROMPT)) saslSpans(text, spans);
  if (text.includes('"AUTH"')) {
    for (const m of text.matchAll(MONITOR_AUTH)) {
      const last = m[2] ?? m[1];
      if (last === undefined || isWithheld(last)) continue;
      const end = m.index + m[0].length - 1;
      push(spans, end - last.length, end, 'password');
    }
  }
  if (auth || text.includes('PASS') || text.includes('LOGIN')) commandSpans(text, spans);
  if (text.includes(':')) pgpassSpans(text, spans);
}
