import type { HttpAuthorizerEvidence, HttpRouteEvidence } from '../../core/evidence.js';
import { evidenceOf } from '../helpers.js';
import type { RuleInput } from '../types.js';
import { httpRoutes } from './access.js';

/** Lambda (REQUEST) authorizers and the routes that use them. */
export function lambdaAuthorizers(input: RuleInput): { authorizer: HttpAuthorizerEvidence; routes: HttpRouteEvidence[] }[] {
  const routes = httpRoutes(input).filter((r) => r.authorizationType === 'CUSTOM');
  return (evidenceOf(input, 'apigwv2.authorizers') ?? [])
    .filter((a) => a.authorizerType === 'REQUEST')
    .map((authorizer) => ({ authorizer, routes: routes.filter((r) => r.authorizerId === authorizer.authorizerId) }));
}

/** What API Gateway expects a Lambda authorizer to return, from its payload version and simple-response flag (DG http-api-lambda-authorizer). */
export function expectedResponse(a: HttpAuthorizerEvidence): string {
  if (a.authorizerPayloadFormatVersion === '2.0' && a.enableSimpleResponses) return 'a simple response {"isAuthorized": true|false, "context": {...}}';
  if (a.authorizerPayloadFormatVersion === '2.0') return 'an IAM policy response {"principalId", "policyDocument": {... "Action": "execute-api:Invoke", "Resource": [routeArn]}} (simple responses are off)';
  return 'an IAM policy response {"principalId", "policyDocument", "context"} (payload 1.0 has no simple responses)';
}

export function describeAuthorizer(a: HttpAuthorizerEvidence): string {
  // "name (…)", not "name: …": an authorizer called token-… followed by a colon reads like a secret to the redactor.
  return `${a.name} (payload ${a.authorizerPayloadFormatVersion ?? '?'}, simple responses ${a.enableSimpleResponses ? 'on' : 'off'}, cache ${a.authorizerResultTtlInSeconds ?? 0} s, identity ${a.identitySource.join(', ') || '(none)'})`;
}

export const PERMISSION_TEXT = /doesn't have permissions to call the authorizer|does not have permissions to call the authorizer/i;
