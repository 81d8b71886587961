/**
 * Redaction of everything that must not leave the account: credentials, tokens, keys, cookies.
 * A redacted value becomes `[REDACTED:<kind>]` and is counted.
 *
 * Detectors (src/bundle/secrets/) each report spans of the original text, one family each:
 * private key blocks, vendor formats by their documented prefix, passwords in URLs, command-line
 * credentials, key/value pairs whose key names a secret, bare key material. One pass then writes
 * one marker per group of overlapping spans. Every detector is linear in the text: the regexes are
 * proved free of super-linear backtracking by a test (recheck), the scanners visit each character a
 * bounded number of times, and every value a scanner reads is bounded (MAX_VALUE).
 *
 * Account ids and IP addresses are evidence (which caller, which endpoint ENI), so they are kept
 * unless the caller asks for them to be masked.
 */
import { cloudTrailSecretFields } from './secrets/cloudtrail.js';
import { codeSpans } from './secrets/code.js';
import { commandSpans } from './secrets/command.js';
import { decodedViews } from './secrets/decode.js';
import { connectionSpans } from './secrets/dsn.js';
import { keyValueSpans } from './secrets/keyvalue.js';
import { protocolSpans } from './secrets/protocol.js';
import { applySpans, RANK, type Span } from './secrets/span.js';
import { bareKeySpans, blockSpans, pairedSecretSpans, urlPasswordSpans } from './secrets/structure.js';
import { vendorSpans } from './secrets/vendors.js';
import { webhookSpans } from './secrets/webhooks.js';

export interface RedactOptions {
  maskAccountIds?: boolean;
  maskIps?: boolean;
}

export interface RedactResult {
  text: string;
  /** Redactions applied, by kind. Kinds with no redaction are absent. */
  counts: Record<string, number>;
}

export const REDACTED_MARKER = /\[REDACTED:([a-z0-9_]+)\]/g;

/** The detectors, in no particular order: overlaps are settled by rank when markers are written. */
const DETECTORS: ((text: string, spans: Span[]) => void)[] = [
  blockSpans,
  vendorSpans,
  webhookSpans,
  urlPasswordSpans,
  connectionSpans,
  commandSpans,
  protocolSpans,
  codeSpans,
  (text, spans) => keyValueSpans(text, spans, cloudTrailSecretFields(text)),
  bareKeySpans,
  pairedSecretSpans,
];

function detect(text: string, spans: Span[]): void {
  for (const detector of DETECTORS) detector(text, spans);
}

export const ACCOUNT_ID = /\b\d{12}\b/g;
export const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
export const IPV6_CANDIDATE = /[0-9a-fA-F:]+/g;
const IPV6_FULL = /^(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}$/;
const IPV6_SHORT = /^(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?$/;

function maskSpans(text: string, options: RedactOptions, spans: Span[]): void {
  if (options.maskAccountIds) {
    for (const m of text.matchAll(ACCOUNT_ID)) {
      // Not part of a dotted number (a version, an IP) or a longer digit run.
      if (text[m.index - 1] === '.' || text[m.index + 12] === '.') continue;
      spans.push({ start: m.index, end: m.index + 12, kind: 'account_id', rank: RANK.mask });
    }
  }
  if (options.maskIps) {
    for (const m of text.matchAll(IPV4)) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'ip', rank: RANK.mask });
    for (const m of text.matchAll(IPV6_CANDIDATE)) {
      const candidate = m[0];
      if (candidate.length > 39 || !candidate.includes(':') || !(IPV6_FULL.test(candidate) || IPV6_SHORT.test(candidate))) continue;
      if (!/[0-9a-fA-F]/.test(candidate)) continue;
      spans.push({ start: m.index, end: m.index + candidate.length, kind: 'ip', rank: RANK.mask });
    }
  }
}

/**
 * Every secret span of a text (and account ids / IPs when asked), before markers are written: the
 * detectors read the text, then each decoded view of it (JSON-unescaped, URL-decoded, to any
 * depth: secrets/decode.ts), and what they find in a view is mapped back onto the original.
 */
export function findSecrets(text: string, options: RedactOptions = {}): Span[] {
  const spans: Span[] = [];
  detect(text, spans);
  decodedSpans(text, spans);
  maskSpans(text, options, spans);
  return withoutMarkers(text, spans);
}

const ENCODED = /[\\%&]/;

/**
 * Spans found in the decoded views, line by line: an escape never spans a real newline (JSON
 * escapes it), so only the lines that hold one are decoded and read again, wherever they sit in
 * a large text.
 */
function decodedSpans(text: string, spans: Span[]): void {
  if (!ENCODED.test(text)) return;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = start === 0 && end === text.length ? text : text.slice(start, end);
    if (ENCODED.test(line)) {
      for (const view of decodedViews(line)) {
        const found: Span[] = [];
        detect(view.text, found);
        for (const span of found) spans.push({ ...span, start: start + (view.at[span.start] as number), end: start + (view.at[span.end] as number) });
      }
    }
    start = end + 1;
  }
}

/** A span that starts inside a marker already written would redact the marker: dropped (idempotence). */
function withoutMarkers(text: string, spans: Span[]): Span[] {
  if (!text.includes('[REDACTED:')) return spans;
  const markers = [...text.matchAll(REDACTED_MARKER)].map((m) => [m.index, m.index + m[0].length] as const);
  return spans.filter((s) => {
    let lo = 0;
    let hi = markers.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [start, end] = markers[mid] as readonly [number, number];
      if (s.start < start) hi = mid - 1;
      else if (s.start >= end) lo = mid + 1;
      else return false;
    }
    return true;
  });
}

export function redact(text: string, options: RedactOptions = {}): RedactResult {
  return applySpans(text, findSecrets(text, options));
}

/**
 * Redact one log line before templating. Templating splits a line into a template and sample
 * values, which would strip the context (`Authorization=`, `password=`) the rules rely on; so log
 * lines are redacted first. (No pre-check skips lines: every detector is linear, and a pre-check
 * that forgets one family is a leak.)
 */
export function redactLine(text: string, options: RedactOptions = {}): string {
  return redact(text, options).text;
}

/** Count the redaction markers in a text, by kind (for a text assembled from redacted parts). */
export function countMarkers(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(REDACTED_MARKER)) {
    const kind = m[1] as string;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Sum redaction counts. */
export function addCounts(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  for (const [kind, n] of Object.entries(from)) into[kind] = (into[kind] ?? 0) + n;
  return into;
}
