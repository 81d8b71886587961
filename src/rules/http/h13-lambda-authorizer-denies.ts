import { finding } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, AUTHORIZER_ERROR, contextValue, countRecords, ERROR_MESSAGE } from './access.js';
import { describeAuthorizer, expectedResponse, lambdaAuthorizers } from './lambda-authorizers.js';

/**
 * H13: the Lambda authorizer denies a large share of requests: 403 `{"message":"Forbidden"}`,
 * `$context.error.responseType` ACCESS_DENIED (reported). Typical causes: a response in the
 * other format (a policy when simple responses are on, `isAuthorized` when they are off), a
 * policy whose Resource misses the routeArn, or a cached deny shared by all routes
 * (the cache key is the identity source unless `$context.routeKey` is one).
 */
export const h13LambdaAuthorizerDenies = defineRule({
  id: 'H13.lambda-authorizer-denies',
  severity: 'high',
  title: 'The Lambda authorizer denies a large share of requests',
  evaluate(input) {
    return lambdaAuthorizers(input).flatMap(({ authorizer, routes }) => {
      const keys = new Set(routes.map((r) => r.routeKey));
      // A deny of a working authorizer is its job: the deny row of the threshold table, as A1.
      const { count, matches: denied } = countRecords(input, { what: `Requests denied (403) by Lambda authorizer ${authorizer.name}`, family: 'deny' }, (r) => r.status === 403 && keys.has(contextValue(r, 'routeKey') ?? ''));
      if (!count.passes) return [];
      const cached = (authorizer.authorizerResultTtlInSeconds ?? 0) > 0 && !authorizer.identitySource.some((s) => /\$context\.routeKey/.test(s));
      return [
        finding(this, {
          severity: count.severity(this.severity),
          figures: count.figures,
          detail: `${count.text()} API Gateway expects ${expectedResponse(authorizer)}; any other shape, or a policy whose Resource does not cover the request's routeArn, denies.${cached ? ` Decisions are cached ${authorizer.authorizerResultTtlInSeconds} s per identity source for every route (no $context.routeKey in the identity source), so one route's deny applies to all.` : ''}`,
          evidence: [...accessRefs(denied, 'denied by the authorizer', [...AUTHORIZER_ERROR, ...ERROR_MESSAGE, 'error.responseType']), { source: 'apigwv2.authorizers', key: authorizer.authorizerId, quote: describeAuthorizer(authorizer) }],
          fix: `Check the authorizer function's response against ${expectedResponse(authorizer)}${cached ? ', and add $context.routeKey to its identity source or set the cache TTL to 0 while testing' : ''}.`,
        }),
      ];
    });
  },
});
