import type { EvidenceRef } from '../core/finding.js';
import { clip } from './helpers.js';
import { summariseLogs, type LogSummary, type SignatureCount } from './execution-log-classifier.js';
import type { RuleInput } from './types.js';

// Many rules read the same log summary. It is computed once per RuleInput object: evaluateRules
// hands every rule the same (fresh) input, so one evaluation walks the logs once. How many
// failures make a cause, and what share of which traffic, is the counting model's (counting/).
const cache = new WeakMap<RuleInput, LogSummary>();

export function logSummaryOf(input: RuleInput): LogSummary {
  let summary = cache.get(input);
  if (!summary) {
    summary = summariseLogs(input.evidence);
    cache.set(input, summary);
  }
  return summary;
}

/**
 * One evidence ref per signature seen, quoting an example line. The counts are the figures'
 * (counted over the window, against the scope's traffic), not the lines that happened to be read.
 */
export function logRefs(counts: SignatureCount[]): EvidenceRef[] {
  return counts.map((c) => ({
    source: c.source,
    ...(c.stage ? { key: c.stage } : c.functionName ? { key: c.functionName } : {}),
    quote: clip(c.examples[0] ? `${c.label}: ${c.examples[0]}` : c.label),
  }));
}
