/**
 * One row per data source considered. The statuses are the heart of the product: a model (or a
 * person) told "CloudTrail: access denied" stops guessing; one told nothing guesses.
 */
export const COVERAGE_STATUSES = ['ok', 'empty', 'not_configured', 'not_applicable', 'error'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

export const ERROR_KINDS = [
  'access_denied',
  'throttled',
  'timeout',
  'not_found',
  'dependency_failed',
  'invalid_input',
  'unknown',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface CoverageError {
  kind: ErrorKind;
  message: string;
  /** For access_denied: the IAM action that was refused, e.g. `cloudtrail:LookupEvents`. */
  action?: string;
  /** For dependency_failed: the source that failed first. */
  dependency?: string;
}

export interface Truncation {
  kept: number;
  total: number;
  /** True when `total` was counted (e.g. by Logs Insights over the whole window); false when estimated or capped. */
  totalExact?: boolean;
  /** The period the kept items cover (ISO 8601): "newest 5,000 of 751,357, 11:52–12:00". */
  from?: string;
  until?: string;
}

export interface CoverageRow {
  source: string;
  title: string;
  status: CoverageStatus;
  /** Short human reason for the status ("3 stages", "execution logging is OFF on stage prod"). */
  reason?: string;
  error?: CoverageError;
  count?: number;
  truncated?: Truncation;
  /** For not_configured and error: the one-line fix. */
  hint?: string;
  account?: string;
  region?: string;
  durationMs: number;
  /** AWS operations made, as `service:Operation`, in call order (deduplicated). */
  calls: string[];
}

export const STATUS_SEVERITY: Record<CoverageStatus, number> = {
  error: 4,
  not_configured: 3,
  empty: 2,
  not_applicable: 1,
  ok: 0,
};
