import type { Finding } from '../../core/finding.js';
import { evidenceOf, finding } from '../helpers.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/**
 * H6: a custom domain's API mapping points at a stage this API does not have: requests through
 * that domain path fail (4xx that may leave no log, DG http-api-monitor). The longest matching
 * ApiMappingKey wins; the empty key is the catch-all (DG http-api-mappings).
 */
export const h6ApiMappingWrong = defineRule({
  id: 'H6.api-mapping-wrong',
  severity: 'critical',
  title: 'A custom domain maps the API to a stage that does not exist',
  evaluate(input) {
    return mappingsToMissingStages(this, input, 'HTTP API');
  },
});

/** Custom-domain API mappings that point at a stage the v2 API (`kind`) does not have. */
export function mappingsToMissingStages(rule: Rule, input: RuleInput, kind: string): Finding[] {
  const stages = evidenceOf(input, 'apigwv2.stages');
  // With one stage named only that stage was read: other mappings cannot be judged.
  if (!stages || input.target.stage) return [];
  const names = new Set(stages.map((s) => s.stageName));
  const apiId = input.target.restApiId;
  return (evidenceOf(input, 'apigwv2.domains') ?? []).flatMap((domain) =>
    domain.mappings
      .filter((m) => m.restApiId === apiId && m.stage !== undefined && !names.has(m.stage))
      .map((m) => {
        const where = `${domain.domainName}/${m.basePath === '(none)' ? '' : m.basePath}`;
        return finding(rule, {
          detail: `The API mapping ${where} → stage ${m.stage} points at a stage ${kind} ${apiId} does not have (stages: ${[...names].join(', ') || 'none'}): requests through it fail before any route.`,
          evidence: [{ source: 'apigwv2.domains', key: domain.domainName, quote: `${where} → ${apiId} stage ${m.stage}` }, { source: 'apigwv2.stages', quote: `stages: ${[...names].join(', ') || 'none'}` }],
          fix: `Point the mapping at an existing stage: aws apigatewayv2 update-api-mapping --domain-name ${domain.domainName} --api-mapping-id <id> --api-id ${apiId} --stage <stage>.`,
        });
      }),
  );
}
