import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { eachWithId, itemsOf, text } from '../record.js';

/** API Gateway v2 (HTTP and WebSocket API) answers into the scenario's `apigatewayv2` section. */
export function writeApigwv2Answer(call: CapturedCall, w: ScenarioWriter): void {
  if (call.service !== 'apigatewayv2' || !call.output) return;
  const out = call.output;
  const account = call.accountId;
  const apiId = text(call.input.ApiId);
  const api = (id: string) => ['apigatewayv2', 'apis', { ApiId: id }] as const;
  const each = eachWithId;
  switch (call.operation) {
    case 'GetApi':
    case 'GetApis':
      each(call.operation === 'GetApi' ? [out] : itemsOf(out, 'Items'), 'ApiId', (id, item) => w.put(account, api(id), item));
      return;
    case 'GetStages':
    case 'GetStage':
      if (apiId) each(call.operation === 'GetStage' ? [out] : itemsOf(out, 'Items'), 'StageName', (StageName, item) => w.put(account, [...api(apiId), 'stages', { StageName }], item));
      return;
    case 'GetDeployment':
    case 'GetDeployments':
      if (apiId) each(call.operation === 'GetDeployment' ? [out] : itemsOf(out, 'Items'), 'DeploymentId', (DeploymentId, item) => w.put(account, [...api(apiId), 'deployments', { DeploymentId }], item));
      return;
    case 'GetRoutes':
      if (apiId) each(itemsOf(out, 'Items'), 'RouteId', (RouteId, item) => w.put(account, [...api(apiId), 'routes', { RouteId }], item));
      return;
    case 'GetRouteResponses': {
      // WebSocket: the responses of one route, kept on the route as the sandbox answers them.
      const RouteId = text(call.input.RouteId);
      if (apiId && RouteId) each(itemsOf(out, 'Items'), 'RouteResponseId', (RouteResponseId, item) => w.put(account, [...api(apiId), 'routes', { RouteId }, 'routeResponses', { RouteResponseId }], item));
      return;
    }
    case 'GetIntegrationResponses': {
      const IntegrationId = text(call.input.IntegrationId);
      if (apiId && IntegrationId) {
        each(itemsOf(out, 'Items'), 'IntegrationResponseId', (IntegrationResponseId, item) =>
          w.put(account, [...api(apiId), 'integrations', { IntegrationId }, 'integrationResponses', { IntegrationResponseId }], item),
        );
      }
      return;
    }
    case 'GetIntegrations':
      if (apiId) each(itemsOf(out, 'Items'), 'IntegrationId', (IntegrationId, item) => w.put(account, [...api(apiId), 'integrations', { IntegrationId }], item));
      return;
    case 'GetAuthorizers':
      if (apiId) each(itemsOf(out, 'Items'), 'AuthorizerId', (AuthorizerId, item) => w.put(account, [...api(apiId), 'authorizers', { AuthorizerId }], item));
      return;
    case 'GetVpcLink':
      each([out], 'VpcLinkId', (VpcLinkId, item) => w.put(account, ['apigatewayv2', 'vpcLinks', { VpcLinkId }], item));
      return;
    case 'GetDomainNames':
      each(itemsOf(out, 'Items'), 'DomainName', (DomainName, item) => w.put(account, ['apigatewayv2', 'domainNames', { DomainName }], item));
      return;
    case 'GetApiMappings': {
      const DomainName = text(call.input.DomainName);
      if (DomainName) each(itemsOf(out, 'Items'), 'ApiMappingId', (ApiMappingId, item) => w.put(account, ['apigatewayv2', 'domainNames', { DomainName }, 'apiMappings', { ApiMappingId }], item));
      return;
    }
  }
}
