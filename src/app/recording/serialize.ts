import { Document, isMap, isSeq, visit } from 'yaml';

/**
 * A recording as a file: YAML (the scenario format's usual face) or JSON, by the file's
 * extension. Log events, the parts of a recorded page and Insights rows are written one per line
 * (flow style): a recording holds thousands of them, and a block mapping per event would triple
 * the file.
 */
export type RecordingFormat = 'yaml' | 'json';

export function formatOf(file: string): RecordingFormat {
  return file.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

const ONE_PER_LINE = new Set(['events', 'results', 'polls']);

export function serializeScenario(scenario: Record<string, unknown>, format: RecordingFormat, header: readonly string[] = []): string {
  if (format === 'json') return `${JSON.stringify(scenario)}\n`;
  const doc = new Document(scenario);
  visit(doc, {
    Pair(_, pair) {
      const key = (pair.key as { value?: unknown } | null)?.value;
      if (typeof key === 'string' && ONE_PER_LINE.has(key) && isSeq(pair.value)) {
        for (const item of pair.value.items) if (isMap(item) || isSeq(item)) item.flow = true;
      }
    },
  });
  if (header.length > 0) doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
