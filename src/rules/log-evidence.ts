import type { EvidenceRef } from '../core/finding.js';
import { clip } from './helpers.js';
import { summariseLogs, type LogSummary, type SignatureCount } from './execution-log-classifier.js';
import type { RuleInput } from './types.js';

// Many rules read the same log summary. It is computed once per RuleInput object: evaluateRules
// hands every rule the same (fresh) input, so one evaluation walks the logs once.
const cache = new WeakMap<RuleInput, LogSummary>();

export function logSummaryOf(input: RuleInput): LogSummary {
  let summary = cache.get(input);
  if (!summary) {
    summary = summariseLogs(input.evidence);
    cache.set(input, summary);
  }
  return summary;
}

/** One evidence ref per signature count: `3 × integration timed out`, quoting an example line. */
export function logRefs(counts: SignatureCount[]): EvidenceRef[] {
  return counts.map((c) => ({
    source: c.source,
    ...(c.stage ? { key: c.stage } : {}),
    quote: clip(`${c.count} × ${c.label}${c.examples[0] ? `: ${c.examples[0]}` : ''}`),
  }));
}

export function describeCounts(counts: SignatureCount[]): string {
  return counts.map((c) => `${c.count} × ${c.label}${c.stage ? ` on stage ${c.stage}` : ''} (${c.source})`).join('; ');
}

/** Below these, a failure signature is background noise in healthy traffic rather than a cause. */
export const MIN_EVENTS = 3;
export const MIN_SHARE = 0.02;

/**
 * The counts that matter: per stage at least `minEvents`, and (when access logs give the stage's
 * traffic) at least `minShare` of it. Lambda-log counts have no stage and use the count alone.
 */
export function significant(summary: LogSummary, counts: SignatureCount[], minEvents = MIN_EVENTS, minShare = MIN_SHARE): SignatureCount[] {
  const byStage = new Map<string, SignatureCount[]>();
  for (const c of counts) {
    const key = c.stage ?? '';
    byStage.set(key, [...(byStage.get(key) ?? []), c]);
  }
  const kept: SignatureCount[] = [];
  for (const [stage, list] of byStage) {
    // Execution and access logs see the same requests: take the larger of the two, not the sum.
    const events = Math.max(...list.map((c) => c.count));
    const traffic = stage ? summary.accessRecordsByStage[stage] : undefined;
    if (events < minEvents) continue;
    if (traffic && events / traffic < minShare) continue;
    kept.push(...list);
  }
  return kept;
}

