import type { HttpAuthorizerEvidence, HttpIntegrationEvidence, HttpRouteEvidence } from '../../core/evidence.js';
import { v2LambdaFunctionsSource } from '../apigwv2/lambda-functions.js';
import { executeApiPrefix, type ApiCoordinates, type FunctionUsage } from '../lambda/usages.js';

/**
 * Every Lambda usage of a WebSocket API. API Gateway invokes a route's function with
 * `…:<apiId>/<stage>/<routeKey>` (`$connect`, `$default`, `sendmessage`: the console writes
 * `…/*\/sendmessage`, catalogue W11) and a $connect authorizer's with `…:<apiId>/authorizers/<id>`.
 */
export function websocketLambdaUsages(
  routes: readonly HttpRouteEvidence[],
  integrations: readonly HttpIntegrationEvidence[],
  authorizers: readonly HttpAuthorizerEvidence[],
  api: ApiCoordinates,
): FunctionUsage[] {
  const prefix = executeApiPrefix(api);
  const stage = api.stage ?? '{stage}';
  const byId = new Map(integrations.map((i) => [i.integrationId, i]));
  const usages: FunctionUsage[] = [];
  for (const route of routes) {
    const integration = route.integrationId ? byId.get(route.integrationId) : undefined;
    if (!integration?.lambdaArn) continue;
    usages.push({ functionArn: integration.lambdaArn, kind: 'integration', sourceArn: `${prefix}/${stage}/${route.routeKey}`, label: `route ${route.routeKey}` });
  }
  for (const authorizer of authorizers) {
    if (!authorizer.lambdaArn) continue;
    usages.push({ functionArn: authorizer.lambdaArn, kind: 'authorizer', sourceArn: `${prefix}/authorizers/${authorizer.authorizerId}`, label: `authorizer ${authorizer.name}` });
  }
  return usages;
}

/** The functions behind a WebSocket API's routes and $connect authorizers, with their invoke permission per route. */
export const websocketLambdaFunctionsSource = v2LambdaFunctionsSource(websocketLambdaUsages, true);
