/**
 * Basic-auth credentials written as code, where the password is a positional string literal and no
 * key names it: `req.SetBasicAuth("user", "pw")`, `requests.get(url, auth=("user", "pw"))`,
 * `HTTPBasicAuth('user', 'pw')`, `new NetworkCredential("user", "pw")`,
 * `new UsernamePasswordCredentials("user", "pw")`, `smtp.PlainAuth("", "user", "pw", host)`,
 * `conn.simple_bind_s(dn, "pw")`, `.auth('user', 'pw')`, `new BasicAWSCredentials("AKIA…", "…")`.
 * Stack traces and debug logs quote such lines.
 *
 * Linear: one regex of call names, then a bounded walk over at most four arguments.
 */
import { isWithheld } from './shape.js';
import { RANK, type Span } from './span.js';

/** Calls whose arguments carry a credential (by their full or last name), with the index of the password argument. */
const CREDENTIAL_CALLS = new Map<string, number[]>([
  ...'SetBasicAuth setBasicAuth withBasicAuth HTTPBasicAuth HTTPDigestAuth HttpBasicAuth HTTPProxyAuth BasicAuth BasicAuthentication basic_auth basicAuth UsernamePasswordCredentials UsernamePasswordAuthenticationToken NetworkCredential PasswordAuthentication PasswordCredential BasicAWSCredentials AwsBasicCredentials.create simple_bind_s simple_bind bind_s login auth basic Credentials'
    .split(' ')
    .map((name) => [name, [1]] as [string, number[]]),
  ['PlainAuth', [2]],
  ['BasicSessionCredentials', [1, 2]],
  ['AwsSessionCredentials.create', [1, 2]],
]);
/** `Buffer.from("user:pw")`, `btoa('user:pw')`, `base64.b64encode(b"user:pw")`, Go's `EncodeToString([]byte("user:pw"))`: Basic credentials being built. */
const ENCODE_CALLS = new Set('btoa b64encode encodebytes EncodeToString encodeToString encodeBase64String encodeBase64 Buffer.from Base64.encode'.split(' '));
/** `auth=("user", "pw")`, `auth: ['user', 'pw']` (Python requests, axios-like options). */
export const AUTH_TUPLE = /\bauth[ \t]*[=:][ \t]*[([]/g;

/** Names too common to trust unless both the user and the password are literals. */
const GENERIC = new Set(['login', 'auth', 'basic', 'Credentials', 'bind_s', 'simple_bind', 'simple_bind_s']);

interface Arg {
  /** The string literal's content, when the argument starts with one. */
  literal?: { start: number; end: number };
}

const MAX_ARG = 512;

/** A string literal (`"…"`, `'…'`, `` `…` ``, with an optional r/b/u/f prefix) at `from`: its content span. */
function literalAt(text: string, from: number): { start: number; end: number; close: number } | undefined {
  let p = from;
  if (/[rRbBuUfF]/.test(text[p] ?? '') && /["']/.test(text[p + 1] ?? '')) p++;
  const q = text[p];
  if (q !== '"' && q !== "'" && q !== '`') return undefined;
  const limit = Math.min(text.length, p + 1 + MAX_ARG);
  for (let i = p + 1; i < limit; i++) {
    const ch = text[i];
    if (ch === '\n') return undefined;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === q) return { start: p + 1, end: i, close: i };
  }
  return undefined;
}

/** Up to four arguments from `from` (just after the opening bracket). */
function args(text: string, from: number): Arg[] {
  const out: Arg[] = [];
  let p = from;
  while (out.length < 4) {
    while (text[p] === ' ' || text[p] === '\t') p++;
    const literal = literalAt(text, p);
    const arg: Arg = literal ? { literal: { start: literal.start, end: literal.end } } : {};
    if (literal) p = literal.close + 1;
    // The rest of the argument (`.toCharArray()`, a variable, a call), up to `,` or the closing bracket at depth 0.
    let depth = 0;
    const limit = Math.min(text.length, p + MAX_ARG);
    for (; p < limit; p++) {
      const ch = text[p];
      if (ch === '\n') return out;
      if (ch === '"' || ch === "'" || ch === '`') {
        const skipped = literalAt(text, p);
        if (!skipped) return out;
        p = skipped.close;
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        if (depth === 0) {
          out.push(arg);
          return out;
        }
        depth--;
      } else if (ch === ',' && depth === 0) break;
    }
    if (p >= limit) return out;
    out.push(arg);
    p++;
  }
  return out;
}

function pushLiteral(text: string, spans: Span[], arg: Arg | undefined): void {
  const literal = arg?.literal;
  if (!literal || literal.end - literal.start < 1) return;
  if (isWithheld(text.slice(literal.start, literal.end))) return;
  spans.push({ start: literal.start, end: literal.end, kind: 'password', rank: RANK.command });
}

function isNameCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
}

/** The dotted name (`smtp.PlainAuth`, `AwsBasicCredentials.create`) called by the `(` at `paren`, or undefined. */
function calledName(text: string, paren: number): string | undefined {
  let end = paren;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t') && paren - end < 8) end--;
  let start = end;
  while (start > 0 && end - start < 128 && isNameCode(text.charCodeAt(start - 1))) start--;
  if (start === end || !/[A-Za-z_]/.test(text[start] as string)) return undefined;
  return text.slice(start, end);
}

/** The call's name as looked up: the full dotted name if listed, else its last part. */
function callName(name: string, names: { has(name: string): boolean }): string | undefined {
  if (names.has(name)) return name;
  const last = name.slice(name.lastIndexOf('.') + 1);
  return names.has(last) ? last : undefined;
}

/** The first string literal within a call's first few characters, if it is `user:password`: the password's span. */
function encodedUserPassword(text: string, from: number): Arg | undefined {
  const quote = text.slice(from, from + 64).search(/["'`]/);
  if (quote === -1) return undefined;
  const at = from + quote;
  const literal = literalAt(text, /[rRbBuUfF]/.test(text[at - 1] ?? '') ? at - 1 : at);
  if (!literal) return undefined;
  const value = text.slice(literal.start, literal.end);
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1 || /\s/.test(value.slice(0, colon)) || /^[a-z]+:\/\//i.test(value)) return undefined;
  return { literal: { start: literal.start + colon + 1, end: literal.end } };
}

export function codeSpans(text: string, spans: Span[]): void {
  if (!text.includes('(') && !text.includes('[')) return;
  // Each `(`, then the name before it (a hand-written walk back: cheaper than a pattern tried at every position).
  for (let paren = text.indexOf('('); paren !== -1; paren = text.indexOf('(', paren + 1)) {
    const called = calledName(text, paren);
    if (called === undefined) continue;
    const from = paren + 1;
    if (callName(called, ENCODE_CALLS)) {
      pushLiteral(text, spans, encodedUserPassword(text, from));
      continue;
    }
    const name = callName(called, CREDENTIAL_CALLS);
    if (!name) continue;
    const found = args(text, from);
    if (GENERIC.has(name) && !(found[0]?.literal && found[1]?.literal && found.length <= 3)) continue;
    for (const index of CREDENTIAL_CALLS.get(name) ?? [1]) pushLiteral(text, spans, found[index]);
  }
  if (!text.includes('auth')) return;
  for (const m of text.matchAll(AUTH_TUPLE)) {
    const found = args(text, m.index + m[0].length);
    if (found.length === 2 && found[1]?.literal) pushLiteral(text, spans, found[1]);
  }
}
