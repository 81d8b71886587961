import { awsError } from '../aws-error.js';
import { invalidTokenErrors, pageOf } from '../paging.js';
import type { ScenarioAccount, ScenarioRestApi } from '../scenario.js';
import { copy, omit, str, strings, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/** API Gateway's page default and maximum (`limit`). */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

const notFound = (message: string) => awsError('NotFoundException', message, 404);

function restApis(account: ScenarioAccount) {
  return account.apigateway?.restApis ?? [];
}

function findApi(input: Record<string, unknown>, ctx: ServiceContext): ScenarioRestApi {
  const id = str(input.restApiId);
  const api = restApis(ctx.account).find((a) => a.id === id);
  if (!api) throw notFound(`Invalid API identifier specified ${ctx.accountId}:${id ?? ''}`);
  return api;
}

function paged<T>(items: readonly T[], input: Record<string, unknown>, ctx: ServiceContext, scope: string) {
  const page = pageOf(items, {
    token: input.position,
    limit: typeof input.limit === 'number' ? Math.min(input.limit, MAX_LIMIT) : DEFAULT_LIMIT,
    serviceMax: MAX_LIMIT,
    scenarioPageSize: ctx.scenario.pageSize,
    scope,
    invalidToken: invalidTokenErrors.apigateway,
  });
  return { items: page.items, ...(page.next ? { position: page.next } : {}) };
}

/** Resource ids are short random strings in AWS; by hand a path is enough, so derive a stable one. */
export function resourceIdFor(path: string): string {
  let hash = 2166136261;
  for (const char of path) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(-6);
}

function parentPath(path: string): string | undefined {
  if (path === '/') return undefined;
  const parent = path.slice(0, path.lastIndexOf('/'));
  return parent === '' ? '/' : parent;
}

const REST_API_EXTRAS = ['stages', 'deployments', 'resources', 'authorizers', 'gatewayResponses'];

const getRestApi: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  return {
    endpointConfiguration: { types: ['EDGE'] },
    apiKeySource: 'HEADER',
    disableExecuteApiEndpoint: false,
    ...omit(api, REST_API_EXTRAS),
  };
};

const getRestApis: Handler = (input, ctx) =>
  paged(
    restApis(ctx.account).map((api) => ({ endpointConfiguration: { types: ['EDGE'] }, apiKeySource: 'HEADER', disableExecuteApiEndpoint: false, ...omit(api, REST_API_EXTRAS) })),
    input,
    ctx,
    'apigateway:GetRestApis',
  );

const getAccount: Handler = (_input, ctx) => ({
  throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
  features: [],
  apiKeyVersion: '4',
  ...copy(ctx.account.apigateway?.account ?? {}),
});

const getStages: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const deploymentId = str(input.deploymentId);
  const stages = (api.stages ?? []).filter((s) => deploymentId === undefined || s.deploymentId === deploymentId);
  return { item: copy(stages) };
};

const getStage: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const stage = (api.stages ?? []).find((s) => s.stageName === str(input.stageName));
  if (!stage) throw notFound('Invalid stage identifier specified');
  return copy(stage);
};

const getDeployment: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const deployment = (api.deployments ?? []).find((d) => d.id === str(input.deploymentId));
  if (!deployment) throw notFound('Invalid Deployment identifier specified');
  return copy(deployment);
};

const getDeployments: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  return paged(copy(api.deployments ?? []), input, ctx, `apigateway:GetDeployments:${api.id}`);
};

const getResources: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  const embedMethods = (strings(input.embed) ?? []).includes('methods');
  // AWS always has the root resource; a hand-written scenario may leave it out.
  const declared = api.resources ?? [];
  const withRoot = declared.some((r) => r.path === '/') ? declared : [{ path: '/' }, ...declared];
  const byPath = new Map(withRoot.map((r) => [r.path, r]));
  const resources = withRoot.map((resource) => {
    const parent = parentPath(resource.path);
    const parentResource = parent === undefined ? undefined : byPath.get(parent);
    const methods = resource.resourceMethods
      ? Object.fromEntries(
          Object.entries(resource.resourceMethods).map(([verb, method]) => [
            verb,
            // Without embed=methods AWS lists only the verbs, not what is behind them.
            embedMethods ? { httpMethod: verb, authorizationType: 'NONE', apiKeyRequired: false, ...copy(method) } : {},
          ]),
        )
      : undefined;
    return {
      ...copy(resource),
      id: resource.id ?? resourceIdFor(resource.path),
      ...(parent !== undefined ? { parentId: resource.parentId ?? parentResource?.id ?? resourceIdFor(parent) } : {}),
      ...(resource.path !== '/' ? { pathPart: resource.pathPart ?? resource.path.slice(resource.path.lastIndexOf('/') + 1) } : {}),
      ...(methods ? { resourceMethods: methods } : {}),
    };
  });
  return paged(resources, input, ctx, `apigateway:GetResources:${api.id}`);
};

const getAuthorizers: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  return paged(copy(api.authorizers ?? []), input, ctx, `apigateway:GetAuthorizers:${api.id}`);
};

const getGatewayResponses: Handler = (input, ctx) => {
  const api = findApi(input, ctx);
  return paged(copy(api.gatewayResponses ?? []), input, ctx, `apigateway:GetGatewayResponses:${api.id}`);
};

const getDomainNames: Handler = (input, ctx) => {
  const domains = (ctx.account.apigateway?.domainNames ?? []).map((d) => omit(d, ['basePathMappings']));
  return paged(domains, input, ctx, 'apigateway:GetDomainNames');
};

const getBasePathMappings: Handler = (input, ctx) => {
  const name = str(input.domainName);
  const domain = (ctx.account.apigateway?.domainNames ?? []).find((d) => d.domainName === name);
  if (!domain) throw notFound('Invalid domain name identifier specified');
  return paged(copy(domain.basePathMappings ?? []), input, ctx, `apigateway:GetBasePathMappings:${name}`);
};

const getUsagePlans: Handler = (input, ctx) =>
  paged((ctx.account.apigateway?.usagePlans ?? []).map((p) => omit(p, ['keys'])), input, ctx, 'apigateway:GetUsagePlans');

const getUsagePlanKeys: Handler = (input, ctx) => {
  const id = str(input.usagePlanId);
  const plan = (ctx.account.apigateway?.usagePlans ?? []).find((p) => p.id === id);
  if (!plan) throw notFound('Invalid Usage Plan ID specified');
  return paged(copy(plan.keys ?? []), input, ctx, `apigateway:GetUsagePlanKeys:${id}`);
};

/** v1 VPC links (to a network load balancer): what REST and WebSocket private integrations go through. */
const getVpcLink: Handler = (input, ctx) => {
  const id = str(input.vpcLinkId);
  const link = (ctx.account.apigateway?.vpcLinks ?? []).find((l) => l.id === id);
  // The text API Gateway uses for unknown ids of other resources (GetRestApi).
  if (!link) throw notFound(`Invalid VpcLink identifier specified ${ctx.accountId}:${id ?? ''}`);
  return copy(link);
};

export const apigatewayHandlers: ServiceHandlers = {
  GetRestApi: getRestApi,
  GetRestApis: getRestApis,
  GetAccount: getAccount,
  GetStages: getStages,
  GetStage: getStage,
  GetDeployment: getDeployment,
  GetDeployments: getDeployments,
  GetResources: getResources,
  GetAuthorizers: getAuthorizers,
  GetDomainNames: getDomainNames,
  GetBasePathMappings: getBasePathMappings,
  GetGatewayResponses: getGatewayResponses,
  GetUsagePlans: getUsagePlans,
  GetUsagePlanKeys: getUsagePlanKeys,
  GetVpcLink: getVpcLink,
};
