/**
 * Detectors report spans of the ORIGINAL text; one pass then writes the markers. Working on spans
 * (not on the text each rule rewrote) keeps the cost linear, lets overlapping detectors agree on
 * one marker, and counts each secret once.
 */

export interface Span {
  start: number;
  end: number;
  kind: string;
  /** Lower wins when spans overlap: a vendor format names the secret better than its key name. */
  rank: number;
}

/** Detector ranks (lower = more specific kind). */
export const RANK = { block: 0, vendor: 1, url: 2, command: 3, header: 4, name: 5, shape: 6, mask: 7 } as const;

export function marker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/**
 * Writes one marker per group of overlapping spans (the kind of the most specific span in the
 * group) and counts them. Text already carrying a marker is never inside a span: detectors skip it.
 */
export function applySpans(text: string, spans: Span[]): { text: string; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  if (spans.length === 0) return { text, counts };
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let at = 0;
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] as Span;
    let end = first.end;
    let best = first;
    i++;
    while (i < sorted.length && (sorted[i] as Span).start < end) {
      const next = sorted[i] as Span;
      if (next.rank < best.rank) best = next;
      end = Math.max(end, next.end);
      i++;
    }
    parts.push(text.slice(at, first.start), marker(best.kind));
    counts[best.kind] = (counts[best.kind] ?? 0) + 1;
    at = end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), counts };
}
