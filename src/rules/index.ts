import { bySeverity, type Finding } from '../core/finding.js';
import type { ApiType } from '../core/target.js';
import { HTTP_RULES } from './http/registry.js';
import { RULES } from './registry.js';
import { WEBSOCKET_RULES } from './websocket/registry.js';
import type { Rule, RuleInput } from './types.js';

export type { Rule, RuleInput } from './types.js';
export { RULES } from './registry.js';
export { HTTP_RULES } from './http/registry.js';
export { WEBSOCKET_RULES } from './websocket/registry.js';

/** The rules for a kind of API: REST rules read REST evidence, HTTP and WebSocket rules v2 evidence. */
export function rulesFor(apiType: ApiType | undefined): readonly Rule[] {
  return apiType === 'HTTP' ? HTTP_RULES : apiType === 'WEBSOCKET' ? WEBSOCKET_RULES : RULES;
}

/**
 * Runs every rule over the evidence, most severe findings first. A rule that throws is a bug, but
 * one bad rule must not hide the others' findings: it is reported as an inconclusive finding.
 */
export function evaluateRules(input: RuleInput, rules: readonly Rule[] = rulesFor(input.target.apiType)): Finding[] {
  // An API that does not exist has no configuration to judge; the coverage row already says so.
  const api = input.coverage.find((row) => row.source === 'apigw.rest-api' || row.source === 'apigwv2.api');
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
