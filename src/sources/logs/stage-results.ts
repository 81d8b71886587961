import type { CoverageStatus, Truncation } from '../../core/coverage.js';
import { combineTruncation } from './read-log-group.js';

/** What one stage contributed to a log source; the source folds these into one row. */
export interface StageResult<E> {
  stage: string;
  status: CoverageStatus;
  reason: string;
  hint?: string;
  evidence?: E;
  truncated?: Truncation;
}

export interface CombinedResult<E> {
  status: CoverageStatus;
  evidence: E[];
  count: number;
  reason: string;
  hint?: string;
  truncated?: Truncation;
}

/**
 * Folds per-stage results into one row: any stage with lines → ok; otherwise a stage that is not
 * set up wins (it is the actionable fact), then empty, then whatever the first stage said.
 */
export function combineStageResults<E>(results: StageResult<E>[], countOf: (evidence: E) => number): CombinedResult<E> {
  const evidence = results.flatMap((r) => (r.evidence ? [r.evidence] : []));
  const has = (status: CoverageStatus) => results.some((r) => r.status === status);
  const status: CoverageStatus = has('ok')
    ? 'ok'
    : has('not_configured')
      ? 'not_configured'
      : has('empty')
        ? 'empty'
        : (results[0]?.status ?? 'empty');
  const hints = results.flatMap((r) => (r.hint ? [r.hint] : []));
  const truncated = combineTruncation(results.map((r) => ({ kept: r.evidence ? countOf(r.evidence) : 0, truncated: r.truncated })));
  const combined: CombinedResult<E> = {
    status,
    evidence,
    count: evidence.reduce((n, e) => n + countOf(e), 0),
    reason: results.map((r) => r.reason).join('; '),
  };
  if (hints.length > 0) combined.hint = hints.join('; ');
  if (truncated) combined.truncated = truncated;
  return combined;
}
