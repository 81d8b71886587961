import { countFailures, fromSignatures } from '../counting/index.js';
import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';

/**
 * A1: the Lambda authorizer returns Deny (or a policy that does not cover the method). A share of
 * denies is normal (bad or expired tokens); a significant one, especially with policy caching, is
 * a cause. Threshold: DENY_THRESHOLD, per route and stage.
 */
export const a1AuthorizerDenies = defineRule({
  id: 'A1.authorizer-denies',
  severity: 'medium',
  title: 'The authorizer denies a significant share of requests',
  evaluate(input) {
    // ACCESS_DENIED on an API whose methods use no authorizer is a policy's refusal (P1/P6), not A1's.
    const methods = evidenceOf(input, 'apigw.resources');
    if (methods?.length && !methods.some((m) => m.authorizationType === 'CUSTOM' || m.authorizationType === 'COGNITO_USER_POOLS')) return [];
    const blocked = requireAnySource(input, this, ['logs.execution', 'logs.access'], 'authorizer denies (no execution or access logs)');
    if (blocked) return blocked;
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { causes: ['A1'], stages: stagesInScope(input).map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Authorizer denies (403)', family: 'deny', tallies: fromSignatures(input, counts) });
    if (!count.passes) return count.note(this);
    const cached = (evidenceOf(input, 'apigw.authorizers') ?? []).filter((a) => (a.authorizerResultTtlInSeconds ?? 0) > 0);
    const cacheNote = cached.length
      ? ` Authorizer ${cached.map((a) => `${a.name} caches results for ${a.authorizerResultTtlInSeconds}s`).join(', ')}: a policy scoped to one method ARN, cached, denies the caller's other methods.`
      : '';
    return [
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()} The authorizer answered "User is not authorized to access this resource".${cacheNote}`,
        evidence: [...logRefs(counts), ...cached.map((a) => ({ source: 'apigw.authorizers', key: a.id, quote: `${a.name} authorizerResultTtlInSeconds ${a.authorizerResultTtlInSeconds}` }))],
        fix: cached.length
          ? `Make authorizer ${cached[0]?.name} return a policy covering all methods (e.g. arn:…:${input.target.restApiId}/*), or set its result TTL to 0.`
          : 'Check the authorizer\'s decision for the denied callers in its logs (token, claims, methodArn).',
      }),
    ];
  },
});
