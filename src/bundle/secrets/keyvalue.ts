/**
 * Key/value secrets by NAME, in every notation logs use: `KEY=value`, `key: value`, `"key":"value"`,
 * `\"key\":\"value\"` (JSON inside a JSON string), `?key=value&`, `Header: value`, `{Header=value, …}`
 * (API Gateway header dumps), `export KEY=value` and env dumps (`printenv`: the value runs to the end
 * of the line, spaces included).
 *
 * A linear scanner, not a regex: it visits each `=` and `:` once, walks back over at most
 * MAX_KEY name characters, and resumes after every value it redacts, so no character is read more
 * than a constant number of times whatever the line holds.
 */
import { NAME_HINT, secretName, type SecretName } from './names.js';
import { entropy, isCredentialShaped, isNonSecretValue, isPlaceholder, isWithheld } from './shape.js';
import { RANK, type Span } from './span.js';

const MAX_KEY = 128;
/** A value longer than this (no closing quote in sight) runs to the end of its line instead. */
const MAX_VALUE = 16_384;
/** Authorization schemes: kept visible, the credential after them is redacted. */
export const AUTH_SCHEME = /^(?:Bearer|Basic|Digest|Token|Bot|AWS4-HMAC-SHA256|Negotiate|NTLM|SharedAccessSignature|SSWS|ApiKey|Key|OAuth|HMAC|GenieKey)[ \t]+/i;
/** What may stand before a key at the start of a line, for the value to run to the end of the line. */
export const LINE_START_PREFIX = /^[ \t]*(?:(?:export|setx|set|declare -x|ENV|env)[ \t]+|[-+>*]{1,3}[ \t]*)?$/;

function isKeyCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/**
 * End of the text field a value sits in: its line, or the quote (or escape) that closes the JSON
 * string holding it (`"errorMessage":"DB_PASSWORD=correct horse battery","stack":…`).
 */
export function fieldEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_VALUE);
  let end = from;
  while (end < limit && text[end] !== '\n' && text[end] !== '"' && text[end] !== '\\') end++;
  while (end > from && /[\s\r]/.test(text[end - 1] as string)) end--;
  return end;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  let end = nl === -1 ? text.length : nl;
  while (end > from && /[\s\r]/.test(text[end - 1] as string)) end--;
  return end;
}

/** True when only a prefix like `export ` stands between the previous newline and `at`. */
function atLineStart(text: string, at: number): boolean {
  const from = Math.max(0, at - 16);
  const nl = text.lastIndexOf('\n', at - 1);
  if (nl < from - 1) return false;
  return LINE_START_PREFIX.test(text.slice(nl + 1, at));
}

/** End of a closing quote `q` (`"`, `'` or `\"`), skipping escapes; -1 when the line ends first. */
function closingQuote(text: string, from: number, q: string): number {
  const limit = Math.min(text.length, from + MAX_VALUE);
  for (let p = from; p < limit; p++) {
    const ch = text[p];
    if (ch === '\n') return -1;
    if (q.length === 3) {
      if (text.startsWith(q, p)) return p;
    } else if (q.length === 2) {
      if (ch === '\\' && text[p + 1] === q[1]) return p;
    } else if (ch === '\\') {
      p++;
    } else if (ch === q) {
      return p;
    }
  }
  return -1;
}

/** Another `name=` or `name:` pair later on the line: the values there are words of their own. */
const LATER_PAIR = /[ \t][A-Za-z_][A-Za-z0-9_.-]{0,64}[ \t]{0,4}[=:]/;

/**
 * Does an unquoted value run to the end of its line, spaces included? An env dump's
 * (`DB_PASSWORD=correct horse battery staple`) does, at a line's start or anywhere for a name
 * whose every value is a secret, unless more pairs follow (`max_tokens=1024 tokenizer=…`) or the
 * first word says "no secret here".
 */
function runsToLineEnd(text: string, from: number, name: SecretName, lineStart: boolean): boolean {
  if (!lineStart && !name.anyValue) return false;
  const end = Math.min(lineStart ? lineEnd(text, from) : fieldEnd(text, from), from + MAX_VALUE);
  const first = text.slice(from, tokenEnd(text, from, false));
  if (isPlaceholder(first) || (!name.anyValue && isNonSecretValue(first))) return false;
  return !LATER_PAIR.test(text.slice(from, end));
}

/** `, Name=` or `, Name:` after a comma: the next element of an API Gateway header dump. */
function nextElementAt(text: string, comma: number): boolean {
  let p = comma + 1;
  while (isSpace(text[p])) p++;
  const start = p;
  while (p < text.length && p - start <= 64 && isKeyCode(text.charCodeAt(p))) p++;
  return p > start && (text[p] === '=' || text[p] === ':');
}

/** End of a header's value: the line, a quote, a closing brace, or the next `, Name=` element. */
function headerEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_VALUE);
  for (let p = from; p < limit; p++) {
    const ch = text[p];
    if (ch === '\n' || ch === '\r' || ch === '"' || ch === "'" || ch === '}' || ch === '\\') return p;
    if (ch === ',' && nextElementAt(text, p)) return p;
  }
  return limit === text.length ? limit : lineEnd(text, from);
}

/** Schemes whose credential is one token (`Bearer <t>`); the others carry `k=v, k=v` parameters. */
const ONE_TOKEN_SCHEME = /^(?:Bearer|Basic|Token|Bot|ApiKey|Key|SSWS|OAuth|GenieKey)[ \t]+/i;

/** Any scheme word before an Authorization credential: `Bearer`, `Splunk`, `Klaviyo-API-Key`, `sso-key`. */
const ANY_SCHEME = /^[A-Za-z][A-Za-z0-9._-]{0,40}[ \t]+/;
/**
 * The scheme word at the start of an Authorization value, with its spaces. A setting word
 * (`authorization=CUSTOM apiKeySource=HEADER`) is the whole value, not a scheme.
 */
function schemeAt(head: string): string | undefined {
  const scheme = ANY_SCHEME.exec(head)?.[0];
  if (!scheme) return undefined;
  return AUTH_SCHEME.test(scheme) || !isNonSecretValue(scheme.trim()) ? scheme : undefined;
}

/** A parameter list after the scheme: `token="…"`, `Credential=…, Signature=…`, `username="…", response="…"`. */
const PARAMETER = /^[A-Za-z][A-Za-z0-9_-]{0,40}[ \t]*=/;

/** End of `name=value, name="value", …` (quoted values may hold commas and spaces), bounded. */
function parameterListEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_VALUE);
  let p = from;
  while (p < limit) {
    const name = PARAMETER.exec(text.slice(p, p + 48));
    if (!name) break;
    p += name[0].length;
    while (isSpace(text[p])) p++;
    if (text[p] === '"' || (text[p] === '\\' && text[p + 1] === '"')) {
      const q = text[p] === '"' ? '"' : '\\"';
      const close = closingQuote(text, p + q.length, q);
      if (close === -1) return lineEnd(text, p);
      p = close + q.length;
    } else {
      p = tokenEnd(text, p, false);
    }
    const afterValue = p;
    while (isSpace(text[p])) p++;
    if (text[p] !== ',') return afterValue;
    p++;
    while (isSpace(text[p])) p++;
  }
  return p;
}

/**
 * Where an Authorization credential starts and ends: after any scheme word, one token, or a
 * whole parameter list (Digest, AWS4-HMAC-SHA256, `Token token="…"`); a bare token has no scheme.
 */
function authorizationSpan(text: string, from: number): { start: number; end: number; scheme: string } {
  const scheme = schemeAt(text.slice(from, from + 48));
  if (!scheme) return { start: from, end: tokenEnd(text, from, false), scheme: '' };
  const start = from + scheme.length;
  const end = PARAMETER.test(text.slice(start, start + 48)) ? parameterListEnd(text, start) : tokenEnd(text, start, false);
  return { start, end, scheme: scheme.trim() };
}

/**
 * End of a header's value. `Bearer <token>` ends with its token (what follows in a sentence is
 * not the credential); parameterised schemes (Digest, AWS4-HMAC-SHA256) and cookies run to the end
 * of the header.
 */
function headerValueEnd(text: string, from: number, name: SecretName): number {
  if (name.kind === 'authorization') return authorizationSpan(text, from).end;
  const head = text.slice(from, from + 32);
  const scheme = ONE_TOKEN_SCHEME.exec(head);
  if (scheme) return tokenEnd(text, from + scheme[0].length, false);
  return headerEnd(text, from);
}

/**
 * Is this the credential of an Authorization value after `scheme`? Any credential after a known
 * scheme; after another word (`Splunk`, `SSWS`, `Klaviyo-API-Key`), one that looks like a
 * credential, so prose ("Missing Authentication Token") stays.
 */
function isAuthorizationCredential(scheme: string, credential: string): boolean {
  const value = credential.trim();
  if (value.length < 4 || isWithheld(value) || value.startsWith('[REDACTED')) return false;
  if (scheme === '') return !isNonSecretValue(value) && isCredentialShaped(value, 8);
  // After a known scheme anything is the credential, except prose ("Bearer token was not valid").
  if (AUTH_SCHEME.test(`${scheme} `)) return !/^[a-z]{2,15}$/.test(value.split(/[\s,]/)[0] ?? '');
  const first = value.split(/[\s,]/)[0] ?? '';
  return isCredentialShaped(first, 8) && !isWordLike(first);
}

const TOKEN_END = new Set([' ', '\t', '\n', '\r', '"', "'", '`', '&', ';', '}', ')', ']', '>', '<', '|', '\\']);

/**
 * End of an unquoted token value. A comma ends it only before a space or the end. In a
 * `Key=Value;Key=Value` connection string only `;` separates pairs (a password may hold `&`).
 */
function tokenEnd(text: string, from: number, semicolonList: boolean): number {
  const limit = Math.min(text.length, from + MAX_VALUE);
  for (let p = from; p < limit; p++) {
    const ch = text[p] as string;
    if (semicolonList) {
      if (ch === ';' || ch === '"' || ch === "'" || ch === '\n' || ch === '\r') return p;
      continue;
    }
    if (TOKEN_END.has(ch)) return p;
    if (ch === ',' && (p + 1 >= text.length || /[\s"'}\]]/.test(text[p + 1] as string))) return p;
  }
  return limit === text.length ? limit : lineEnd(text, from);
}

/**
 * Words and numbers joined by separators (`aws:cloudformation:stack-id`, `uploads/2024/report`,
 * `orders-prod`): a name or a path. Random tokens mix cases and digits inside their segments.
 */
function isWordLike(value: string): boolean {
  const segments = value.split(/[-_/:.@ ]/).filter((s) => s !== '');
  return segments.length > 0 && segments.every((s) => /^[a-z]+$/.test(s) || /^\d+$/.test(s) || /^[A-Z][a-z]+$/.test(s));
}

/** Is this value, under this name, a secret? */
function judge(name: SecretName, value: string, quoted: boolean): boolean {
  if (isPlaceholder(value)) return false;
  if (name.anyValue) return true;
  if (/^[0-9a-fA-F]{16,}$/.test(value)) return true; // hex key material (signatures, Datadog keys)
  // API Gateway's API key ids (`GetApiKey`'s `apiKey`, `$context.identity.apiKeyId`) are 10 characters; key values are 20 or more.
  if (name.kind === 'api_key' && /^[a-z0-9]{10}$/.test(value)) return false;
  if (isWordLike(value)) return false;
  // A bare `key`/`secret` is often a data key (an S3 object key `uploads/2024/report.pdf`): only token-like values.
  if (name.weak) return isCredentialShaped(value, 12) && entropy(value) >= 3.2 && !/[\s.:]/.test(value) && !/(?:^|\/)[a-z]{4,}(?:\/|$)/.test(value);
  if (quoted && /\s/.test(value) && !isCredentialShaped(value, 8)) return false;
  return isCredentialShaped(value, 6);
}

/** `"name": ["v1", "v2"]` (API Gateway's multiValueHeaders): each string judged under the name. */
function arraySpans(text: string, open: number, name: SecretName, spans: Span[]): number {
  const limit = Math.min(text.length, open + MAX_VALUE);
  let p = open + 1;
  while (p < limit) {
    while (p < limit && (isSpace(text[p]) || text[p] === ',')) p++;
    const q = text[p] === '\\' && text[p + 1] === '"' ? '\\"' : text[p];
    if (q !== '"' && q !== "'" && q !== '\\"') return p;
    const from = p + q.length;
    const close = closingQuote(text, from, q);
    if (close === -1) return p;
    const value = text.slice(from, close);
    if (!value.startsWith('[REDACTED') && judge(name, value, true)) spans.push({ start: from, end: close, kind: name.kind, rank: RANK.name });
    p = close + q.length;
  }
  return p;
}

const PAIR_NAME_KEYS = new Set(['name', 'key', 'parameterkey', 'parametername', 'optionname', 'variablename', 'path']);

/** The field a JSON-patch `path` (`/config/secret`, `/variables/dbPassword`, `/data/api~1key`) writes. */
function patchedField(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const last = path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  return last === '' || /^\d+$/.test(last) ? undefined : last;
}

/**
 * ODBC's braced value (`Pwd={a;b}}c}`: `;` inside, `}}` an escaped brace): where it ends, or -1.
 * A `{{ template }}` is not one.
 */
function bracedValueEnd(text: string, open: number): number {
  if (text[open + 1] === '{') return -1;
  const limit = Math.min(text.length, open + 1 + MAX_VALUE);
  for (let p = open + 1; p < limit; p++) {
    const ch = text[p];
    if (ch === '\n') return -1;
    if (ch === '}') {
      if (text[p + 1] === '}') {
        p++;
        continue;
      }
      return p;
    }
  }
  return -1;
}

/** Names that are secrets whatever they are called elsewhere (a secret-creating call's parameters), lower case. */
export type ForcedNames = ReadonlyMap<string, string>;
const PAIR_VALUE_KEYS = new Set(['value', 'parametervalue', 'optionvalue', 'variablevalue']);

/** A quoted value right after a separator at `from` (spaces allowed), bounded; undefined otherwise. */
function quotedValueAt(text: string, from: number): { value: string; end: number } | undefined {
  let v = from;
  while (v - from < 8 && isSpace(text[v])) v++;
  const q = text[v] === '\\' && text[v + 1] === '"' ? '\\"' : text[v] === '"' || text[v] === "'" ? (text[v] as string) : '';
  if (!q) return undefined;
  const close = closingQuote(text, v + q.length, q);
  if (close === -1 || close - v > 256) return undefined;
  return { value: text.slice(v + q.length, close), end: close };
}

/**
 * The run of base64 characters (`A–Z a–z 0–9 + /`) that ends at `end` (inclusive), going back at
 * most 64: where it starts and which kinds of character it holds.
 */
function base64RunBefore(text: string, end: number): { start: number; length: number; mixed: boolean } {
  let upper = false;
  let lower = false;
  let digit = false;
  let k = end;
  for (; k >= 0 && end - k < 64; k--) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) digit = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
    else if (c !== 43 && c !== 47) break;
  }
  return { start: k + 1, length: end - k, mixed: upper && lower && digit };
}

/**
 * Whether the characters before `end` (inclusive) read as the body of a base64 id: at least 8 with
 * upper case, lower case and a digit among them (a path such as `/etc/app/config/` is not one, so
 * its `pw=` stays a key).
 */
function base64Before(text: string, end: number): boolean {
  const run = base64RunBefore(text, end);
  return run.length >= 8 && run.mixed;
}

/** Whether the `=` at `eq` ends a quoted run of base64 characters that starts before `keyStart`: `"…abc="`. */
function paddingInQuotes(text: string, keyStart: number, eq: number): boolean {
  const quote = text[text[eq + 1] === '=' ? eq + 2 : eq + 1];
  if (quote !== '"' && quote !== "'") return false;
  return text[base64RunBefore(text, keyStart - 1).start - 1] === quote;
}

/** Spans of values whose key names a secret (or that `forced` names, whatever the name says). */
export function keyValueSpans(text: string, spans: Span[], forced?: ForcedNames): void {
  let pairName: { name: string; end: number; patch: boolean } | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 58 && code !== 61) continue; // `:` or `=`
    const sep = text[i] as string;
    // `==`, `::`, `://`, `:=` handled as one separator.
    if (sep === '=' && text[i + 1] === '=') continue;
    if (sep === ':' && (text[i + 1] === ':' || text[i + 1] === '/' || text[i + 1] === '=')) continue;
    let j = i - 1;
    if (sep === '=' && text[j] === ':') j--;
    let spaces = 0;
    while (j >= 0 && spaces < 8 && isSpace(text[j])) {
      j--;
      spaces++;
    }
    let keyQuoted = false;
    if (text[j] === '"' || text[j] === "'") {
      keyQuoted = true;
      j--;
      if (text[j] === '\\') j--;
    }
    const keyEnd = j + 1;
    let k = j;
    while (k >= 0 && keyEnd - k <= MAX_KEY && isKeyCode(text.charCodeAt(k))) k--;
    if (k >= 0 && isKeyCode(text.charCodeAt(k))) continue; // longer than any key name
    const keyStart = k + 1;
    if (keyStart >= keyEnd) continue;
    const before = text[keyStart - 1];
    // `Sh4mtPpXKdV/iPW=`: the tail of a base64 id (an HTTP API's request id) before its padding.
    if (sep === '=' && (before === '/' || before === '+') && base64Before(text, keyStart - 1)) continue;
    // `"R8qiH8+PwFgZpwC="`: a quoted atom that ends in base64 padding; no value follows its `=`.
    if (sep === '=' && paddingInQuotes(text, keyStart, i)) continue;
    // `arn:aws:secretsmanager:…:secret:name`, `cognito:username`: a colon chain, not a pair.
    if (sep === ':' && before === ':') continue;
    const raw = text.slice(keyStart, keyEnd);
    // Only short keys can be a pair's name or value key (or `code`): lower-case just those.
    const lower = raw.length <= 14 ? raw.toLowerCase() : '';
    // `{"name":"DB_PASSWORD","value":"…"}` (ECS environment, CloudFormation parameters, option
    // settings): the value is judged under the name given next to it.
    if (PAIR_NAME_KEYS.has(lower)) {
      const named = quotedValueAt(text, i + 1);
      const field = named && lower === 'path' ? patchedField(named.value) : named?.value;
      if (named && field !== undefined) pairName = { name: field, end: named.end, patch: lower === 'path' };
    }
    let name: SecretName | undefined;
    let patched = false;
    const forcedKind = forced?.get(raw.toLowerCase());
    if (forcedKind) {
      name = { kind: forcedKind as SecretName['kind'], anyValue: true, header: false, weak: false };
    } else if (PAIR_VALUE_KEYS.has(lower) && pairName && i - pairName.end <= 256) {
      name = secretName(pairName.name);
      patched = pairName.patch;
      pairName = undefined;
    }
    const isCode = keyEnd - keyStart === 4 && (before === '?' || before === '&') && lower === 'code';
    if (!name && !isCode && !NAME_HINT.test(raw)) continue;
    const key = raw.charCodeAt(0) === 45 || raw.charCodeAt(0) === 46 ? raw.replace(/^[-.]+/, '') : raw;
    name ??= secretName(key);
    if (!name && isCode) {
      name = { kind: 'oauth_code', anyValue: false, header: false, weak: false };
    }
    if (!name) continue;

    let v = i + 1;
    if (sep === '=' && text[v] === '>') v++;
    let gap = 0;
    while (gap < 8 && isSpace(text[v])) {
      v++;
      gap++;
    }
    let q = '';
    if (text.startsWith('"""', v) || text.startsWith("'''", v)) q = text.slice(v, v + 3);
    else if (text[v] === '\\' && (text[v + 1] === '"' || text[v + 1] === "'")) q = text.slice(v, v + 2);
    else if (text[v] === '"' || text[v] === "'") q = text[v] as string;
    let vs = v + q.length;
    let ve: number;
    if (q) {
      const close = closingQuote(text, vs, q);
      ve = close === -1 ? lineEnd(text, vs) : close;
    } else {
      const first = text[vs];
      if (first === '{') {
        // ODBC: `Pwd={p;w}}d}`; any other object is walked key by key.
        const close = sep === '=' && name.anyValue ? bracedValueEnd(text, vs) : -1;
        if (close === -1) continue;
        if (close > vs + 1 && !isWithheld(text.slice(vs + 1, close))) spans.push({ start: vs + 1, end: close, kind: name.kind, rank: RANK.name });
        i = close;
        continue;
      }
      if (first === '[' && !text.startsWith('[REDACTED', vs)) {
        i = Math.max(i, arraySpans(text, vs, name, spans) - 1);
        continue;
      }
      if (name.header) ve = headerValueEnd(text, vs, name);
      else if (!keyQuoted && (sep === '=' || gap > 0) && runsToLineEnd(text, vs, name, atLineStart(text, keyStart))) ve = atLineStart(text, keyStart) ? lineEnd(text, vs) : fieldEnd(text, vs);
      else ve = tokenEnd(text, vs, before === ';');
    }
    // Only separators: the `=` ended a quoted word (a base64 id `"…pw…=","next":…`), no pair.
    if (ve <= vs || /^[\s,;:]*$/.test(text.slice(vs, ve))) continue;
    let value = text.slice(vs, ve);
    if (value.startsWith('[REDACTED')) continue;
    let ok: boolean;
    if (name.kind === 'authorization') {
      // The scheme word stays readable; the credential after it is the secret.
      const scheme = schemeAt(value) ?? '';
      value = value.slice(scheme.length);
      vs += scheme.length;
      ok = isAuthorizationCredential(scheme.trim(), value);
    } else if (name.header) {
      const scheme = AUTH_SCHEME.exec(value);
      if (scheme) {
        vs += scheme[0].length;
        value = value.slice(scheme[0].length);
        ok = value.trim().length >= 4 && !isPlaceholder(value) && !value.startsWith('[REDACTED');
      } else {
        ok = name.anyValue ? !isPlaceholder(value) : !isNonSecretValue(value.split(/[\s,]/)[0] ?? '') && judge(name, value, Boolean(q));
      }
    } else if (patched) {
      // A JSON-patch write to a field that names a secret: a bare `secret`/`key` needs no randomness here.
      ok = !isPlaceholder(value) && !isNonSecretValue(value) && (name.anyValue || isCredentialShaped(value, 6));
    } else {
      ok = judge(name, value, Boolean(q));
    }
    if (!ok) continue;
    const kind = name.kind === 'secret_value' && /^[0-9a-f]{64}$/.test(value) && /signature/i.test(key) ? 'aws_signature' : name.kind;
    spans.push({ start: vs, end: ve, kind, rank: name.header ? RANK.header : RANK.name });
    i = ve - 1; // resume after the value
  }
}
