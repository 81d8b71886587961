import { ANY_SEGMENT, executeApiArn, executeApiPrefix } from '../../core/arn-match.js';
import type { AuthorizerEvidence, HttpAuthorizerEvidence, HttpIntegrationEvidence, HttpRouteEvidence, MethodEvidence } from '../../core/evidence.js';
import { lambdaArnFromUri } from '../apigw/lambda-uri.js';

/** One way the API uses a function, with the execute-api ARN API Gateway invokes it with. */
export interface FunctionUsage {
  functionArn: string;
  kind: 'integration' | 'authorizer';
  /** `arn:aws:execute-api:...`, with a hole (core/arn-match) for the stage when none was named. */
  sourceArn: string;
  label: string;
}

export interface ApiCoordinates {
  region: string;
  accountId: string;
  restApiId: string;
  /** Absent: every stage. */
  stage?: string;
}

const LAMBDA_INTEGRATIONS = new Set(['AWS', 'AWS_PROXY']);

/** Every Lambda usage by methods and authorizers, in API order. */
export function lambdaUsages(methods: readonly MethodEvidence[], authorizers: readonly AuthorizerEvidence[], api: ApiCoordinates): FunctionUsage[] {
  const prefix = executeApiPrefix(api.region, api.accountId, api.restApiId);
  const usages: FunctionUsage[] = [];
  for (const method of methods) {
    const integration = method.integration;
    if (!integration || !LAMBDA_INTEGRATIONS.has(integration.type ?? '')) continue;
    const functionArn = integration.lambdaArn ?? lambdaArnFromUri(integration.uri);
    if (!functionArn) continue;
    usages.push({
      functionArn,
      kind: 'integration',
      sourceArn: executeApiArn(prefix, api.stage, method.httpMethod, method.path),
      label: `${method.httpMethod} ${method.path}`,
    });
  }
  for (const authorizer of authorizers) {
    const functionArn = authorizer.lambdaArn ?? lambdaArnFromUri(authorizer.authorizerUri);
    if (!functionArn) continue;
    usages.push({ functionArn, kind: 'authorizer', sourceArn: `${prefix}/authorizers/${authorizer.id}`, label: `authorizer ${authorizer.name}` });
  }
  return usages;
}

/**
 * Every Lambda usage of an HTTP API: route integrations and Lambda authorizers. API Gateway
 * invokes with `…:<apiId>/<stage>/<METHOD>/<path>`, `…:<apiId>/<stage>/$default` for the
 * `$default` route (DG http-api-troubleshooting-lambda), and `…:<apiId>/authorizers/<id>`.
 */
export function httpLambdaUsages(
  routes: readonly HttpRouteEvidence[],
  integrations: readonly HttpIntegrationEvidence[],
  authorizers: readonly HttpAuthorizerEvidence[],
  api: ApiCoordinates,
): FunctionUsage[] {
  const prefix = executeApiPrefix(api.region, api.accountId, api.restApiId);
  return v2LambdaUsages(routes, integrations, authorizers, api, (routeKey) => {
    if (routeKey === '$default') return `${prefix}/${api.stage ?? ANY_SEGMENT}/$default`;
    const [method = 'ANY', path = '/'] = routeKey.split(' ');
    return executeApiArn(prefix, api.stage, method, path);
  });
}

/**
 * Every Lambda usage of a v2 API: route integrations, invoked with the ARN `sourceArnOf` gives
 * for the route key (it knows the kind's form), and Lambda authorizers with `…:<apiId>/authorizers/<id>`.
 */
export function v2LambdaUsages(
  routes: readonly HttpRouteEvidence[],
  integrations: readonly HttpIntegrationEvidence[],
  authorizers: readonly HttpAuthorizerEvidence[],
  api: ApiCoordinates,
  sourceArnOf: (routeKey: string) => string,
): FunctionUsage[] {
  const prefix = executeApiPrefix(api.region, api.accountId, api.restApiId);
  const byId = new Map(integrations.map((i) => [i.integrationId, i]));
  const usages: FunctionUsage[] = [];
  for (const route of routes) {
    const integration = route.integrationId ? byId.get(route.integrationId) : undefined;
    if (!integration?.lambdaArn) continue;
    usages.push({ functionArn: integration.lambdaArn, kind: 'integration', sourceArn: sourceArnOf(route.routeKey), label: `route ${route.routeKey}` });
  }
  for (const authorizer of authorizers) {
    if (!authorizer.lambdaArn) continue;
    usages.push({ functionArn: authorizer.lambdaArn, kind: 'authorizer', sourceArn: `${prefix}/authorizers/${authorizer.authorizerId}`, label: `authorizer ${authorizer.name}` });
  }
  return usages;
}
