import type { MetricScope } from './evidence.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Points at one evidence item: the source that produced it and, when the source has many, which one. */
export interface EvidenceRef {
  source: string;
  /** e.g. a stage name, a vpce id, a CloudTrail event id, a log template. */
  key?: string;
  /** A short quote of the evidence itself, so a reader (and the bundle) can see it without lookup. */
  quote?: string;
}

/**
 * A number in a finding, with what it takes to repeat it (DESIGN principle 8): numerator,
 * denominator, scope, period, and whether it was counted or estimated. Exact wins over estimated;
 * shares cover the whole window, with the onset when the failure began inside it.
 */
export interface Figure {
  /** What was counted: `5xx responses`, `Lambda errors`, `404 with no matching route`. */
  what: string;
  numerator: number;
  /** Requests, invocations, connections or messages in the same scope and period; absent when unknown. */
  denominator?: number;
  unit: 'requests' | 'invocations' | 'connections' | 'messages' | 'events';
  /** numerator / denominator (0..1), when the denominator is known. */
  share?: number;
  scope: MetricScope;
  /** The period counted (ISO): the whole window unless the data covered less. */
  from: string;
  until: string;
  /** True when counted over the period (CloudWatch metrics, Logs Insights); false when estimated from sampled lines. */
  exact: boolean;
  basis: 'metrics' | 'insights' | 'logs' | 'estimate';
  /** The first minute of the failure (ISO) when it began inside the window, and the share since then. */
  onset?: string;
  sinceOnset?: { numerator: number; denominator: number; share: number };
}

export interface Finding {
  /** Rule id, e.g. `N2.endpoint-sg-no-443`. Stable: scenarios and tests name it. */
  rule: string;
  severity: Severity;
  title: string;
  detail: string;
  evidence: EvidenceRef[];
  fix: string;
  /** The counts the finding rests on, headline first (count-based rules). */
  figures?: Figure[];
  /** True when the rule could not decide because its input was missing ("cannot rule out …"). */
  inconclusive?: boolean;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.rule.localeCompare(b.rule);
}

export function formatRef(ref: EvidenceRef): string {
  return ref.key ? `${ref.source}[${ref.key}]` : ref.source;
}
