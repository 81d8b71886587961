import type { CoverageRow } from './coverage.js';
import type { Evidence } from './evidence.js';
import type { Finding } from './finding.js';
import type { Target } from './target.js';
import type { Traffic } from './traffic.js';

export interface BundleSectionSummary {
  name: string;
  tokens: number;
  truncated: boolean;
  /** Set when the section was left out of a focused bundle: why (the rules named the cause). */
  leftOut?: string;
}

/** How a person asked the bundle to be built: budget, added context, sections to send. */
export interface BundleChoices {
  budget?: string;
  context?: string;
  sections?: string[];
}

/** The pruned, redacted text that would go to a model, with its accounting. */
export interface BundleSummary {
  /** Estimated tokens of `text`. */
  tokens: number;
  /** Estimated tokens of everything collected, rendered plainly, before pruning. */
  rawTokens: number;
  sections: BundleSectionSummary[];
  /** Redactions applied, by kind (e.g. `aws_access_key_id: 2`). */
  redactions: Record<string, number>;
  /** sha256 of `text`, for the answer cache and the audit trail. */
  sha256: string;
  /**
   * The incident fingerprint (sha256 hex, docs/answer-cache.md): equal for two runs that see the
   * same situation at different moments, whatever their timestamps, request ids and counts.
   * Absent only on bundles stored before it existed.
   */
  fingerprint?: string;
  /** Log lines and records behind the bundle's error templates ("the error count went from X to Y"). */
  errorCount?: number;
  budget: string;
  text: string;
}

/**
 * The JSON report (`firebreak troubleshoot ... --json`). A public interface: field names are
 * stable and documented in the README.
 */
export interface Report {
  version: 1;
  target: Target;
  window: { since: string; until: string };
  /** Where the data came from: `aws` or `sandbox:<scenario name>`. */
  origin: string;
  durationMs: number;
  /** How the target was found when not given by id: "resolved orders.shop.example.com → a1b2c3d4e5 / prod via base path mapping". */
  resolution?: string;
  /** How the person named the API when not by its id (a URL, a custom domain, a name): their own subject comes first. */
  given?: string;
  coverage: CoverageRow[];
  findings: Finding[];
  /** Requests, 4xx, 5xx and p99 latency over the window (metrics, else access logs), with the onset: the healthy line and the chart. */
  traffic?: Traffic;
  bundle?: BundleSummary;
}

/** The report plus the evidence itself, which stays in process (it is large and unredacted). */
export interface Investigation {
  report: Report;
  evidence: Evidence;
}
