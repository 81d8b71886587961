import type { AuthorizerEvidence, HttpAuthorizerEvidence, HttpIntegrationEvidence, HttpRouteEvidence, MethodEvidence } from '../../core/evidence.js';
import { lambdaArnFromUri } from '../apigw/lambda-uri.js';

/** One way the API uses a function, with the execute-api ARN API Gateway invokes it with. */
export interface FunctionUsage {
  functionArn: string;
  kind: 'integration' | 'authorizer';
  /** `arn:aws:execute-api:...`; `{stage}` stands for any stage when none was named. */
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

/** A runtime request path: path parameters hold some value, which is what `*` in a permission covers. */
function runtimePath(path: string): string {
  return path.replace(/^\//, '').replace(/\{[^}]+\}/g, 'sample');
}

export function executeApiPrefix(api: ApiCoordinates): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.restApiId}`;
}

/** Every Lambda usage by methods and authorizers, in API order. */
export function lambdaUsages(methods: readonly MethodEvidence[], authorizers: readonly AuthorizerEvidence[], api: ApiCoordinates): FunctionUsage[] {
  const prefix = executeApiPrefix(api);
  const stage = api.stage ?? '{stage}';
  const usages: FunctionUsage[] = [];
  for (const method of methods) {
    const integration = method.integration;
    if (!integration || !LAMBDA_INTEGRATIONS.has(integration.type ?? '')) continue;
    const functionArn = integration.lambdaArn ?? lambdaArnFromUri(integration.uri);
    if (!functionArn) continue;
    // ANY is never sent as a verb: the runtime ARN carries the request's own method.
    const verb = method.httpMethod === 'ANY' ? 'GET' : method.httpMethod;
    usages.push({
      functionArn,
      kind: 'integration',
      sourceArn: `${prefix}/${stage}/${verb}/${runtimePath(method.path)}`,
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

/** A runtime request path for a route key's path: `{id}` and greedy `{proxy+}` hold some value. */
function httpRuntimePath(path: string): string {
  return path.replace(/^\//, '').replace(/\{[^}]+\}/g, 'sample');
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
  return v2LambdaUsages(routes, integrations, authorizers, api, (routeKey) => {
    if (routeKey === '$default') return '$default';
    const [method = 'ANY', path = '/'] = routeKey.split(' ');
    // ANY is never sent as a verb: the runtime ARN carries the request's own method.
    return `${method === 'ANY' ? 'GET' : method}/${httpRuntimePath(path)}`;
  });
}

/**
 * Every Lambda usage of a v2 API: route integrations, invoked with `…:<apiId>/<stage>/<resource>`
 * (`resourceOf` knows the kind's form), and Lambda authorizers with `…:<apiId>/authorizers/<id>`.
 */
export function v2LambdaUsages(
  routes: readonly HttpRouteEvidence[],
  integrations: readonly HttpIntegrationEvidence[],
  authorizers: readonly HttpAuthorizerEvidence[],
  api: ApiCoordinates,
  resourceOf: (routeKey: string) => string,
): FunctionUsage[] {
  const prefix = executeApiPrefix(api);
  const stage = api.stage ?? '{stage}';
  const byId = new Map(integrations.map((i) => [i.integrationId, i]));
  const usages: FunctionUsage[] = [];
  for (const route of routes) {
    const integration = route.integrationId ? byId.get(route.integrationId) : undefined;
    if (!integration?.lambdaArn) continue;
    usages.push({ functionArn: integration.lambdaArn, kind: 'integration', sourceArn: `${prefix}/${stage}/${resourceOf(route.routeKey)}`, label: `route ${route.routeKey}` });
  }
  for (const authorizer of authorizers) {
    if (!authorizer.lambdaArn) continue;
    usages.push({ functionArn: authorizer.lambdaArn, kind: 'authorizer', sourceArn: `${prefix}/authorizers/${authorizer.authorizerId}`, label: `authorizer ${authorizer.name}` });
  }
  return usages;
}
