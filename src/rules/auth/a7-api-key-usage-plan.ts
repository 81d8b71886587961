import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireSources, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * A7: methods that require an API key work only for keys in a usage plan attached to the stage.
 * With no such plan, every call is 403 Forbidden (INVALID_API_KEY).
 */
export const a7ApiKeyUsagePlan = defineRule({
  id: 'A7.api-key-usage-plan',
  severity: 'high',
  title: 'API key required but no usage plan covers the stage, or keys are refused',
  evaluate(input) {
    const stages = stagesInScope(input);
    const keyed = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.apiKeyRequired);
    const findings = [];
    if (keyed.length) {
      const blocked = requireSources(input, this, ['apigw.usage-plans'], 'API-key methods without a usage plan');
      if (blocked) return blocked;
      const plans = evidenceOf(input, 'apigw.usage-plans') ?? [];
      for (const stage of stages) {
        const covering = plans.filter((p) => p.apiStages.some((s) => s.apiId === input.target.restApiId && s.stage === stage.stageName));
        if (covering.length) continue;
        findings.push(
          finding(this, {
            detail: `${keyed.length} method(s) require an API key (${keyed.slice(0, 3).map((m) => `${m.httpMethod} ${m.path}`).join(', ')}), but no usage plan includes ${input.target.restApiId}/${stage.stageName}: every key is refused with 403 Forbidden.`,
            evidence: [
              ...keyed.slice(0, 3).map((m) => ({ source: 'apigw.resources', key: `${m.httpMethod} ${m.path}`, quote: `${m.httpMethod} ${m.path} apiKeyRequired true` })),
              { source: 'apigw.usage-plans', quote: `usage plans for ${input.target.restApiId}/${stage.stageName}: none (of ${plans.length})` },
            ],
            fix: `Add ${input.target.restApiId}/${stage.stageName} to a usage plan (aws apigateway update-usage-plan … op=add,path=/apiStages) and attach the callers' keys to it.`,
          }),
        );
      }
    }
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { causes: ['A7'], stages: stages.map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Requests refused for their API key (403)', family: 'client', tallies: fromSignatures(input, counts) });
    if (count.passes && !findings.length) {
      findings.push(
        finding(this, {
          severity: count.severity('medium'),
          figures: count.figures,
          detail: `${count.text()} Callers send a missing, wrong or unassociated API key.`,
          evidence: logRefs(counts),
          fix: 'Check that the callers\' API key is enabled and attached to a usage plan that includes this stage.',
        }),
      );
    }
    return findings;
  },
});
