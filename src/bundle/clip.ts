/**
 * Clipping that can never leak part of a secret: it runs on text that is already redacted, never
 * cuts a `[REDACTED:kind]` marker in two, and never keeps the head of a value cut in half (a secret
 * cut short no longer matches its pattern, so a fragment of one must not survive either).
 */

/** Characters that end a value: a cut never keeps a part of a run of anything else. */
const VALUE_END = /[\s"',;&(){}<>]/;
const MARKER_OPEN = '[REDACTED:';

/** Where to cut `text` to keep at most `max` characters: before any marker or value the cut would split. */
export function safeCut(text: string, max: number): number {
  if (text.length <= max) return text.length;
  let end = Math.max(0, max);
  // Inside a marker: cut before it.
  const open = text.lastIndexOf(MARKER_OPEN, end - 1);
  if (open !== -1) {
    const close = text.indexOf(']', open);
    if (close === -1 || close >= end) end = open;
  }
  // Inside a value: cut before the whole value.
  if (end < text.length && !VALUE_END.test(text[end] as string)) {
    while (end > 0 && !VALUE_END.test(text[end - 1] as string)) end--;
  }
  return end;
}

/** Clip already-redacted text to `max` characters, with an ellipsis when anything was cut. */
export function clipRedacted(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCut(text, max))}${ellipsis}`;
}
