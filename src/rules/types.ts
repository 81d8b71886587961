import type { CoverageRow } from '../core/coverage.js';
import type { Evidence } from '../core/evidence.js';
import type { Finding, Severity } from '../core/finding.js';
import type { Target, Window } from '../core/target.js';

/** Everything a rule may look at. Rules are pure: no I/O, and `window.until` stands for "now". */
export interface RuleInput {
  target: Target;
  window: Window;
  evidence: Evidence;
  coverage: CoverageRow[];
}

export interface Rule {
  /** `<catalogue id>.<slug>`, e.g. `N2.endpoint-sg-no-443`. Stable: scenarios and docs name it. */
  id: string;
  /** The severity of a confirmed finding; inconclusive findings are reported lower (see helpers). */
  severity: Severity;
  title: string;
  evaluate(input: RuleInput): Finding[];
}

/** Identity helper that keeps rule modules uniform and type-checked. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
