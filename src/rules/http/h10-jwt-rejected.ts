import { evidenceOf, finding, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, AUTHORIZER_ERROR, contextValue, countRecords, ERROR_MESSAGE, httpRoutes, topValues } from './access.js';

/** Which JWT check a rejection names (the www-authenticate error_description, when logged). */
function checkNamed(text: string): string | undefined {
  if (/audience|\baud\b/i.test(text)) return 'the token\u2019s aud (or client_id) is not one of the authorizer\u2019s Audience values';
  if (/expired|\bexp\b|not valid yet|\bnbf\b/i.test(text)) return 'the token has expired (exp) or is not valid yet (nbf)';
  if (/issuer|\biss\b/i.test(text)) return 'the token\u2019s iss does not equal the authorizer\u2019s Issuer exactly';
  if (/scope/i.test(text)) return 'the token carries none of the route\u2019s AuthorizationScopes';
  if (/signing method|signature|\bkid\b|jwks/i.test(text)) return 'the signature does not verify against the issuer\u2019s JWKS (only RSA keys are supported)';
  return undefined;
}

/**
 * H10/H11: a JWT authorizer rejects the tokens: 401 `{"message":"Unauthorized"}` with a
 * `www-authenticate: Bearer … error_description="…"` header naming the failed check (iss, aud or
 * client_id, exp/nbf, signature via JWKS, scopes) (DG http-api-jwt-authorizer, http-api-troubleshooting-jwt).
 */
export const h10JwtRejected = defineRule({
  id: 'H10.jwt-rejected',
  severity: 'high',
  title: 'The JWT authorizer rejects the callers\u2019 tokens',
  evaluate(input) {
    const routes = httpRoutes(input).filter((r) => r.authorizationType === 'JWT');
    if (routes.length === 0) {
      return requireSources(input, this, ['apigwv2.routes'], 'tokens rejected by a JWT authorizer') ?? [];
    }
    const authorizers = (evidenceOf(input, 'apigwv2.authorizers') ?? []).filter((a) => a.authorizerType === 'JWT');
    const findings = [];
    // Configuration that no valid token can pass.
    for (const a of authorizers) {
      const problems: string[] = [];
      const issuer = a.jwtIssuer ?? '';
      if (!issuer) problems.push('it has no Issuer');
      else if (!/^https:\/\//.test(issuer)) problems.push(`its Issuer ${issuer} is not an https URL (API Gateway reads the keys from <issuer>/.well-known/openid-configuration)`);
      else if (/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[^/]+\/$/.test(issuer)) problems.push(`its Issuer ${issuer} ends with "/" while Cognito tokens carry iss without it (the match is exact)`);
      if (a.jwtAudience.length === 0) problems.push('its Audience list is empty, so no aud or client_id can match');
      if (problems.length) {
        findings.push(
          finding(this, {
            detail: `JWT authorizer ${a.name} (${a.authorizerId}): ${problems.join('; ')}. Routes ${routes.filter((r) => r.authorizerId === a.authorizerId).map((r) => r.routeKey).join(', ') || '(none)'} answer 401 Unauthorized.`,
            evidence: [{ source: 'apigwv2.authorizers', key: a.authorizerId, quote: `${a.name} (JWT) Issuer ${issuer || '(none)'}, Audience ${a.jwtAudience.join(', ') || '(none)'}` }],
            fix: `Set the authorizer's Issuer to the tokens' iss exactly and Audience to their aud/client_id: aws apigatewayv2 update-authorizer --api-id ${input.target.restApiId} --authorizer-id ${a.authorizerId} --jwt-configuration Audience=<client id>,Issuer=<iss>.`,
          }),
        );
      }
    }
    const jwtKeys = new Set(routes.map((r) => r.routeKey));
    const { count, matches: rejected } = countRecords(input, { what: 'Tokens refused by the JWT authorizer (401/403)', family: 'client' }, (r) => (r.status === 401 || r.status === 403) && r.httpMethod !== 'OPTIONS' && jwtKeys.has(contextValue(r, 'routeKey') ?? ''));
    if (!count.passes) return findings;
    const records = rejected.flatMap((m) => m.records);
    const texts = topValues(records, [...AUTHORIZER_ERROR, ...ERROR_MESSAGE]);
    const checks = [...new Set(texts.map((t) => checkNamed(t.value)).filter((c): c is string => Boolean(c)))];
    const scoped = routes.filter((r) => r.authorizationScopes.length > 0 && records.some((rec) => contextValue(rec, 'routeKey') === r.routeKey));
    if (scoped.length && !checks.some((c) => c.includes('scope'))) checks.push(`routes ${scoped.map((r) => `${r.routeKey} (scopes ${r.authorizationScopes.join(', ')})`).join(', ')} need an access token carrying one of their scopes, not an ID token`);
    const config = authorizers.map((a) => `${a.name} (JWT) Issuer ${a.jwtIssuer ?? '(none)'}, Audience ${a.jwtAudience.join(', ') || '(none)'}, identity ${a.identitySource.join(', ')}`);
    const fromLogs =
      finding(this, {
        severity: count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()}${texts.length ? ` Errors logged: ${texts.map((t) => `"${t.value}"`).join(', ')}.` : ''} ${checks.length ? `The check that fails: ${checks.join('; ')}.` : 'The logged fields do not say which check failed; the www-authenticate header of a 401 does.'} Authorizer: ${config.join('; ')}.`,
        evidence: [...accessRefs(rejected, 'refused by the JWT authorizer', [...AUTHORIZER_ERROR, ...ERROR_MESSAGE]), ...authorizers.map((a) => ({ source: 'apigwv2.authorizers', key: a.authorizerId, quote: `${a.name} (JWT) Issuer ${a.jwtIssuer ?? '(none)'}, Audience ${a.jwtAudience.join(', ') || '(none)'}` }))],
        fix: 'Compare a failing token (jwt.io) with the authorizer: iss must equal Issuer exactly, aud (or client_id) must be in Audience, exp in the future, RSA-signed by a key in the issuer\u2019s JWKS, and scopes matching the route\u2019s AuthorizationScopes.',
      });
    // A configuration no token can pass and the refusals it causes are one finding, not two.
    const [first, ...rest] = findings;
    if (!first) return [fromLogs];
    return [{ ...first, detail: `${first.detail} ${fromLogs.detail}`, evidence: [...first.evidence, ...fromLogs.evidence.filter((e) => e.source === 'logs.access')], ...(fromLogs.figures ? { figures: fromLogs.figures } : {}) }, ...rest];
  },
});
