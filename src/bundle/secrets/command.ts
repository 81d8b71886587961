/**
 * Credentials on command lines (shell traces, process listings, CI logs): `curl -u user:pw`,
 * `--password pw` / `--token pw` (the `=` form is a key/value pair), `sshpass -p pw`, `mysql -ppw`,
 * `redis-cli -a pw`, `docker login -p pw`, `aws configure set aws_secret_access_key pw`.
 */
import { secretName } from './names.js';
import { entropy, isCredentialShaped, isPlaceholder } from './shape.js';
import { RANK, type Span } from './span.js';

/** `-u` / `--user` then `user:password` (curl, wget, httpie). */
export const USER_FLAG = /(?:^|[\s'"])(?:-u|--user|--proxy-user)[ \t=]+/g;
/** `--name value` with a space (the `=` form is a key/value pair). */
export const LONG_FLAG = /(?:^|[\s'"])--[A-Za-z][A-Za-z0-9-]{0,60}[ \t]+/g;
/** Tools whose short flag carries a password: sshpass -p, mysql -p<pw>, redis-cli -a, docker login -p. */
export const PASSWORD_TOOL = /\b(?:sshpass|mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|redis-cli|docker|podman|helm|mongo|mongosh|mongodump|mongorestore)\b/g;
/** `password <value>` with a space: .netrc (`machine h login u password p`), `ALTER USER … PASSWORD 'p'`. */
export const SPACED_PASSWORD = /(?:^|[\s'"])(?:password|passwd)[ \t]+/gi;
/** `set <name> <value>` (aws configure set, npm config set, git config …). */
export const SET_COMMAND = /\bset[ \t]+/g;
export const SHORT_FLAG = /(?:^|[ \t])-(p|a)(\S*)/g;

/** One shell word at `from`: quoted (`'a b'`, `"a b"`) or up to the next space. */
function shellWord(text: string, from: number): { start: number; end: number } | undefined {
  const q = text[from];
  if (q === '"' || q === "'") {
    const limit = Math.min(text.length, from + 4096);
    for (let p = from + 1; p < limit; p++) {
      if (text[p] === '\n') return undefined;
      if (text[p] === q) return p > from + 1 ? { start: from + 1, end: p } : undefined;
    }
    return undefined;
  }
  let p = from;
  while (p < text.length && p - from < 4096 && !/[\s;|&)]/.test(text[p] as string)) p++;
  return p > from ? { start: from, end: p } : undefined;
}

function push(spans: Span[], start: number, end: number, kind: string): void {
  if (end > start) spans.push({ start, end, kind, rank: RANK.command });
}

/** The end of a shell command: a newline, `;`, `|` or `&&` (bounded). */
function commandEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + 2048);
  for (let p = from; p < limit; p++) {
    const ch = text[p];
    if (ch === '\n' || ch === ';' || ch === '|' || (ch === '&' && text[p + 1] === '&')) return p;
  }
  return limit;
}

export function commandSpans(text: string, spans: Span[]): void {
  if (text.includes('-u')) userFlagSpans(text, spans);
  if (text.includes('--')) longFlagSpans(text, spans);
  passwordToolSpans(text, spans);
  if (text.includes('set')) setCommandSpans(text, spans);
  spacedPasswordSpans(text, spans);
}

function spacedPasswordSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(SPACED_PASSWORD)) {
    const word = shellWord(text, m.index + m[0].length);
    if (!word) continue;
    const value = text.slice(word.start, word.end);
    // Prose ("password reset required", "password is") stays; a credential-shaped word does not.
    if (/^[A-Za-z]+[:.,;!?]?$/.test(value)) continue;
    if (!isPlaceholder(value) && isCredentialShaped(value, 6)) push(spans, word.start, word.end, 'password');
  }
}

function userFlagSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(USER_FLAG)) {
    const word = shellWord(text, m.index + m[0].length);
    if (!word) continue;
    const colon = text.slice(word.start, word.end).indexOf(':');
    if (colon === -1) continue;
    const start = word.start + colon + 1;
    if (!isPlaceholder(text.slice(start, word.end))) push(spans, start, word.end, 'password');
  }
}

function longFlagSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(LONG_FLAG)) {
    const flag = m[0].trim().replace(/^['"]/, '');
    const name = secretName(flag.slice(2));
    if (!name) continue;
    const from = m.index + m[0].length;
    if (text[from] === '-') continue;
    const word = shellWord(text, from);
    if (!word) continue;
    const value = text.slice(word.start, word.end);
    if (isPlaceholder(value) || value.startsWith('[REDACTED')) continue;
    const ok = name.anyValue || (name.weak ? isCredentialShaped(value, 12) && entropy(value) >= 3.2 : isCredentialShaped(value, 6));
    if (ok) push(spans, word.start, word.end, name.kind);
  }
}

function passwordToolSpans(text: string, spans: Span[]): void {
  let resume = 0;
  for (const m of text.matchAll(PASSWORD_TOOL)) {
    if (m.index < resume) continue;
    const tool = m[0];
    const end = commandEnd(text, m.index);
    resume = end;
    const segment = text.slice(m.index, end);
    if ((tool === 'docker' || tool === 'podman' || tool === 'helm') && !/\blogin\b/.test(segment)) continue;
    const flag = tool === 'redis-cli' ? 'a' : 'p';
    // mysql's `-p pw` (with a space) prompts; its password is attached (`-ppw`). sshpass, docker and mongo take the next word.
    const attachedOnly = /^(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)$/.test(tool);
    for (const f of segment.matchAll(SHORT_FLAG)) {
      if (f[1] !== flag || f[2]?.startsWith('-')) continue;
      const at = m.index + (f.index ?? 0) + f[0].indexOf('-') + 2;
      if (f[2]) {
        if (!isPlaceholder(f[2])) push(spans, at, at + f[2].length, 'password');
        continue;
      }
      if (attachedOnly) continue;
      let from = at;
      while (text[from] === ' ' || text[from] === '\t') from++;
      const word = shellWord(text, from);
      if (word && text[word.start] !== '-' && !isPlaceholder(text.slice(word.start, word.end))) push(spans, word.start, word.end, 'password');
    }
  }
}

function setCommandSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(SET_COMMAND)) {
    const nameWord = shellWord(text, m.index + m[0].length);
    if (!nameWord) continue;
    const name = secretName(text.slice(nameWord.start, nameWord.end));
    if (!name) continue;
    let from = nameWord.end + (text[nameWord.end] === '"' || text[nameWord.end] === "'" ? 1 : 0);
    if (text[from] !== ' ' && text[from] !== '\t') continue;
    while (text[from] === ' ' || text[from] === '\t') from++;
    const word = shellWord(text, from);
    if (!word) continue;
    const value = text.slice(word.start, word.end);
    if (!isPlaceholder(value) && (name.anyValue || isCredentialShaped(value, 6))) push(spans, word.start, word.end, name.kind);
  }
}
