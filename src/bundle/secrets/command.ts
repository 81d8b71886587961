/**
 * Credentials on command lines (shell traces, process listings, CI logs): `curl -u user:pw`,
 * `--password pw` / `--token pw` (the `=` form is a key/value pair), `sshpass -p pw`, `mysql -ppw`,
 * `redis-cli -a pw`, `docker login -p pw`, `aws configure set aws_secret_access_key pw`.
 */
import { HintIndex } from './hints.js';
import { fieldEnd } from './keyvalue.js';
import { secretName } from './names.js';
import { entropy, isCredentialShaped, isPlaceholder } from './shape.js';
import { RANK, type Span } from './span.js';

/** `-u` / `--user` then `user:password` (curl, wget, httpie). */
export const USER_FLAG = /(?:^|[\s'"])(?:-u|--user|--proxy-user)[ \t=]+/g;
/** `--name value` with a space (the `=` form is a key/value pair). */
export const LONG_FLAG = /(?:^|[\s'"])--[A-Za-z][A-Za-z0-9-]{0,60}(?=[ \t])/g;
/** Tools whose short flag carries a password: sshpass -p, mysql -p<pw>, redis-cli -a, ldapsearch -w, sqlcmd -P, … */
export const PASSWORD_TOOL =
  /\b(?:sshpass|mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|redis-cli|docker|podman|helm|mongo|mongosh|mongodump|mongorestore|ldapsearch|ldapadd|ldapmodify|ldapdelete|ldapwhoami|ldappasswd|ldapcompare|ldapmodrdn|ldapexop|ldapurl|sqlcmd|bcp|osql|isql|zip|unzip|7z|7za|az|oc|cf|twine|expo|rdesktop|ncftp|ncftpput|ncftpget|codecov|doctl|smbmap|crackmapexec)\b/g;
/** Per tool: which short flags carry the secret, whether only attached (`-ppw`), and a word the command must hold. */
const TOOL_FLAGS: Record<string, { flags: string; attachedOnly?: boolean; needs?: RegExp }> = {
  sshpass: { flags: 'p' },
  mysql: { flags: 'p', attachedOnly: true },
  mysqldump: { flags: 'p', attachedOnly: true },
  mysqladmin: { flags: 'p', attachedOnly: true },
  mariadb: { flags: 'p', attachedOnly: true },
  'mariadb-dump': { flags: 'p', attachedOnly: true },
  'redis-cli': { flags: 'a' },
  docker: { flags: 'p', needs: /\blogin\b/ },
  podman: { flags: 'p', needs: /\blogin\b/ },
  helm: { flags: 'p', needs: /\blogin\b/ },
  az: { flags: 'p', needs: /\blogin\b/ },
  oc: { flags: 'p', needs: /\blogin\b/ },
  cf: { flags: 'p', needs: /\blogin\b/ },
  mongo: { flags: 'p' },
  mongosh: { flags: 'p' },
  mongodump: { flags: 'p' },
  mongorestore: { flags: 'p' },
  ldapsearch: { flags: 'w' },
  ldapadd: { flags: 'w' },
  ldapmodify: { flags: 'w' },
  ldapdelete: { flags: 'w' },
  ldapwhoami: { flags: 'w' },
  ldappasswd: { flags: 'wsa' },
  ldapcompare: { flags: 'w' },
  ldapmodrdn: { flags: 'w' },
  ldapexop: { flags: 'w' },
  ldapurl: { flags: 'w' },
  sqlcmd: { flags: 'P' },
  bcp: { flags: 'P' },
  osql: { flags: 'P' },
  isql: { flags: 'P' },
  zip: { flags: 'P' },
  unzip: { flags: 'P' },
  '7z': { flags: 'p', attachedOnly: true },
  '7za': { flags: 'p', attachedOnly: true },
  twine: { flags: 'p' },
  expo: { flags: 'p' },
  rdesktop: { flags: 'p' },
  ncftp: { flags: 'p' },
  ncftpput: { flags: 'p' },
  ncftpget: { flags: 'p' },
  codecov: { flags: 't' },
  doctl: { flags: 't' },
  crackmapexec: { flags: 'pH' },
  smbmap: { flags: 'p' },
};
/** `password <value>` with a space: .netrc (`machine h login u password p`), `ALTER USER … PASSWORD 'p'`. */
export const SPACED_PASSWORD = /(?:^|[\s'"])(?:password|passwd)[ \t]+/gi;
/** Config files whose keyword and value are separated by spaces: nslcd/slapd `bindpw`/`rootpw`, redis.conf `requirepass`/`masterauth`. */
export const SPACED_CONFIG = /(?:^|\n)[ \t]*(?:bindpw|rootpw|requirepass|masterauth|auth_pass|ldap_default_authtok|pre-shared-key|preshared-key|wpa_passphrase|secret)[ \t]+(?=[^\s=:])/gi;
/** `set <name> <value>` (aws configure set, npm config set, git config, fish `set -gx NAME value`). */
export const SET_COMMAND = /\bset[ \t]+/g;
export const SHORT_FLAG = /(?:^|[ \t])-([A-Za-z])(\S*)/g;
/** Java and OpenSSL tools' single-dash long flags: `keytool -storepass pw`, `openssl … -passin pass:pw`. */
export const DASH_LONG_FLAG = /(?:^|[ \t])-(?:storepass|keypass|srcstorepass|deststorepass|srckeypass|destkeypass|passin|passout|pass|password|passphrase|pwd|kpass)[ \t]+/g;
/** Samba and Windows: `-U user%password`, `/user:name password` is `net use`'s; xfreerdp `/p:password`. */
export const USER_PERCENT = /(?:^|[ \t])(?:-U|--user(?:name)?[ \t=])[ \t]*[^\s%]{1,128}%/g;
export const SLASH_PASSWORD_FLAG = /(?:^|[ \t])\/p(?:assword)?:/gi;
/** `echo pw | docker login --password-stdin`, `printf '%s' pw | sudo -S …`: the echoed word reaches a login's stdin. */
export const ECHO_PIPE = /(?:^|[\s;&(`$"'])(?:echo|printf)[ \t]+/g;
/** What a piped command must be for the echoed word to be its password (with `sudo -S`, `htpasswd -i`: isStdinLogin). */
const STDIN_LOGIN = /--password-stdin|--pass(?:word)?-stdin|--passwd-on-stdin|\blogin\b|\bkinit\b|\bchpasswd\b|\bpasswd\b|-passin[ \t]+stdin|\bcryptsetup\b|\bsmbpasswd\b/;

function isStdinLogin(command: string): boolean {
  if (STDIN_LOGIN.test(command)) return true;
  const words = command.split(/[ \t]+/);
  const has = (w: string) => words.includes(w);
  return (has('sudo') && has('-S')) || (has('htpasswd') && has('-i')) || ((has('vault') || has('gh')) && (has('login') || has('auth')));
}
/** `cmd <<< 'pw'`: a here-string fed to a login. */
export const HERE_STRING = /<<<[ \t]*/g;
/** `<tool> auth <token>`, `ngrok authtoken <t>`, `ngrok config add-authtoken <t>`, `vault login <t>`, `cf auth user pw`. */
export const AUTH_SUBCOMMAND = /\b(?:auth|authtoken|add-authtoken|auth:token|login)[ \t]+/g;
/** PowerShell: `ConvertTo-SecureString "pw" -AsPlainText`. */
export const SECURE_STRING = /\bConvertTo-SecureString[ \t]+(?:-String[ \t]+)?/gi;

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
  // An unquoted word ends at a quote too: in a log line it is the end of the field that held the command.
  let p = from;
  while (p < text.length && p - from < 4096 && !/[\s;|&)"'`]/.test(text[p] as string)) p++;
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

/** The literals each command-line detector needs, found in one pass (hints.ts): most lines hold none. */
const TOOL_NAMES = Object.keys(TOOL_FLAGS);
const CASED = (word: string) => [word, word[0]!.toUpperCase() + word.slice(1), word.toUpperCase()];
const COMMAND_HINTS = new HintIndex([
  '-u', '--', 'set', ' -', '%', '/p', '/P', 'echo', 'printf', '<<<', 'auth', 'login', 'SecureString', 'securestring',
  ...CASED('password'), ...CASED('passwd'),
  ...['bindpw', 'rootpw', 'requirepass', 'masterauth', 'auth_pass', 'authtok', 'shared-key', 'passphrase'].flatMap(CASED), ...CASED('secret'),
  // A tool is followed by its arguments: `az ` (not "amazon"), `oc ` (not "local").
  ...TOOL_NAMES.map((tool) => `${tool} `),
]);
const hint = (name: string) => COMMAND_HINTS.hints.indexOf(name);
const anyOf = (...names: string[]) => names.map(hint);
const H = {
  userFlag: anyOf('-u'),
  longFlag: anyOf('--'),
  set: anyOf('set'),
  password: anyOf(...CASED('password'), ...CASED('passwd')),
  dash: anyOf(' -'),
  percent: anyOf('%'),
  slash: anyOf('/p', '/P'),
  echo: anyOf('echo', 'printf'),
  here: anyOf('<<<'),
  auth: anyOf('auth', 'login'),
  secure: anyOf('SecureString', 'securestring'),
  config: anyOf(...['bindpw', 'rootpw', 'requirepass', 'masterauth', 'auth_pass', 'authtok', 'shared-key', 'passphrase', 'secret'].flatMap(CASED)),
  tool: anyOf(...TOOL_NAMES.map((tool) => `${tool} `)),
};

export function commandSpans(text: string, spans: Span[]): void {
  const found = COMMAND_HINTS.find(text);
  if (found.length === 0) return;
  const flags = COMMAND_HINTS.flags(found);
  const has = (ids: number[]) => ids.some((id) => flags[id] === 1);
  if (has(H.userFlag)) userFlagSpans(text, spans);
  if (has(H.longFlag)) longFlagSpans(text, spans);
  if (has(H.tool)) passwordToolSpans(text, spans);
  if (has(H.set)) setCommandSpans(text, spans);
  if (has(H.password)) spacedPasswordSpans(text, spans);
  if (has(H.dash)) dashLongFlagSpans(text, spans);
  if (has(H.percent)) percentUserSpans(text, spans);
  if (has(H.slash)) slashFlagSpans(text, spans);
  if (has(H.echo)) echoPipeSpans(text, spans);
  if (has(H.here)) hereStringSpans(text, spans);
  if (has(H.auth)) authSubcommandSpans(text, spans);
  if (has(H.secure)) secureStringSpans(text, spans);
  if (has(H.config)) spacedConfigSpans(text, spans);
}

/** Words after which `password <value>` is a .netrc line (any value is the password). */
const NETRC_CONTEXT = /(?:^|\s)(?:machine|login|default)[ \t]+\S/;
/** Prose after "password": not a value. */
const PASSWORD_PROSE = /^(?:is|was|has|for|of|and|or|to|in|on|must|should|will|can|cannot|not|reset|required|expired|changed|incorrect|invalid|missing|policy|length|too|the|a|an|if|when|with|without|field|prompt|authentication|change|update|updated|mismatch|wrong|ok|failed|accepted|rejected|hash|hashes|manager|protected)$/i;

function spacedPasswordSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(SPACED_PASSWORD)) {
    const word = shellWord(text, m.index + m[0].length);
    if (!word) continue;
    const value = text.slice(word.start, word.end);
    if (isPlaceholder(value) || value.startsWith('[REDACTED')) continue;
    const keywordAt = m.index + m[0].search(/p/i);
    const lineStart = text.lastIndexOf('\n', keywordAt) + 1;
    const before = text.slice(Math.max(lineStart, keywordAt - 256), keywordAt);
    // .netrc: `machine h login u password p`, or a `password p` line on its own (the multi-line form).
    const afterWord = word.end + (text[word.end] === "'" ? 1 : 0);
    const restOfLine = text.slice(afterWord, fieldEnd(text, afterWord)).trim();
    // The value ends the line or another .netrc keyword follows it.
    const endsEntry = restOfLine === '' || /^(?:machine|login|password|account|macdef|default)\b/.test(restOfLine);
    // Joined into one line by a collector or a person (`… password p | next line`), the entry ends at the separator.
    const separated = /^[|;,]/.test(restOfLine) && NETRC_CONTEXT.test(before);
    const netrc = separated || (endsEntry && (NETRC_CONTEXT.test(before) || before.trim() === ''));
    if (netrc && !PASSWORD_PROSE.test(value)) {
      push(spans, word.start, word.end, 'password');
      continue;
    }
    // Prose ("password reset required", "password is") stays; a credential-shaped word does not.
    if (/^[A-Za-z]+[:.,;!?]?$/.test(value)) continue;
    if (isCredentialShaped(value, 6)) push(spans, word.start, word.end, 'password');
  }
}

/** `bindpw secret`, `requirepass secret`: keyword at the start of a config line, then the value (the rest of the line). */
function spacedConfigSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(SPACED_CONFIG)) {
    const from = m.index + m[0].length;
    const nl = text.indexOf('\n', from);
    let end = nl === -1 ? text.length : nl;
    while (end > from && /\s/.test(text[end - 1] as string)) end--;
    let start = from;
    if ((text[start] === '"' || text[start] === "'") && text[end - 1] === text[start] && end - start >= 2) {
      start++;
      end--;
    }
    const value = text.slice(start, end);
    if (end - start > 4096 || isPlaceholder(value) || value.startsWith('[REDACTED')) continue;
    // `secret` alone is too common a word: only a credential-shaped single word after it.
    if (/^\s*secret/i.test(m[0].replace(/^\n/, '')) && (/\s/.test(value) || !isCredentialShaped(value, 8))) continue;
    push(spans, start, end, 'password');
  }
}

/** `keytool -storepass pw`, `openssl enc -pass pass:pw` (`env:`, `file:`, `fd:`, `stdin` name where it comes from). */
function dashLongFlagSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(DASH_LONG_FLAG)) {
    const word = shellWord(text, m.index + m[0].length);
    if (!word) continue;
    let start = word.start;
    const value = text.slice(start, word.end);
    if (/^(?:env|file|fd):|^stdin$/.test(value)) continue;
    if (value.startsWith('pass:')) start += 5;
    if (word.end > start && !isPlaceholder(text.slice(start, word.end)) && text[start] !== '-') push(spans, start, word.end, 'password');
  }
}

/** smbclient / rpcclient `-U user%password`. */
function percentUserSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(USER_PERCENT)) {
    const from = m.index + m[0].length;
    const word = shellWord(text, from);
    if (word && word.start === from && !isPlaceholder(text.slice(word.start, word.end))) push(spans, word.start, word.end, 'password');
  }
}

/** xfreerdp `/p:password`, `/password:password`. */
function slashFlagSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(SLASH_PASSWORD_FLAG)) {
    const from = m.index + m[0].length;
    const word = shellWord(text, from);
    if (word && !isPlaceholder(text.slice(word.start, word.end))) push(spans, word.start, word.end, 'password');
  }
}

/** The shell words from `from` to the end of the command (`|`, `;`, `&&`, newline), at most eight. */
function wordsUntilPipe(text: string, from: number): { words: { start: number; end: number }[]; end: number } {
  const words: { start: number; end: number }[] = [];
  let p = from;
  while (words.length < 8 && p < text.length) {
    while (text[p] === ' ' || text[p] === '\t') p++;
    const ch = text[p];
    if (ch === undefined || ch === '|' || ch === ';' || ch === '\n' || ch === '&' || ch === ')') break;
    const word = shellWord(text, p);
    if (!word) break;
    words.push(word);
    p = word.end + (text[word.end] === '"' || text[word.end] === "'" ? 1 : 0);
  }
  return { words, end: p };
}

/** `echo "pw" | docker login --password-stdin …`: the last echoed word is the password. */
function echoPipeSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(ECHO_PIPE)) {
    const { words, end } = wordsUntilPipe(text, m.index + m[0].length);
    if (text[end] !== '|' || text[end + 1] === '|') continue;
    const piped = text.slice(end + 1, commandEnd(text, end + 1) + 200).split('\n')[0] ?? '';
    if (!isStdinLogin(piped)) continue;
    const values = words.filter((w) => text[w.start] !== '-' || text[w.start - 1] === '"' || text[w.start - 1] === "'");
    const last = values[values.length - 1];
    if (!last) continue;
    const value = text.slice(last.start, last.end);
    if (isPlaceholder(value) || value.includes('%s') || /^"?\$/.test(value)) continue;
    push(spans, last.start, last.end, 'password');
  }
}

/** `docker login --password-stdin <<< 'pw'`. */
function hereStringSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(HERE_STRING)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (!isStdinLogin(text.slice(Math.max(lineStart, m.index - 300), m.index))) continue;
    const word = shellWord(text, m.index + m[0].length);
    if (word && !isPlaceholder(text.slice(word.start, word.end))) push(spans, word.start, word.end, 'password');
  }
}

/** Looks like a token, not a host, a path, an e-mail, a flag or a word. */
function isTokenWord(value: string): boolean {
  if (value.length < 12 || /^[-/.~]/.test(value) || /[@/\\:]/.test(value) || /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(value)) return false;
  if (!/\d/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return !isPlaceholder(value) && entropy(value) >= 3;
}

/** `snyk auth <token>`, `ngrok authtoken <t>`, `vault login <t>`, `cf auth <user> <password>`. */
function authSubcommandSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(AUTH_SUBCOMMAND)) {
    const { words } = wordsUntilPipe(text, m.index + m[0].length);
    const positional = words.filter((w, i) => text[w.start] !== '-' && !(i > 0 && /^-[A-Za-z]$/.test(text.slice(words[i - 1]!.start, words[i - 1]!.end))));
    const toolStart = text.lastIndexOf(' ', m.index - 2) + 1;
    const tool = text.slice(toolStart, m.index).trim();
    if (tool === 'cf' && m[0].startsWith('auth') && positional.length >= 2) {
      const pw = positional[1]!;
      if (!isPlaceholder(text.slice(pw.start, pw.end))) push(spans, pw.start, pw.end, 'password');
      continue;
    }
    for (const w of positional.slice(0, 2)) {
      if (isTokenWord(text.slice(w.start, w.end))) push(spans, w.start, w.end, 'api_token');
    }
  }
}

/** PowerShell `ConvertTo-SecureString "pw" -AsPlainText -Force`. */
function secureStringSpans(text: string, spans: Span[]): void {
  for (const m of text.matchAll(SECURE_STRING)) {
    const from = m.index + m[0].length;
    if (text[from] !== '"' && text[from] !== "'") continue;
    const word = shellWord(text, from);
    if (word && !isPlaceholder(text.slice(word.start, word.end))) push(spans, word.start, word.end, 'password');
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
    let from = m.index + m[0].length;
    while (text[from] === ' ' || text[from] === '\t') from++;
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
    const spec = TOOL_FLAGS[tool];
    if (!spec || (spec.needs && !spec.needs.test(segment))) continue;
    // mysql's `-p pw` (with a space) prompts; its password is attached (`-ppw`). sshpass, docker and mongo take the next word.
    const attachedOnly = spec.attachedOnly === true;
    for (const f of segment.matchAll(SHORT_FLAG)) {
      if (!spec.flags.includes(f[1] as string) || f[2]?.startsWith('-')) continue;
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
    let nameWord = shellWord(text, m.index + m[0].length);
    // fish: `set -gx NAME value`, `set --export --global NAME value`.
    for (let flags = 0; nameWord && text[nameWord.start] === '-' && flags < 4; flags++) {
      let next = nameWord.end;
      while (text[next] === ' ' || text[next] === '\t') next++;
      nameWord = shellWord(text, next);
    }
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
