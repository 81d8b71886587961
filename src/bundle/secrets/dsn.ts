/**
 * Connection strings without a URL scheme, where `scheme://user:pw@` (structure.ts) does not apply:
 * - Go's MySQL DSN: `user:pw@tcp(host:3306)/db`, `@unix(/path)`, `@tcp6(…)`;
 * - Oracle EZConnect and JDBC thin: `user/pw@//host:1521/svc`, `jdbc:oracle:thin:user/pw@host:1521:SID`,
 *   tools that take `user/pw[@alias]` (`sqlplus scott/tiger@orcl`, `expdp`, `rman`), `userid=user/pw`.
 * (ODBC's `Pwd={…;…}` is a key/value pair with a braced value: keyvalue.ts.)
 *
 * Linear: regexes of literal anchors; from each, a bounded walk back to the start of the string.
 */
import { HintIndex } from './hints.js';
import { isWithheld } from './shape.js';
import { RANK, type Span } from './span.js';

/** `@tcp(`, `@unix(`: Go's MySQL driver DSN protocol. */
export const GO_DSN_PROTOCOL = /@(?:tcp6?|udp|unix)\(/g;
/** `@//host` (EZConnect) and `thin:` (JDBC). */
export const ORACLE_ANCHOR = /@\/\/|\bthin:(?=[^\s@/:]{1,128}\/)/g;
/** Oracle tools that take `user/password[@connect]` as a word. */
export const ORACLE_TOOL = /\b(sqlplus|rman|expdp|impdp|exp|imp|sqlldr|dgmgrl|sqlcl|sql|userid|connect|conn)(?:\.exe)?(?=[ \t=])/gi;
/** After the tool: its flags (`-S`, `-L`) and the spaces, or `=` and a quote (`userid="…`). */
function afterTool(text: string, from: number): number {
  let p = from;
  for (let flags = 0; flags < 4; flags++) {
    while (text[p] === ' ' || text[p] === '\t') p++;
    if (text[p] === '-' && /[A-Za-z]/.test(text[p + 1] ?? '') && /[A-Za-z \t]/.test(text[p + 2] ?? ' ') && (text[p + 2] === ' ' || text[p + 2] === '\t' || text[p + 3] === ' ' || text[p + 3] === '\t')) {
      p += text[p + 2] === ' ' || text[p + 2] === '\t' ? 2 : 3;
      continue;
    }
    break;
  }
  if (text[p] === '=') {
    p++;
    while (text[p] === ' ' || text[p] === '\t') p++;
    if (text[p] === '"' || text[p] === "'") p++;
  }
  return p;
}
/** An Oracle user name before the slash. */
const ORACLE_USER = /^[A-Za-z][A-Za-z0-9_$#]{0,29}$/;
/** Words that are tools only in context: their `user/pw` must name a connection (`@…`). */
const AMBIGUOUS_TOOL = new Set(['exp', 'imp', 'sql', 'connect', 'conn']);

/** Characters that end a DSN walking back from its `@`. */
const DSN_START = new Set([' ', '\t', '\n', '\r', '"', "'", '`', '=', '(', ',', ';', '>', '<', '[', '{']);
const MAX_BACK = 256;

const GO_DSN_START = new Set([' ', '\t', '\n', '\r', '"', "'", '`', '=']);

/** Start of the string that ends at `at` (walking back to a delimiter, bounded). */
function startBefore(text: string, at: number, alsoStopAt?: string, delimiters: ReadonlySet<string> = DSN_START): number {
  const limit = Math.max(0, at - MAX_BACK);
  let p = at;
  while (p > limit && !delimiters.has(text[p - 1] as string) && text[p - 1] !== alsoStopAt) p--;
  return p;
}

function push(text: string, spans: Span[], start: number, end: number): void {
  if (end <= start) return;
  const value = text.slice(start, end);
  if (isWithheld(value) || value.startsWith('[REDACTED')) return;
  spans.push({ start, end, kind: 'connection_password', rank: RANK.url });
}

/** `user/password@…` or `user/password` (a whole word) starting at `from`: the password's span. */
function slashPassword(text: string, from: number, needsConnect = false): { start: number; end: number } | undefined {
  const limit = Math.min(text.length, from + MAX_BACK);
  let slash = -1;
  let p = from;
  for (; p < limit; p++) {
    const ch = text[p] as string;
    if (ch === '@' || DSN_START.has(ch)) break;
    if (ch === '/') {
      if (slash !== -1) return undefined; // a path, not user/password
      slash = p;
    }
  }
  if (slash <= from || p === slash + 1 || !ORACLE_USER.test(text.slice(from, slash))) return undefined;
  if (needsConnect && text[p] !== '@') return undefined;
  return { start: slash + 1, end: p };
}

/** The words an Oracle tool or connect string needs, as they are written (upper or lower case). */
const ORACLE_HINTS = new HintIndex(['sqlplus', 'rman', 'expdp', 'impdp', 'exp ', 'imp ', 'sqlldr', 'dgmgrl', 'sqlcl', 'sql ', 'userid', 'connect ', 'conn '].flatMap((w) => [w, w.toUpperCase()]));

export function connectionSpans(text: string, spans: Span[]): void {
  if (text.includes('@')) {
    for (const m of text.matchAll(GO_DSN_PROTOCOL)) {
      // A Go DSN's password may hold `;`, `,` and `(`: only a space, a quote or `=` starts the DSN.
      const start = startBefore(text, m.index, undefined, GO_DSN_START);
      const colon = text.indexOf(':', start);
      if (colon !== -1 && colon < m.index) push(text, spans, colon + 1, m.index);
    }
    for (const m of text.matchAll(ORACLE_ANCHOR)) {
      if (m[0] === '@//') {
        const start = startBefore(text, m.index, ':');
        const slash = text.indexOf('/', start);
        if (slash !== -1 && slash < m.index) push(text, spans, slash + 1, m.index);
      } else {
        const found = slashPassword(text, m.index + m[0].length, true);
        if (found) push(text, spans, found.start, found.end);
      }
    }
  }
  if (ORACLE_HINTS.find(text).length === 0) return;
  for (const m of text.matchAll(ORACLE_TOOL)) {
    const from = afterTool(text, m.index + m[0].length);
    if (text[from] === '/' || text[from] === '-') continue; // `sqlplus / as sysdba`, a flag
    const found = slashPassword(text, from, AMBIGUOUS_TOOL.has((m[1] as string).toLowerCase()));
    if (found) push(text, spans, found.start, found.end);
  }
}
