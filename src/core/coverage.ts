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
  /** AWS (or whatever answered in its place) failed: an HTTP 5xx, or an answer that was not the service's JSON/XML. */
  'service_error',
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

/** `11:52` from an ISO time (UTC): the period is read against the window, which the reader has. */
function clock(iso: string): string {
  return iso.slice(11, 16);
}

/**
 * Truncation in words: "newest 5,000 of 751,357, 11:52–12:00"; the total is marked `~` when it
 * was estimated rather than counted; the period is left out when the source did not give one.
 */
export function truncationText(t: Truncation): string {
  const total = `${t.totalExact === false ? '~' : ''}${t.total.toLocaleString('en-US')}`;
  const period = t.from && t.until ? `, ${clock(t.from)}–${clock(t.until)}` : '';
  return `${t.from ? 'newest ' : ''}${t.kept.toLocaleString('en-US')} of ${total}${period}`;
}
