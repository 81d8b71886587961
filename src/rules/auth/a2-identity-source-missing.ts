import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';
import { unauthorizedSignatures } from './unauthorized.js';

/**
 * A2: a Lambda (TOKEN or REQUEST) authorizer's identity source is missing or empty in the request,
 * or fails the identityValidationExpression: API Gateway answers 401 Unauthorized without invoking
 * the authorizer (401 KC). A 401 with a Cognito authorizer is A6; an authorizer function that
 * throws "Unauthorized" is A3 (its own logs show it).
 */
export const a2IdentitySourceMissing = defineRule({
  id: 'A2.identity-source-missing',
  severity: 'high',
  title: 'Requests lack the authorizer\'s identity source (401 Unauthorized)',
  evaluate(input) {
    const authorizers = (evidenceOf(input, 'apigw.authorizers') ?? []).filter((a) => a.type === 'TOKEN' || a.type === 'REQUEST');
    if (!authorizers.length) return [];
    const used = new Set((evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.authorizationType === 'CUSTOM').map((m) => m.authorizerId));
    const lambdaAuthorizers = authorizers.filter((a) => used.size === 0 || used.has(a.id));
    if (!lambdaAuthorizers.length) return [];
    const blocked = requireAnySource(input, this, ['logs.execution', 'logs.access'], 'requests refused for a missing identity source (no execution or access logs)');
    if (blocked) return blocked;
    const summary = logSummaryOf(input);
    const stages = stagesInScope(input).map((s) => s.stageName);
    const counts = signaturesFor(summary, { signatures: unauthorizedSignatures(input), stages });
    const count = countFailures(input, { what: 'Requests refused with 401 before the authorizer ran', family: 'client', tallies: fromSignatures(input, counts) });
    if (!count.passes) return [];
    // The authorizer ran and failed: A3 explains the 401s.
    if (countFailures(input, { what: 'authorizer failures', family: 'server', tallies: fromSignatures(input, signaturesFor(summary, { causes: ['A3'], stages })) }).passes) return [];
    const described = lambdaAuthorizers.map(
      (a) => `${a.name} (${a.type}) reads ${a.identitySource ?? 'no identity source'}${a.identityValidationExpression ? ` and requires it to match ${a.identityValidationExpression}` : ''}`,
    );
    return [
      finding(this, {
        figures: count.figures,
        detail: `${count.text()} API Gateway refused them before invoking the authorizer. Authorizer ${described.join('; ')}: a request without that value (or one failing the validation expression) never reaches the function.`,
        evidence: [
          ...logRefs(counts),
          ...lambdaAuthorizers.map((a) => ({ source: 'apigw.authorizers', key: a.id, quote: `${a.name} identitySource ${a.identitySource ?? '-'}${a.identityValidationExpression ? ` identityValidationExpression ${a.identityValidationExpression}` : ''}` })),
        ],
        fix: `Make the clients send ${lambdaAuthorizers[0]?.identitySource ?? 'the identity source'} (e.g. the Authorization header), or change the authorizer's identitySource/validation expression to what they send, then deploy.`,
      }),
    ];
  },
});
