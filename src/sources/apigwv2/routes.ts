import { GetIntegrationsCommand, GetRoutesCommand, type Integration, type Route } from '@aws-sdk/client-apigatewayv2';
import type { HttpIntegrationEvidence, HttpRouteEvidence } from '../../core/evidence.js';
import { lambdaArnFromUri } from '../apigw/lambda-uri.js';
import { plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { recordAnswers } from '../record.js';
import { writeApigwv2Answer } from './record.js';
import { defineSource, type SourceContext } from '../types.js';

/** An HTTP API's Lambda integration names the function ARN itself, or the REST-style invocations URI. */
export function lambdaArnOfIntegrationUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  if (/^arn:aws[\w-]*:lambda:/.test(uri)) return uri;
  return lambdaArnFromUri(uri);
}

export function toIntegration(i: Integration): HttpIntegrationEvidence {
  const e: HttpIntegrationEvidence = { integrationId: i.IntegrationId ?? '' };
  if (i.IntegrationType) e.integrationType = i.IntegrationType;
  if (i.IntegrationUri) e.integrationUri = i.IntegrationUri;
  if (i.IntegrationMethod) e.integrationMethod = i.IntegrationMethod;
  if (i.IntegrationSubtype) e.integrationSubtype = i.IntegrationSubtype;
  if (i.PayloadFormatVersion) e.payloadFormatVersion = i.PayloadFormatVersion;
  if (i.TimeoutInMillis !== undefined) e.timeoutInMillis = i.TimeoutInMillis;
  if (i.ConnectionType) e.connectionType = i.ConnectionType;
  if (i.ConnectionId) e.connectionId = i.ConnectionId;
  if (i.CredentialsArn) e.credentialsArn = i.CredentialsArn;
  if (i.RequestParameters && Object.keys(i.RequestParameters).length > 0) e.requestParameters = { ...i.RequestParameters };
  if (i.TlsConfig?.ServerNameToVerify) e.tlsServerNameToVerify = i.TlsConfig.ServerNameToVerify;
  // WebSocket APIs may invoke Lambda without proxy (AWS) and transform with templates.
  const lambdaArn = (i.IntegrationType === 'AWS_PROXY' || i.IntegrationType === 'AWS') && !i.IntegrationSubtype ? lambdaArnOfIntegrationUri(i.IntegrationUri) : undefined;
  if (lambdaArn) e.lambdaArn = lambdaArn;
  if (i.PassthroughBehavior) e.passthroughBehavior = i.PassthroughBehavior;
  if (i.ContentHandlingStrategy) e.contentHandlingStrategy = i.ContentHandlingStrategy;
  if (i.TemplateSelectionExpression) e.templateSelectionExpression = i.TemplateSelectionExpression;
  return e;
}

export function toRoute(r: Route): HttpRouteEvidence {
  const e: HttpRouteEvidence = { routeId: r.RouteId ?? '', routeKey: r.RouteKey ?? '', authorizationScopes: r.AuthorizationScopes ?? [] };
  if (r.AuthorizationType) e.authorizationType = r.AuthorizationType;
  if (r.AuthorizerId) e.authorizerId = r.AuthorizerId;
  if (r.Target) {
    e.target = r.Target;
    const id = /^integrations\/(.+)$/.exec(r.Target)?.[1];
    if (id) e.integrationId = id;
  }
  // WebSocket-only settings (botocore: "Supported only for WebSocket APIs").
  if (r.RouteResponseSelectionExpression) e.routeResponseSelectionExpression = r.RouteResponseSelectionExpression;
  if (r.ModelSelectionExpression) e.modelSelectionExpression = r.ModelSelectionExpression;
  if (r.ApiKeyRequired) e.apiKeyRequired = true;
  return e;
}

/** A v2 API's routes and integrations, every page of both, read side by side. */
export function readRoutesAndIntegrations(ctx: SourceContext) {
  const ApiId = ctx.target.restApiId;
  return Promise.all([
    collectPages(async (token) => {
      const out = await ctx.aws.apigatewayv2.send(new GetRoutesCommand({ ApiId, ...(token ? { NextToken: token } : {}) }));
      return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    }, ctx.limits),
    collectPages(async (token) => {
      const out = await ctx.aws.apigatewayv2.send(new GetIntegrationsCommand({ ApiId, ...(token ? { NextToken: token } : {}) }));
      return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    }, ctx.limits),
  ]);
}

/** Routes that run without a client message: a WebSocket reply to them means nothing to the client. */
export const LIFECYCLE_ROUTES: ReadonlySet<string> = new Set(['$connect', '$disconnect']);

/**
 * Each route with its integration, in the order a request meets them; for a WebSocket API also a
 * message route's responses (two-way only with a `$default` one) and a non-proxy integration's
 * templates and responses. One describer for both kinds, reading the kind from the evidence.
 */
export const describeV2Routes: Describer<'apigwv2.routes'> = {
  order: 26,
  lines: (found, kit, all) => {
    const websocket = all['apigwv2.api']?.protocolType === 'WEBSOCKET';
    const integrations = new Map(found.integrations.map((i) => [i.integrationId, i]));
    return found.routes.map((route) => {
      const i = route.integrationId ? integrations.get(route.integrationId) : undefined;
      const integration = i
        ? ` integration ${kit.pairs({
            type: i.integrationType,
            uri: i.integrationUri,
            method: i.integrationMethod,
            subtype: i.integrationSubtype,
            payloadFormatVersion: i.payloadFormatVersion,
            timeoutMs: i.timeoutInMillis,
            connectionType: i.connectionType,
            connectionId: i.connectionId,
            credentials: i.credentialsArn,
            tlsServerName: i.tlsServerNameToVerify,
            requestParameters: i.requestParameters ? JSON.stringify(i.requestParameters) : undefined,
            passthrough: i.passthroughBehavior,
            templateSelection: i.templateSelectionExpression,
            integrationResponses: i.integrationResponses?.map((r) => r.responseKey).join(','),
          })}`
        : '';
      return `route ${route.routeKey} ${kit.pairs({
        routeId: route.routeId,
        auth: route.authorizationType,
        authorizer: route.authorizerId,
        scopes: route.authorizationScopes.length ? route.authorizationScopes : undefined,
        apiKeyRequired: route.apiKeyRequired,
        target: route.target ?? 'none',
        routeResponses: websocket && !LIFECYCLE_ROUTES.has(route.routeKey) ? route.routeResponses?.map((r) => r.responseKey).join(',') || 'none (one-way)' : undefined,
      })}${integration}`;
    });
  },
};

export const httpRoutesSource = defineSource({
  id: 'apigwv2.routes',
  title: 'Routes and integrations',
  dependsOn: [],
  calls: { chain: 1 },
  after: ['apigwv2.api'],
  async run(ctx) {
    const ApiId = ctx.target.restApiId;
    const [routes, integrations] = await readRoutesAndIntegrations(ctx);
    const evidence = { routes: routes.items.map(toRoute), integrations: integrations.items.map(toIntegration) };
    if (evidence.routes.length === 0) {
      return { status: 'empty', evidence, count: 0, reason: `HTTP API ${ApiId} has no routes: every request gets 404 Not Found` };
    }
    const byId = new Map(evidence.integrations.map((i) => [i.integrationId, i]));
    const types = new Map<string, number>();
    for (const i of evidence.integrations) {
      const label = `${i.integrationType ?? '?'}${i.connectionType === 'VPC_LINK' ? ' via VPC link' : ''}`;
      types.set(label, (types.get(label) ?? 0) + 1);
    }
    const noTarget = evidence.routes.filter((r) => !r.integrationId || !byId.has(r.integrationId));
    const parts = [
      `${plural(evidence.routes.length, 'route')} (${evidence.routes.slice(0, 6).map((r) => r.routeKey).join(', ')}${evidence.routes.length > 6 ? ', …' : ''})`,
      `${plural(evidence.integrations.length, 'integration')}${types.size ? ` (${[...types].map(([t, n]) => `${n} ${t}`).join(', ')})` : ''}`,
    ];
    if (noTarget.length) parts.push(`${plural(noTarget.length, 'route')} without an integration`);
    const truncated = routes.truncated ?? integrations.truncated;
    return { status: 'ok', evidence, count: evidence.routes.length, reason: parts.join('; '), ...(truncated ? { truncated } : {}) };
  },
  describe: describeV2Routes,
  record: recordAnswers(writeApigwv2Answer),
});
