import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * I2: the integration's `credentials` role cannot be assumed by apigateway.amazonaws.com (trust
 * policy, or the caller lacks iam:PassRole at creation): 500 with "API Gateway does not have
 * permission to assume the provided role". One line is decisive, as for I1.
 */
export const i2IntegrationRoleNotAssumable = defineRule({
  id: 'I2.integration-role-not-assumable',
  severity: 'critical',
  title: 'API Gateway cannot assume the integration\'s role',
  evaluate(input) {
    const withRole = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.integration?.credentials);
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { signatures: ['assume-role-denied'], stages: stagesInScope(input).map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Requests refused because API Gateway cannot assume the integration role (500)', family: 'decisive', tallies: fromSignatures(input, counts) });
    if (!count.passes) {
      if (!withRole.length) return [];
      return requireAnySource(input, this, ['logs.execution'], 'an integration role API Gateway cannot assume (no execution logs)') ?? [];
    }
    const quoted = counts.flatMap((c) => c.examples).map((e) => /assume the provided role (\S+)/.exec(e)?.[1]).find(Boolean);
    const role = quoted ?? withRole[0]?.integration?.credentials ?? '<role>';
    const methods = withRole.filter((m) => !quoted || m.integration?.credentials === quoted);
    return [
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()} ${methods.length ? `${methods.map((m) => `${m.httpMethod} ${m.path}`).join(', ')} integrate${methods.length === 1 ? 's' : ''} with credentials ${role}; ` : ''}the role's trust policy does not let apigateway.amazonaws.com assume it (or it was deleted). Callers get 500.`,
        evidence: [...logRefs(counts), ...methods.slice(0, 3).map((m) => ({ source: 'apigw.resources', key: `${m.httpMethod} ${m.path}`, quote: `integration credentials ${m.integration?.credentials}` }))],
        fix: `Add a trust statement to ${role} allowing Principal {"Service":"apigateway.amazonaws.com"} sts:AssumeRole (condition aws:SourceAccount = the API's account), or point the integration at a role that has one.`,
      }),
    ];
  },
});
