import { signaturesFor } from '../execution-log-classifier.js';
import { evidenceOf, finding, requireAnySource, stagesInScope } from '../helpers.js';
import { countFailures, fromSignatures } from '../counting/index.js';
import { logRefs, logSummaryOf } from '../log-evidence.js';
import { defineRule } from '../types.js';
import { unauthorizedSignatures } from './unauthorized.js';

/**
 * A6: a Cognito user pool authorizer answers 401 Unauthorized for a missing, invalid or expired
 * token, a token from another user pool, or an access token where the ID token is expected.
 */
export const a6CognitoRejectsToken = defineRule({
  id: 'A6.cognito-refuses-callers',
  severity: 'high',
  title: 'The Cognito authorizer rejects the callers\' tokens (401)',
  evaluate(input) {
    const cognito = (evidenceOf(input, 'apigw.authorizers') ?? []).filter((a) => a.type === 'COGNITO_USER_POOLS');
    if (!cognito.length) return [];
    const used = new Set((evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.authorizationType === 'COGNITO_USER_POOLS').map((m) => m.authorizerId));
    if (used.size && !cognito.some((a) => used.has(a.id))) return [];
    const blocked = requireAnySource(input, this, ['logs.execution', 'logs.access'], 'tokens rejected by the Cognito authorizer (no execution or access logs)');
    if (blocked) return blocked;
    const summary = logSummaryOf(input);
    const counts = signaturesFor(summary, { signatures: unauthorizedSignatures(input), stages: stagesInScope(input).map((s) => s.stageName) });
    const count = countFailures(input, { what: 'Tokens refused with 401', family: 'client', tallies: fromSignatures(input, counts) });
    if (!count.passes) return [];
    return [
      finding(this, {
        figures: count.figures,
        detail: `${count.text()} The Cognito authorizer ${cognito.map((a) => `${a.name} (${(a.providerARNs ?? []).join(', ') || 'no user pool'}, reads ${a.identitySource ?? 'method.request.header.Authorization'})`).join('; ')} refused the token (missing, expired, from another user pool, or an access token where an ID token is expected with no OAuth scopes set on the method).`,
        evidence: [...logRefs(counts), ...cognito.map((a) => ({ source: 'apigw.authorizers', key: a.id, quote: `${a.name} COGNITO_USER_POOLS ${(a.providerARNs ?? []).join(', ')}` }))],
        fix: `Send a current ID token from ${(cognito[0]?.providerARNs ?? [])[0] ?? 'the configured user pool'} in ${cognito[0]?.identitySource ?? 'the Authorization header'} (or set authorization scopes on the method to accept access tokens).`,
      }),
    ];
  },
});
