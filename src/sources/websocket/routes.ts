import { GetIntegrationResponsesCommand, GetRouteResponsesCommand } from '@aws-sdk/client-apigatewayv2';
import type { HttpIntegrationEvidence, HttpRouteEvidence } from '../../core/evidence.js';
import { classifyError } from '../../aws/errors.js';
import { describeV2Routes, LIFECYCLE_ROUTES, readRoutesAndIntegrations, toIntegration, toRoute } from '../apigwv2/routes.js';
import { listText, plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import { recordAnswers } from '../record.js';
import { writeApigwv2Answer } from '../apigwv2/record.js';
import { defineSource, type SourceContext } from '../types.js';

async function routeResponses(ctx: SourceContext, route: HttpRouteEvidence): Promise<NonNullable<HttpRouteEvidence['routeResponses']>> {
  const read = await collectPages(async (token) => {
    const out = await ctx.aws.apigatewayv2.send(new GetRouteResponsesCommand({ ApiId: ctx.target.restApiId, RouteId: route.routeId, ...(token ? { NextToken: token } : {}) }));
    return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, ctx.limits);
  return read.items.map((r) => ({ responseKey: r.RouteResponseKey ?? '', ...(r.ModelSelectionExpression ? { modelSelectionExpression: r.ModelSelectionExpression } : {}) }));
}

async function integrationResponses(ctx: SourceContext, integration: HttpIntegrationEvidence): Promise<NonNullable<HttpIntegrationEvidence['integrationResponses']>> {
  const read = await collectPages(async (token) => {
    const out = await ctx.aws.apigatewayv2.send(
      new GetIntegrationResponsesCommand({ ApiId: ctx.target.restApiId, IntegrationId: integration.integrationId, ...(token ? { NextToken: token } : {}) }),
    );
    return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, ctx.limits);
  return read.items.map((r) => ({ responseKey: r.IntegrationResponseKey ?? '', ...(r.TemplateSelectionExpression ? { templateSelectionExpression: r.TemplateSelectionExpression } : {}) }));
}

/**
 * A WebSocket API's routes with their integrations, and what makes a route two-way: its
 * `$default` route response (GetRouteResponses, read for routes that say they have one) and, for
 * non-proxy integrations, the integration responses (DG apigateway-websocket-api-route-response).
 */
export const websocketRoutesSource = defineSource({
  id: 'apigwv2.routes',
  title: 'Routes and integrations',
  dependsOn: [],
  calls: { chain: 2, why: 'route and integration responses are read for the routes and integrations the lists return (side by side)' },
  after: ['apigwv2.api'],
  async run(ctx) {
    const ApiId = ctx.target.restApiId;
    const [routes, integrations] = await readRoutesAndIntegrations(ctx);
    const evidence = { routes: routes.items.map(toRoute), integrations: integrations.items.map(toIntegration) };
    if (evidence.routes.length === 0) {
      return { status: 'empty', evidence, count: 0, reason: `WebSocket API ${ApiId} has no routes: no client can connect ($connect is how a connection starts)` };
    }
    // Route responses exist only on routes that select one; integration responses matter for non-proxy
    // integrations. Neither is worth losing the routes over: one that cannot be read stays unknown.
    const unread = new Set<string>();
    const tryRead = async (what: string, read: () => Promise<void>) =>
      read().catch((err: unknown) => {
        const error = classifyError(err);
        unread.add(`${what} (${error.kind}${error.action ? ` ${error.action}` : ''})`);
      });
    await Promise.all([
      ...evidence.routes
        .filter((r) => r.routeResponseSelectionExpression)
        .map((r) =>
          tryRead('route responses', async () => {
            r.routeResponses = await routeResponses(ctx, r);
          }),
        ),
      ...evidence.integrations
        .filter((i) => i.integrationType === 'AWS' || i.integrationType === 'HTTP' || i.integrationType === 'MOCK')
        .map((i) =>
          tryRead('integration responses', async () => {
            i.integrationResponses = await integrationResponses(ctx, i);
          }),
        ),
    ]);
    const byId = new Map(evidence.integrations.map((i) => [i.integrationId, i]));
    const messageRoutes = evidence.routes.filter((r) => !LIFECYCLE_ROUTES.has(r.routeKey));
    const twoWay = messageRoutes.filter((r) => r.routeResponseSelectionExpression && (r.routeResponses?.some((rr) => rr.responseKey === '$default') ?? true));
    const noTarget = evidence.routes.filter((r) => !r.integrationId || !byId.has(r.integrationId));
    const keys = evidence.routes.map((r) => r.routeKey);
    const parts = [
      `${plural(evidence.routes.length, 'route')} (${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''})`,
      keys.includes('$default') ? 'unmatched messages go to $default' : 'no $default route: messages that match no route are refused',
      `${twoWay.length} of ${plural(messageRoutes.length, 'message route')} two-way${twoWay.length ? ` (${listText(twoWay.map((r) => r.routeKey))})` : ''}`,
      plural(evidence.integrations.length, 'integration'),
    ];
    if (noTarget.length) parts.push(`${listText(noTarget.map((r) => r.routeKey))} without an integration`);
    if (unread.size) parts.push(`not read: ${[...unread].join(', ')}`);
    const truncated = routes.truncated ?? integrations.truncated;
    return { status: 'ok', evidence, count: evidence.routes.length, reason: parts.join('; '), ...(truncated ? { truncated } : {}) };
  },
  describe: describeV2Routes,
  record: recordAnswers(writeApigwv2Answer),
});
