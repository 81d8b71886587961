import type { HttpAuthorizerEvidence, HttpIntegrationEvidence, HttpRouteEvidence } from '../../core/evidence.js';
import { v2LambdaFunctionsSource } from '../apigwv2/lambda-functions.js';
import { ANY_SEGMENT, executeApiPrefix } from '../../core/arn-match.js';
import { v2LambdaUsages, type ApiCoordinates, type FunctionUsage } from '../lambda/usages.js';

/**
 * Every Lambda usage of a WebSocket API. API Gateway invokes a route's function with
 * `…:<apiId>/<stage>/<routeKey>` (`$connect`, `$default`, `sendmessage`: the console writes
 * `…/*\/sendmessage`, catalogue W11) and a $connect authorizer's with `…:<apiId>/authorizers/<id>`.
 */
function websocketLambdaUsages(routes: readonly HttpRouteEvidence[], integrations: readonly HttpIntegrationEvidence[], authorizers: readonly HttpAuthorizerEvidence[], api: ApiCoordinates): FunctionUsage[] {
  const prefix = executeApiPrefix(api.region, api.accountId, api.restApiId);
  return v2LambdaUsages(routes, integrations, authorizers, api, (routeKey) => `${prefix}/${api.stage ?? ANY_SEGMENT}/${routeKey}`);
}

/** The functions behind a WebSocket API's routes and $connect authorizers, with their invoke permission per route. */
export const websocketLambdaFunctionsSource = v2LambdaFunctionsSource(websocketLambdaUsages);
