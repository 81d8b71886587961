/**
 * Secrets found by structure rather than by a name or a prefix: PEM and PuTTY private key blocks,
 * passwords in URLs and connection strings, bare base64 key material (an AWS secret access key,
 * an Azure storage key), and a secret that follows its key id (`AKIA…,<secret>`, Twilio `SK…`
 * then its secret passed positionally). Each is a linear scan.
 */
import { entropy } from './shape.js';
import { RANK, type Span } from './span.js';

export const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
export const PEM_END = /-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
export const PUTTY_BEGIN = /PuTTY-User-Key-File-\d:/g;
export const PUTTY_END = /Private-MAC: ?[0-9a-fA-F]+/g;

/** A SAML assertion in XML (a decoded SAMLResponse in a debug log): whoever holds it logs in as its subject. */
export const SAML_BEGIN = /<(?:saml2?:)?Assertion[\s>]/g;
export const SAML_END = /<\/(?:saml2?:)?Assertion>/g;

/** Private key blocks and SAML assertions: from the start to the end tag, or to the end of the text when it is missing (cut). */
export function blockSpans(text: string, spans: Span[]): void {
  if (!text.includes('PRIVATE KEY') && !text.includes('PuTTY') && !text.includes('Assertion')) return;
  for (const [begin, end, kind] of [
    [PEM_BEGIN, PEM_END, 'private_key'],
    [PUTTY_BEGIN, PUTTY_END, 'putty_private_key'],
    [SAML_BEGIN, SAML_END, 'saml'],
  ] as const) {
    let from = 0;
    for (;;) {
      begin.lastIndex = from;
      const b = begin.exec(text);
      if (!b) break;
      end.lastIndex = b.index + b[0].length;
      const e = end.exec(text);
      const stop = e ? e.index + e[0].length : text.length;
      spans.push({ start: b.index, end: stop, kind, rank: RANK.block });
      from = stop;
    }
  }
}

export const SCHEME_SEPARATOR = /:\/\//g;
const AUTHORITY_END = new Set(['/', '?', '#', ' ', '\t', '\n', '\r', '"', "'", '`', '<', '>', '(', ')', '[', ']', '{', '}', '|', '\\', ',']);

/**
 * `scheme://user:password@host`: the password is everything between the first `:` of the user
 * info and the LAST `@` before the host (an unencoded `@` in a password stays covered).
 */
export function urlPasswordSpans(text: string, spans: Span[]): void {
  if (!text.includes('://')) return;
  let resume = 0;
  for (const m of text.matchAll(SCHEME_SEPARATOR)) {
    const from = m.index + m[0].length;
    if (from < resume) continue;
    let lastAt = -1;
    let p = from;
    const limit = Math.min(text.length, from + 1024);
    for (; p < limit; p++) {
      const ch = text[p] as string;
      if (AUTHORITY_END.has(ch)) break;
      if (ch === '@') lastAt = p;
    }
    resume = p;
    if (lastAt === -1) continue;
    const inUserInfo = text.slice(from, lastAt).indexOf(':');
    if (inUserInfo === -1) continue;
    const colon = from + inUserInfo;
    const password = text.slice(colon + 1, lastAt);
    if (password === '' || password.startsWith('[REDACTED') || /^\*+$/.test(password)) continue;
    spans.push({ start: colon + 1, end: lastAt, kind: 'url_password', rank: RANK.url });
  }
}

const SECRET_CONTEXT = /secret|credential|aws_?secret|private/i;

function mixesClasses(v: string): boolean {
  return /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v);
}

/**
 * An AWS secret access key is 40 base64 characters; an Azure storage account key 86 and `==`.
 * A 40-character run counts when it follows an access key id or the word "secret", or when it is
 * random enough and carries `/` or `+` (hex hashes, ids and words never do).
 */
export function bareKeySpans(text: string, spans: Span[]): void {
  // A hand-written scan over maximal runs of base64 characters: no match objects for the many
  // short runs of an ordinary line, one visit per character.
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isBase64Code(text.charCodeAt(i))) {
      if (start === -1) start = i;
      continue;
    }
    if (start !== -1) {
      const length = i - start;
      if (length === 40 || length === 88) judgeBareRun(text, start, text.slice(start, i), spans);
      else if (length === 32 && text[i] === '-') mailgunKey(text, start, spans);
      start = -1;
    }
  }
}

/** Mailgun's newer keys: 32 hex, `-`, 8 hex, `-`, 8 hex (no prefix to hint at: found on this scan of runs). */
const MAILGUN_KEY = /^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$/;

function mailgunKey(text: string, at: number, spans: Span[]): void {
  const end = at + 50;
  if (end > text.length || (end < text.length && /[0-9A-Za-z_]/.test(text[end] as string))) return;
  if (MAILGUN_KEY.test(text.slice(at, end))) spans.push({ start: at, end, kind: 'mailgun_key', rank: RANK.vendor });
}

function isBase64Code(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;
}

/** Subresource-integrity and npm lockfile hashes (`sha512-…==`): digests, not keys. */
const INTEGRITY_PREFIX = /sha(?:1|256|384|512)-$/;

function judgeBareRun(text: string, at: number, run: string, spans: Span[]): void {
  if (INTEGRITY_PREFIX.test(text.slice(Math.max(0, at - 7), at))) return;
  if (run.length === 88) {
    if (run.endsWith('==') && mixesClasses(run)) spans.push({ start: at, end: at + 88, kind: 'azure_key', rank: RANK.shape });
    return;
  }
  if (run.includes('=') || !mixesClasses(run)) return;
  const before = text.slice(Math.max(0, at - 80), at);
  const afterKeyId = /(?:AKIA|ASIA)[A-Z0-9]{16}["',;:|= \t]{1,8}$/.test(before);
  const random = entropy(run) >= 4.2;
  if (afterKeyId || (SECRET_CONTEXT.test(before) && random) || (random && /[/+]/.test(run))) {
    spans.push({ start: at, end: at + 40, kind: 'aws_secret_access_key', rank: RANK.shape });
  }
}

/** A Twilio API key SID or account SID, then (within a few separators) its 32-character secret. */
export const TWILIO_SID = /\b(?:SK|AC)[0-9a-fA-F]{32}\b/g;
export const TWILIO_SECRET_AFTER = /^[\s'",:;()=|]{1,8}([A-Za-z0-9]+)/;

export function pairedSecretSpans(text: string, spans: Span[]): void {
  if (!text.includes('SK') && !text.includes('AC')) return;
  for (const m of text.matchAll(TWILIO_SID)) {
    const after = m.index + m[0].length;
    const s = TWILIO_SECRET_AFTER.exec(text.slice(after, after + 48));
    if (!s) continue;
    const secret = s[1] as string;
    if (secret.length !== 32) continue;
    if (!/\d/.test(secret) || !/[a-zA-Z]/.test(secret)) continue;
    const start = after + s[0].length - secret.length;
    spans.push({ start, end: start + 32, kind: 'twilio_secret', rank: RANK.vendor });
  }
}
