import { evidenceOf, finding, requireAnySource, requireSources } from '../helpers.js';
import { defaultEndpointDisabled } from '../http/h4-default-endpoint-disabled.js';
import { mappingsToMissingStages } from '../http/h6-api-mapping-wrong.js';
import { undeployedChanges } from '../http/h3-changes-not-deployed.js';
import { defineRule } from '../types.js';
import { messageCause } from './causes.js';
import { Count } from '../counting/index.js';
import { countFinding, countRefs, tallyEvents, weigh } from './counts.js';
import { isMessageRoute, wsRoutes } from './events.js';

/**
 * W6: a message selects no route and there is no `$default`: API Gateway answers a "Forbidden"
 * frame and no integration runs (aws-samples/simple-websockets-chat-app#24). The selection key is
 * the value the route selection expression finds (`action` vs `message`, `sendMessage` vs
 * `sendmessage`: keys are case-sensitive), `""` when it finds nothing; non-JSON goes to `$default`.
 */
export const w6NoRouteMatched = defineRule({
  id: 'W6.no-route-matched',
  severity: 'high',
  title: 'Messages match no route and there is no $default route: they are dropped',
  evaluate(input) {
    const blocked = requireSources(input, this, ['apigwv2.routes'], 'messages that match no route');
    if (blocked) return blocked;
    const routes = wsRoutes(input);
    if (routes.some((r) => r.routeKey === '$default')) return [];
    const logs = requireAnySource(input, this, ['logs.access', 'logs.execution'], 'messages that match no route (no $default route)');
    if (logs) return logs;
    const api = evidenceOf(input, 'apigwv2.api');
    const keys = routes.filter((r) => isMessageRoute(r.routeKey)).map((r) => r.routeKey);
    const unmatched = weigh(input, 'Messages matching no route (Forbidden)', 'client', tallyEvents(input, { eventType: 'MESSAGE', match: (e) => messageCause(e, routes) === 'W6' }));
    // Routes created after the live deployment are refused the same way: W7 names that cause.
    const undeployed = undeployedChanges(w7ChangesNotDeployed, input, '').filter((f) => !f.inconclusive && f.detail.includes('Route'));
    const found = countFinding(this, input, unmatched, (c) => {
        const mixedCase = keys.filter((k) => k !== k.toLowerCase());
        return {
          detail: `${c.count.text()} The API selects routes with ${api?.routeSelectionExpression ?? '(unknown expression)'} and has the message routes ${keys.join(', ') || '(none)'} but no $default route: a message whose selection value matches none of them exactly (keys are case-sensitive${mixedCase.length ? `, e.g. ${mixedCase[0]}` : ''}) is answered {"message": "Forbidden"} and dropped; no integration runs, so nothing appears in the functions' logs.`,
          evidence: [...countRefs(c), { source: 'apigwv2.routes', quote: `routes: ${routes.map((r) => r.routeKey).join(', ')}; no $default` }],
          fix: `Send a selection value that is one of ${keys.join(', ') || 'the route keys'} (exact case), or add a $default route to catch the rest: aws apigatewayv2 create-route --api-id ${input.target.restApiId} --route-key '$default' --target integrations/<id>, then deploy.`,
        };
      });
    if (!undeployed.length) return found;
    return found.map((f) => ({ ...f, severity: 'low' as const, title: `${f.title} (explained by W7: routes changed after the live deployment)` }));
  },
});

/** W7: the change is not live: a stage without a deployment (403 at connect), a failed deployment, or changes after it. */
export const w7ChangesNotDeployed = defineRule({
  id: 'W7.changes-not-deployed',
  severity: 'high',
  title: 'Changes to the WebSocket API are not deployed to the stage',
  evaluate(input) {
    return undeployedChanges(this, input, 'no client can connect (403 at the handshake) and new routes answer "Forbidden"');
  },
});

/** W8: the default wss:// endpoint is disabled and no custom domain reaches the API. */
export const w8DefaultEndpointDisabled = defineRule({
  id: 'W8.default-endpoint-disabled',
  severity: 'critical',
  title: 'The default execute-api endpoint is disabled and no custom domain reaches the API',
  evaluate(input) {
    return defaultEndpointDisabled(this, input, { kind: 'WebSocket API', refused: 'a refused handshake', short: 'no handshake' });
  },
});

/**
 * W9: a route without an integration (no Target, or one naming an integration that is gone):
 * messages to it fail with "Internal server error" (simple-websockets-chat-app#46, reported), and a
 * `$connect` without one lets no client in.
 */
export const w9RouteWithoutIntegration = defineRule({
  id: 'W9.route-without-integration',
  severity: 'high',
  title: 'A route has no integration',
  evaluate(input) {
    const blocked = requireSources(input, this, ['apigwv2.routes'], 'routes without an integration');
    if (blocked) return blocked;
    const evidence = evidenceOf(input, 'apigwv2.routes');
    const ids = new Set((evidence?.integrations ?? []).map((i) => i.integrationId));
    const broken = wsRoutes(input).filter((r) => !r.integrationId || !ids.has(r.integrationId));
    if (broken.length === 0) return [];
    // Messages to such a route fail with 500: one is enough to say clients are hitting it.
    const hit = weigh(input, 'Messages failed on a route without integration', 'decisive', tallyEvents(input, { eventType: 'MESSAGE', byRoute: true, match: (e) => broken.some((r) => r.routeKey === e.routeKey) && (e.status ?? 0) >= 500 }));
    const blocking = broken.some((r) => r.routeKey === '$connect') || hit.count.passes;
    return [
      {
        ...finding(this, {
          ...(blocking ? { severity: 'critical' as const } : {}),
          detail: `${broken.map((r) => `Route ${r.routeKey} ${r.target ? `targets ${r.target}, which does not exist` : 'has no target'}`).join('; ')}: API Gateway cannot run it${broken.some((r) => r.routeKey === '$connect') ? ', and without a $connect integration no client can connect' : ''}.${hit.count.passes ? ` In the logs: ${hit.count.passing.map(Count.phrase).join('; ')}.` : ''}`,
          evidence: [...broken.map((r) => ({ source: 'apigwv2.routes', key: r.routeKey, quote: `route ${r.routeKey} Target: ${r.target ?? 'none'}` })), ...(hit.count.passes ? countRefs(hit) : [])],
          fix: `Attach an integration: aws apigatewayv2 update-route --api-id ${input.target.restApiId} --route-id ${broken[0]?.routeId ?? '<id>'} --target integrations/<integration-id>, then deploy.`,
        }),
        ...(hit.count.passes ? { figures: hit.count.figures } : {}),
      },
    ];
  },
});

/** W10: a custom domain's API mapping points at a stage the WebSocket API does not have. */
export const w10ApiMappingWrong = defineRule({
  id: 'W10.api-mapping-wrong',
  severity: 'critical',
  title: 'A custom domain maps the WebSocket API to a stage that does not exist',
  evaluate(input) {
    return mappingsToMissingStages(this, input, 'WebSocket API');
  },
});
