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

export interface Finding {
  /** Rule id, e.g. `N2.endpoint-sg-no-443`. Stable: scenarios and tests name it. */
  rule: string;
  severity: Severity;
  title: string;
  detail: string;
  evidence: EvidenceRef[];
  fix: string;
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
