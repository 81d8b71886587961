import { bySeverity, type Finding } from '../core/finding.js';
import { RULES } from './registry.js';
import type { Rule, RuleInput } from './types.js';

export type { Rule, RuleInput } from './types.js';
export { RULES } from './registry.js';

/**
 * Runs every rule over the evidence, most severe findings first. A rule that throws is a bug, but
 * one bad rule must not hide the others' findings: it is reported as an inconclusive finding.
 */
export function evaluateRules(input: RuleInput, rules: readonly Rule[] = RULES): Finding[] {
  // An API that does not exist has no configuration to judge; the coverage row already says so.
  const api = input.coverage.find((row) => row.source === 'apigw.rest-api');
  if (api?.error?.kind === 'not_found') return [];
  // A fresh object per evaluation: shared per-evaluation work (the log summary) is keyed on it.
  const scoped: RuleInput = { ...input };
  const findings = rules.flatMap((rule) => {
    try {
      return rule.evaluate(scoped);
    } catch (error) {
      return [
        {
          rule: rule.id,
          severity: 'low' as const,
          title: `Rule ${rule.id} failed`,
          detail: `The rule could not evaluate: ${error instanceof Error ? error.message : String(error)}.`,
          evidence: [],
          fix: 'Report this as a firebreak bug with the JSON report attached.',
          inconclusive: true,
        },
      ];
    }
  });
  return findings.sort(bySeverity);
}
