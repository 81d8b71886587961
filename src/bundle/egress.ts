/**
 * THE EGRESS BOUNDARY. Everything that leaves the process (a Slack message, modal or file, the
 * CLI's text and `--json`, a bundle file, the prompt, a log line) is made of strings that came out
 * of one of these functions. They redact every string of a report, an investigation or a piece of
 * free text, with the key each string sits under as context (`{"password": "…"}` is a secret
 * whatever the value looks like), so finding quotes, coverage errors (AWS error text), evidence
 * and added context are all covered by one pass.
 *
 * Deterministic and idempotent: a second pass changes nothing.
 */
import type { Investigation, Report } from '../core/report.js';
import { redact, type RedactOptions } from './redact.js';
import { secretFieldsOf } from './secrets/cloudtrail.js';
import { isPlaceholder } from './secrets/shape.js';
import { marker } from './secrets/span.js';

/** Redact a free text (added context, an error message, a log line about to be logged). */
export function redactText(text: string, options: RedactOptions = {}): string {
  return redact(text, options).text;
}

/**
 * A string under a key: redacted as `key=value`, so the key name's judgement applies (a
 * `password` field is a secret even when its value looks like a word).
 */
export function redactField(key: string, value: string, options: RedactOptions = {}): string {
  const prefix = `${key}=`;
  if (/^[A-Za-z0-9_.-]{1,128}$/.test(key)) {
    const out = redact(prefix + value, options).text;
    if (out.startsWith(prefix)) return out.slice(prefix.length);
  }
  return redact(value, options).text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A redacted deep copy of any JSON-like value: strings redacted with their key as context, arrays
 * and plain objects walked, everything else (numbers, booleans, Dates, Maps) kept as is. Inside a
 * CloudTrail record of a call that creates or reads a secret (`CreateApiKey`, `PutParameter`…),
 * that call's secret fields are redacted by name, whatever their value looks like.
 */
export function redactDeep<T>(value: T, options: RedactOptions = {}, key?: string, secretFields?: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    const forced = key === undefined ? undefined : secretFields?.get(key.toLowerCase());
    if (forced && !isPlaceholder(value) && !value.startsWith('[REDACTED')) return marker(forced) as T;
    // firebreak's own `key` fields (an evidence reference's item: an endpoint id, a function name, an
    // event id) name nothing secret: their values are judged as free text, not as `key=value`.
    return (key === undefined || key === 'key' ? redact(value, options).text : redactField(key, value, options)) as T;
  }
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, options, key, secretFields)) as T;
  if (isPlainObject(value)) {
    const eventName = typeof value.eventName === 'string' ? value.eventName : typeof value.EventName === 'string' ? value.EventName : undefined;
    const fields = (eventName && secretFieldsOf(eventName)) || secretFields;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, options, k, fields);
    return out as T;
  }
  return value;
}

/** The report as it may leave: findings (titles, details, evidence quotes, fixes), coverage, bundle. */
export function redactReport(report: Report, options: RedactOptions = {}): Report {
  return redactDeep(report, options);
}

/**
 * The investigation as it may be rendered, stored or bundled: the report AND the evidence it
 * quotes from. Applying it where evidence enters (before rules quote it) means quotes are cut from
 * already-redacted text; applying it again at egress is harmless (idempotent).
 */
export function redactInvestigation(investigation: Investigation, options: RedactOptions = {}): Investigation {
  return { ...investigation, report: redactReport(investigation.report, options), evidence: redactDeep(investigation.evidence, options) };
}
