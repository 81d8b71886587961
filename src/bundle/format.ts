/** Small, compact formatters shared by the section renderers: one fact per line, no pretty JSON. */
import { clipRedacted } from './clip.js';
import { redact } from './redact.js';

/** Epoch ms or ISO string → `2024-05-01T10:00:00Z` (seconds are enough for a reader). */
export function time(value: number | string | undefined): string {
  if (value === undefined) return '?';
  const date = typeof value === 'number' ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function span(first: number, last: number): string {
  return first === last ? time(first) : `${time(first)}..${time(last)}`;
}

/** Compact JSON, cut to `max` characters with an ellipsis. */
export function compactJson(value: unknown, max = 600): string {
  const text = JSON.stringify(value) ?? 'null';
  return clip(text, max);
}

/**
 * Cut to at most `max` characters with an ellipsis. What is cut is redacted first, and the cut
 * never splits a `[REDACTED:…]` marker nor keeps half a value: a secret cut in half no longer
 * matches its redaction pattern, so a fragment would leak; redacting first and dropping a cut
 * value cannot.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return clipRedacted(redact(text).text, max);
}

export function list(values: readonly string[] | undefined): string {
  return values && values.length > 0 ? values.join(',') : '-';
}

/**
 * `key=value` pairs, skipping undefined values, so a line carries only what is known.
 * Booleans print as true/false, arrays comma-joined.
 */
export function pairs(fields: Record<string, string | number | boolean | readonly string[] | undefined | null>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) parts.push(`${key}=${list(value)}`);
    else parts.push(`${key}=${String(value)}`);
  }
  return parts.join(' ');
}
