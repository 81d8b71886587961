import { finding } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, contextValue, countRecords } from './access.js';
import { describeAuthorizer, lambdaAuthorizers } from './lambda-authorizers.js';

/**
 * H12: requests lack the Lambda authorizer's identity source: "API Gateway doesn't invoke your
 * Lambda authorizer, and the client receives a 401" (DG http-api-lambda-authorizer). Header
 * names are case-insensitive, query string names case-sensitive.
 */
export const h12AuthorizerIdentityMissing = defineRule({
  id: 'H12.authorizer-identity-missing',
  severity: 'high',
  title: 'Requests lack the Lambda authorizer\u2019s identity source: 401 without invoking it',
  evaluate(input) {
    return lambdaAuthorizers(input).flatMap(({ authorizer, routes }) => {
      const keys = new Set(routes.map((r) => r.routeKey));
      const { count, matches: refused } = countRecords(input, { what: `401 Unauthorized on routes of Lambda authorizer ${authorizer.name}`, family: 'client' }, (r) => r.status === 401 && keys.has(contextValue(r, 'routeKey') ?? ''));
      if (!count.passes) return [];
      return [
        finding(this, {
          severity: count.severity(this.severity),
          figures: count.figures,
          detail: `${count.text()} A Lambda authorizer answers 401 only when the identity source (${authorizer.identitySource.join(', ') || 'none configured'}) is missing or empty in the request: the function is not invoked at all. ${describeAuthorizer(authorizer)}.`,
          evidence: [...accessRefs(refused, 'got 401 Unauthorized'), { source: 'apigwv2.authorizers', key: authorizer.authorizerId, quote: describeAuthorizer(authorizer) }],
          fix: `Send ${authorizer.identitySource.join(' and ') || 'the identity source'} with every request (query string names are case-sensitive), or change the authorizer's IdentitySource to what the clients send.`,
        }),
      ];
    });
  },
});
