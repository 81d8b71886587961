import { awsError } from '../aws-error.js';
import { pageOf } from '../paging.js';
import type { ScenarioAccount, ScenarioHttpApi } from '../scenario.js';
import { copy, omit, str, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';
import { resourceIdFor } from './apigateway.js';

/**
 * API Gateway v2 (HTTP and WebSocket APIs) from a scenario's `apigatewayv2` section, in the shapes of
 * @aws-sdk/client-apigatewayv2 (PascalCase, `Items` + `NextToken`). Custom domains are shared
 * with REST: v2's GetDomainNames also lists the domains a scenario declares under `apigateway`,
 * their base path mappings answered as API mappings, as AWS does for regional domains.
 */
const MAX_RESULTS = 500;
const DEFAULT_RESULTS = 100;

const notFound = (message: string, resourceType?: string) => {
  const err = awsError('NotFoundException', message, 404) as ReturnType<typeof awsError> & { ResourceType?: string };
  if (resourceType) err.ResourceType = resourceType;
  return err;
};

function apis(account: ScenarioAccount): ScenarioHttpApi[] {
  return account.apigatewayv2?.apis ?? [];
}

function findApi(input: Record<string, unknown>, ctx: ServiceContext): ScenarioHttpApi {
  const id = str(input.ApiId);
  const api = apis(ctx.account).find((a) => a.ApiId === id);
  // The same text v1 uses for an unknown REST API id (aws/aws-sdk-js#2458).
  if (!api) throw notFound(`Invalid API identifier specified ${ctx.accountId}:${id ?? ''}`, 'Api');
  return api;
}

function paged<T>(items: readonly T[], input: Record<string, unknown>, ctx: ServiceContext, scope: string) {
  // MaxResults is a string in this API.
  const asked = Number(str(input.MaxResults) ?? DEFAULT_RESULTS);
  const page = pageOf(items, {
    token: input.NextToken,
    limit: Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX_RESULTS) : DEFAULT_RESULTS,
    serviceMax: MAX_RESULTS,
    scenarioPageSize: ctx.scenario.pageSize,
    scope,
    invalidToken: () => awsError('BadRequestException', 'Invalid pagination token'),
  });
  return { Items: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}

const API_EXTRAS = ['stages', 'deployments', 'routes', 'integrations', 'authorizers'];

/** GetApi's answer: a WebSocket API's endpoint is `wss://` without a stage (cli examples get-apis). */
function apiShape(api: ScenarioHttpApi, ctx: ServiceContext): Record<string, unknown> {
  const websocket = api.ProtocolType === 'WEBSOCKET';
  return {
    ApiEndpoint: `${websocket ? 'wss' : 'https'}://${api.ApiId}.execute-api.${ctx.region}.amazonaws.com`,
    ApiKeySelectionExpression: '$request.header.x-api-key',
    DisableExecuteApiEndpoint: false,
    RouteSelectionExpression: websocket ? '$request.body.action' : '$request.method $request.path',
    ...omit(api, API_EXTRAS),
  };
}

const getApi: Handler = (input, ctx) => apiShape(findApi(input, ctx), ctx);

const getApis: Handler = (input, ctx) =>
  paged(
    apis(ctx.account).map((api) => apiShape(api, ctx)),
    input,
    ctx,
    'apigatewayv2:GetApis',
  );

const getStages: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  return paged(copy(api.stages ?? []), input, ctx, `apigatewayv2:GetStages:${api.ApiId}`);
};

const getStage: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const stage = (api.stages ?? []).find((s) => s.StageName === str(input.StageName));
  if (!stage) throw notFound(`Invalid stage identifier specified ${ctx.accountId}:${api.ApiId}:${str(input.StageName) ?? ''}`, 'Stage');
  return copy(stage);
};

const getDeployment: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const deployment = (api.deployments ?? []).find((d) => d.DeploymentId === str(input.DeploymentId));
  if (!deployment) throw notFound('Invalid Deployment identifier specified', 'Deployment');
  return copy(deployment);
};

const getDeployments: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  return paged(copy(api.deployments ?? []), input, ctx, `apigatewayv2:GetDeployments:${api.ApiId}`);
};
const routeIdOf = (r: { RouteId?: string | undefined; RouteKey: string }) => r.RouteId ?? resourceIdFor(r.RouteKey).padEnd(7, '0');

const getRoutes: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const routes = (api.routes ?? []).map((r) => ({
    ApiKeyRequired: false,
    AuthorizationType: 'NONE',
    ...omit(r, ['routeResponses']),
    RouteId: routeIdOf(r),
  }));
  return paged(routes, input, ctx, `apigatewayv2:GetRoutes:${api.ApiId}`);
};

/** WebSocket APIs: integrations time out at 29 s by default and carry a passthrough behaviour (botocore). */
const getIntegrations: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const websocket = api.ProtocolType === 'WEBSOCKET';
  const integrations = (api.integrations ?? []).map((i) => ({
    ConnectionType: 'INTERNET',
    TimeoutInMillis: websocket ? 29000 : 30000,
    ...(websocket ? { PassthroughBehavior: 'WHEN_NO_MATCH', PayloadFormatVersion: '1.0', IntegrationMethod: 'POST' } : {}),
    ...omit(i, ['integrationResponses']),
  }));
  return paged(integrations, input, ctx, `apigatewayv2:GetIntegrations:${api.ApiId}`);
};

const getRouteResponses: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const route = (api.routes ?? []).find((r) => routeIdOf(r) === str(input.RouteId));
  if (!route) throw notFound(`Invalid Route identifier specified ${ctx.accountId}:${api.ApiId}:${str(input.RouteId) ?? ''}`, 'Route');
  const responses = (route.routeResponses ?? []).map((r) => ({ ...copy(r), RouteResponseId: r.RouteResponseId ?? resourceIdFor(`${route.RouteKey}/${r.RouteResponseKey}`) }));
  return paged(responses, input, ctx, `apigatewayv2:GetRouteResponses:${api.ApiId}:${routeIdOf(route)}`);
};

const getIntegrationResponses: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const integration = (api.integrations ?? []).find((i) => i.IntegrationId === str(input.IntegrationId));
  if (!integration) throw notFound(`Invalid Integration identifier specified ${ctx.accountId}:${api.ApiId}:${str(input.IntegrationId) ?? ''}`, 'Integration');
  const responses = (integration.integrationResponses ?? []).map((r) => ({
    ...copy(r),
    IntegrationResponseId: r.IntegrationResponseId ?? resourceIdFor(`${integration.IntegrationId}/${r.IntegrationResponseKey}`),
  }));
  return paged(responses, input, ctx, `apigatewayv2:GetIntegrationResponses:${api.ApiId}:${integration.IntegrationId}`);
};

const getAuthorizers: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  return paged(copy(api.authorizers ?? []), input, ctx, `apigatewayv2:GetAuthorizers:${api.ApiId}`);
};

const getVpcLink: Handler = (input, ctx) => {
  const id = str(input.VpcLinkId);
  const link = (ctx.account.apigatewayv2?.vpcLinks ?? []).find((l) => l.VpcLinkId === id);
  if (!link) throw notFound(`Invalid VpcLink identifier specified ${ctx.accountId}:${id ?? ''}`, 'VpcLink');
  return copy(link);
};

interface SharedDomain {
  domain: Record<string, unknown>;
  mappings: { ApiMappingId: string; ApiId: string; Stage: string; ApiMappingKey: string }[];
}

/** v2 domains, then REST domains seen through v2 (edge domains included, as they are listed too). */
function domains(account: ScenarioAccount): SharedDomain[] {
  const v2 = (account.apigatewayv2?.domainNames ?? []).map((d): SharedDomain => ({
    domain: { ApiMappingSelectionExpression: '$request.basepath', ...omit(d, ['apiMappings']) },
    mappings: (d.apiMappings ?? []).map((m) => ({
      ApiMappingId: m.ApiMappingId ?? resourceIdFor(`${d.DomainName}/${m.ApiMappingKey ?? ''}`),
      ApiId: m.ApiId,
      Stage: m.Stage,
      ApiMappingKey: m.ApiMappingKey ?? '',
    })),
  }));
  const v2Names = new Set(v2.map((d) => d.domain.DomainName));
  const rest = (account.apigateway?.domainNames ?? [])
    .filter((d) => !v2Names.has(d.domainName))
    .map((d): SharedDomain => {
      const edge = d.endpointConfiguration?.types.includes('EDGE') ?? false;
      return {
        domain: {
          DomainName: d.domainName,
          ApiMappingSelectionExpression: '$request.basepath',
          DomainNameConfigurations: [
            {
              ApiGatewayDomainName: edge ? d.distributionDomainName : d.regionalDomainName,
              EndpointType: edge ? 'EDGE' : 'REGIONAL',
              ...(d.domainNameStatus ? { DomainNameStatus: d.domainNameStatus } : {}),
              ...(d.securityPolicy ? { SecurityPolicy: d.securityPolicy } : {}),
              ...(d.regionalHostedZoneId ? { HostedZoneId: d.regionalHostedZoneId } : {}),
            },
          ],
        },
        mappings: (d.basePathMappings ?? []).map((m) => ({
          ApiMappingId: resourceIdFor(`${d.domainName}/${m.basePath}`),
          ApiId: m.restApiId,
          Stage: m.stage ?? '',
          ApiMappingKey: m.basePath === '(none)' ? '' : m.basePath,
        })),
      };
    });
  return [...v2, ...rest];
}

const getDomainNames: Handler = (input, ctx) =>
  paged(
    domains(ctx.account).map((d) => copy(d.domain)),
    input,
    ctx,
    'apigatewayv2:GetDomainNames',
  );

const getApiMappings: Handler = (input, ctx) => {
  const name = str(input.DomainName);
  const domain = domains(ctx.account).find((d) => d.domain.DomainName === name);
  if (!domain) throw notFound(`Invalid domain name identifier specified ${ctx.accountId}:${name ?? ''}`, 'DomainName');
  return paged(copy(domain.mappings), input, ctx, `apigatewayv2:GetApiMappings:${name}`);
};

export const apigatewayv2Handlers: ServiceHandlers = {
  GetApi: getApi,
  GetApis: getApis,
  GetStages: getStages,
  GetStage: getStage,
  GetDeployment: getDeployment,
  GetDeployments: getDeployments,
  GetRoutes: getRoutes,
  GetRouteResponses: getRouteResponses,
  GetIntegrations: getIntegrations,
  GetIntegrationResponses: getIntegrationResponses,
  GetAuthorizers: getAuthorizers,
  GetVpcLink: getVpcLink,
  GetDomainNames: getDomainNames,
  GetApiMappings: getApiMappings,
};
