/** Small, compact formatters shared by the section renderers: one fact per line, no pretty JSON. */

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

/** Characters that end a value: a cut never falls inside a run of anything else. */
const VALUE_END = /[\s"',;&(){}<>]/;

/**
 * Cut to at most `max` characters with an ellipsis. A cut inside a value (a token, a key, a
 * `[REDACTED:…]` marker) drops the whole value: a secret cut in half no longer matches its
 * redaction pattern, so a fragment would leak; dropping it cannot.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  if (!VALUE_END.test(text[end] ?? ' ')) {
    while (end > 0 && !VALUE_END.test(text[end - 1] ?? ' ')) end--;
  }
  return `${text.slice(0, end)}…`;
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
