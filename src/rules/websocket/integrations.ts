import type { Finding } from '../../core/finding.js';
import { clip, evidenceOf, finding, inconclusive, requireAnySource, requireSources } from '../helpers.js';
import { describeArn } from '../../core/arn-match.js';
import { lambdaInvokeDecision } from '../../core/policy.js';
import { defineRule } from '../types.js';
import { postsToConnections, rolesAllow, routeBackends, routeSourceArns, connectionsArn, type RouteBackend } from './backends.js';
import { causeOf } from './causes.js';
import { Count } from '../counting/index.js';
import { countFinding, countRefs, merged, tallyEvents, tallyFunction, weigh, type Tallied } from './counts.js';
import { isMessageRoute, stageEvents, wsRoutes, wsStages } from './events.js';

/** Failed events of one cause, per route (both handshakes and messages). */
function routeTallies(input: Parameters<typeof tallyEvents>[0], cause: string): Tallied {
  const routes = wsRoutes(input);
  return merged(
    tallyEvents(input, { eventType: 'CONNECT', byRoute: true, match: (e) => causeOf(e, routes) === cause }),
    tallyEvents(input, { eventType: 'MESSAGE', byRoute: true, match: (e) => causeOf(e, routes) === cause }),
  );
}

/**
 * W11: API Gateway may not invoke a route's function: no statement for `…/<stage>/<routeKey>`
 * (the console writes `…/*\/sendmessage`; CDK once wrote `…/*\/*sendmessage`, aws/aws-cdk#22940),
 * no credentials role. Clients get "Internal server error" (a 500 at $connect).
 */
export const w11LambdaPermissionMissing = defineRule({
  id: 'W11.lambda-permission-missing',
  severity: 'critical',
  title: 'API Gateway may not invoke a route\u2019s Lambda function',
  evaluate(input) {
    const denied: { b: RouteBackend; arn: string; reason: string }[] = [];
    for (const b of routeBackends(input)) {
      const fn = b.fn;
      if (!fn?.invokePermission || b.integration?.credentialsArn) continue;
      for (const { arn, account } of routeSourceArns(input, b.route.routeKey)) {
        const policy = fn.invokePermission.policy;
        if (!policy || lambdaInvokeDecision(policy, arn, account).match === 'no') {
          denied.push({ b, arn, reason: policy ? `no statement allows apigateway.amazonaws.com for ${describeArn(arn)}` : 'the function has no resource-based policy' });
          break;
        }
      }
    }
    const logged = weigh(input, 'Events failed: invalid permissions on Lambda function', 'decisive', routeTallies(input, 'W11'));
    if (!denied.length && !logged.count.passes) {
      const backends = routeBackends(input).filter((b) => b.integration?.lambdaArn);
      if (!backends.length) return [];
      const blocked = requireSources(input, this, ['lambda.functions'], 'a missing Lambda invoke permission');
      if (blocked) return blocked;
      return backends
        .filter((b) => b.fn?.unreadable && b.fn.state !== 'NotFound')
        .map((b) => inconclusive(this, `a missing invoke permission on ${b.fn?.functionName}`, [{ source: 'lambda.functions', why: b.fn?.unreadable ?? 'not readable', fix: `give the firebreak role read access to ${b.fn?.functionName}` }]));
    }
    const first = denied[0];
    return [
      {
        ...finding(this, {
          detail: [
            ...denied.map((d) => `Route ${d.b.route.routeKey} → ${d.b.fn?.functionName}: ${d.reason}.`),
            logged.count.passes ? `In the logs: ${logged.count.passing.map(Count.phrase).join('; ')}.` : '',
            'Clients get "Internal server error" on those routes (a 500 at $connect: no connection).',
          ]
            .filter(Boolean)
            .join(' '),
          evidence: [
            ...denied.map((d) => ({ source: 'lambda.functions', key: d.b.fn?.functionName ?? '?', quote: clip(`${d.b.fn?.functionName} for route ${d.b.route.routeKey}: ${d.reason}`) })),
            ...(logged.count.passes ? countRefs(logged) : []),
          ],
          fix: `aws lambda add-permission --function-name ${first?.b.fn?.functionName ?? '<function>'} --statement-id apigw-${input.target.restApiId}-${(first?.b.route.routeKey ?? 'route').replace(/\$/g, '')} --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn 'arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/*/${first?.b.route.routeKey ?? '<routeKey>'}'`,
        }),
        ...(logged.count.passes ? { figures: logged.count.figures } : {}),
      },
    ];
  },
});

/**
 * W12: the function of a message route fails (throws, or its runtime errors): the client gets an
 * "Internal server error" frame. Counted in the function's own log (failed invocations of all
 * invocations; its `@connections` failures are W16–W19's); in the access log when the function's
 * log was not read.
 */
export const w12FunctionErrors = defineRule({
  id: 'W12.function-errors',
  severity: 'high',
  title: 'A route\u2019s Lambda function fails: clients get "Internal server error"',
  evaluate(input) {
    const backends = routeBackends(input).filter((b) => isMessageRoute(b.route.routeKey) && b.integration?.lambdaArn);
    if (!backends.length) return [];
    const blocked = requireAnySource(input, this, ['logs.lambda', 'logs.access', 'logs.execution'], 'failing route functions');
    if (blocked) return blocked;
    const fromLogs = new Map<string, Tallied>();
    for (const b of backends) {
      if (!b.log || fromLogs.has(b.log.functionName) || b.log.errors === 0) continue;
      const lines = b.log.lines.filter((l) => /Invoke Error|errorType|Traceback|Runtime\./.test(l.message) && !/execute-api:ManageConnections|GoneException|ForbiddenException/.test(l.message));
      fromLogs.set(b.log.functionName, tallyFunction(input, b.log, b.log.errors, { times: lines.map((l) => l.timestamp), examples: lines.slice(0, 1).map((l) => l.message) }));
    }
    const unread = new Set(backends.filter((b) => !b.log).map((b) => b.route.routeKey));
    const events = routeTallies(input, 'W12');
    const fromEvents: Tallied = unread.size ? { ...events, tallies: events.tallies.filter((t) => unread.has(t.scope.name)) } : { tallies: [], examples: new Map() };
    return countFinding(this, input, weigh(input, 'Route function failures', 'server', merged(...fromLogs.values(), fromEvents)), (c) => ({
      detail: `${c.count.text()} The function throws or its runtime fails; API Gateway then answers the client {"message": "Internal server error"} and the function's own log says why.`,
      evidence: countRefs(c),
      fix: 'Fix the function (its log in /aws/lambda/<function> has the stack); a route function should catch its errors and answer {statusCode: 200}.',
    }));
  },
});

/** W13: the integration times out (50 ms – 29 s, not raisable): "Endpoint request timed out" (Kludex/mangum#128). */
export const w13IntegrationTimeout = defineRule({
  id: 'W13.integration-timeout',
  severity: 'high',
  title: 'Integrations time out: clients get "Endpoint request timed out"',
  evaluate(input) {
    const backends = routeBackends(input).filter((b) => b.integration);
    if (!backends.length) return [];
    const blocked = requireAnySource(input, this, ['logs.access', 'logs.execution', 'logs.lambda'], 'integration timeouts');
    if (blocked) return blocked;
    let tallied = routeTallies(input, 'W13');
    if (!tallied.tallies.length) {
      const seen = new Set<string>();
      tallied = merged(
        ...backends.flatMap((b) => {
          if (!b.log || !b.log.timeouts || seen.has(b.log.functionName)) return [];
          seen.add(b.log.functionName);
          const lines = b.log.lines.filter((l) => /Task timed out/.test(l.message));
          return [tallyFunction(input, b.log, b.log.timeouts, { times: lines.map((l) => l.timestamp), examples: lines.slice(0, 1).map((l) => l.message) })];
        }),
      );
    }
    return countFinding(
      this,
      input,
      weigh(input, 'Integration timeouts', 'server', tallied),
      (c) => {
        const routes = new Set(c.count.passing.map((s) => s.scope.name));
        const settings = backends
          .filter((b) => routes.has(b.route.routeKey) || (b.fn && routes.has(b.fn.functionName)))
          .map((b) => `${b.route.routeKey}: integration TimeoutInMillis ${b.integration?.timeoutInMillis ?? 29000}${b.fn?.timeout !== undefined ? `, ${b.fn.functionName} Timeout ${b.fn.timeout} s` : ''}`);
        return {
          detail: `${c.count.text()} API Gateway stops waiting at the integration's TimeoutInMillis (29 s at most, not raisable) and the client gets {"message": "Endpoint request timed out"}; ${settings.join('; ') || 'settings unknown'}.`,
          evidence: [...countRefs(c), ...settings.map((s) => ({ source: 'apigwv2.routes', quote: s }))],
          fix: 'Make the route answer quickly and do the slow work asynchronously, replying through the @connections API (PostToConnection) when done; or fix what makes the function slow.',
        };
      },
    );
  },
});

/**
 * W14: a one-way route where clients expect an answer: no `$default` route response (API Gateway
 * then sends nothing back, DG apigateway-websocket-api-route-response), and the function cannot
 * post back either (no execute-api:ManageConnections in its role, no `@connections` calls in its
 * log); or a two-way route whose non-proxy integration has no integration response.
 */
export const w14OneWayRoute = defineRule({
  id: 'W14.one-way-route',
  severity: 'medium',
  title: 'A route never answers its clients (one-way, and its backend cannot post back)',
  evaluate(input) {
    const blocked = requireSources(input, this, ['apigwv2.routes'], 'routes that never answer');
    if (blocked) return blocked;
    const trafficked = new Set(stageEvents(input).flatMap((s) => s.events.filter((e) => e.eventType === 'MESSAGE' && e.routeKey).map((e) => e.routeKey as string)));
    const haveLogs = stageEvents(input).length > 0;
    const silent: string[] = [];
    const unmapped: string[] = [];
    for (const b of routeBackends(input)) {
      if (!isMessageRoute(b.route.routeKey) || !b.integration) continue;
      if (haveLogs && !trafficked.has(b.route.routeKey)) continue;
      // A route that selects a route response is two-way unless its responses were read and none is $default.
      const twoWay = Boolean(b.route.routeResponseSelectionExpression) && (b.route.routeResponses?.some((r) => r.responseKey === '$default') ?? true);
      if (!twoWay) {
        // A backend that may post to connections answers asynchronously: that is the usual design.
        if (!b.fn || !b.role || postsToConnections(b)) continue;
        const stage = wsStages(input)[0]?.stageName ?? '*';
        if (rolesAllow(b.role, connectionsArn(input, stage)) === 'allowed') continue;
        silent.push(`${b.route.routeKey} (${b.fn.functionName}: no route response, and its role ${b.role.roleArn.split('/').pop()} has no execute-api:ManageConnections)`);
      } else if (b.integration.integrationType !== 'AWS_PROXY' && b.integration.integrationType !== 'HTTP_PROXY' && b.integration.integrationResponses && b.integration.integrationResponses.length === 0) {
        unmapped.push(`${b.route.routeKey} (${b.integration.integrationType} integration ${b.integration.integrationId} without an integration response)`);
      }
    }
    if (!silent.length && !unmapped.length) return [];
    return [
      finding(this, {
        detail: `${[...silent, ...unmapped].join('; ')}. Clients that send to ${silent.length + unmapped.length > 1 ? 'these routes' : 'this route'} and wait for an answer get nothing: API Gateway returns the integration's result only through a $default route response${unmapped.length ? ' (and, for non-proxy integrations, an integration response)' : ''}, and the backend cannot reply through @connections.`,
        evidence: [...silent, ...unmapped].map((text) => ({ source: 'apigwv2.routes', quote: clip(text) })),
        fix: `Make the route two-way (aws apigatewayv2 update-route --api-id ${input.target.restApiId} --route-id <id> --route-response-selection-expression '$default' and create-route-response --route-response-key '$default'), or let the backend post the answer (grant its role execute-api:ManageConnections on …/<stage>/POST/@connections/*).`,
      }),
    ];
  },
});

/**
 * W15: a private integration's VPC link (v1, to an NLB) is not available, gone, or named by a
 * stage variable the stage does not set; and the backend cannot reply when the connection id is
 * not passed to it (`integration.request.header.<name>` ← `context.connectionId`, KC
 * api-gateway-vpc-link-integration).
 */
export const w15VpcLinkProblem = defineRule({
  id: 'W15.vpc-link-problem',
  severity: 'critical',
  title: 'A VPC link of the WebSocket API is unavailable or misconfigured',
  evaluate(input) {
    const findings: Finding[] = [];
    const links = evidenceOf(input, 'apigwv2.vpc-links') ?? [];
    const broken = links.filter((l) => l.status !== 'AVAILABLE');
    if (broken.length) {
      findings.push(
        finding(this, {
          detail: `${broken.map((l) => `VPC link ${l.vpcLinkId} is ${l.status ?? 'unknown'}${l.statusMessage ? ` (${l.statusMessage})` : ''}${l.unreadable ? ` (${l.unreadable})` : ''}, used by integration(s) ${l.usedBy.join(', ')}`).join('; ')}: requests through it cannot reach the load balancer.`,
          evidence: broken.map((l) => ({ source: 'apigwv2.vpc-links', key: l.vpcLinkId, quote: clip(`${l.vpcLinkId} ${l.status ?? '?'}${l.statusMessage ? `: ${l.statusMessage}` : ''}${l.unreadable ? `: ${l.unreadable}` : ''}`) })),
          fix: 'Fix or recreate the VPC link (aws apigateway get-vpc-link --vpc-link-id <id>; its targetArns must be an active network load balancer in the same account), set the stage variable it is named by, then redeploy.',
        }),
      );
    }
    const integrations = (evidenceOf(input, 'apigwv2.routes')?.integrations ?? []).filter((i) => i.connectionType === 'VPC_LINK');
    const noConnectionId = integrations.filter((i) => !Object.entries(i.requestParameters ?? {}).some(([key, value]) => key.startsWith('integration.request.') && /context\.connectionId/.test(value)));
    if (noConnectionId.length) {
      findings.push(
        finding(this, {
          severity: 'medium',
          title: 'A VPC-link backend is not told the connection id: it cannot answer through @connections',
          detail: `Integration(s) ${noConnectionId.map((i) => i.integrationId).join(', ')} go through a VPC link without mapping the connection id into the request: WebSocket APIs do not pass it to VPC-link backends by default, so they cannot post to the client.`,
          evidence: noConnectionId.map((i) => ({ source: 'apigwv2.routes', key: i.integrationId, quote: `${i.integrationId} VPC_LINK RequestParameters: ${JSON.stringify(i.requestParameters ?? {})}` })),
          fix: `aws apigatewayv2 update-integration --api-id ${input.target.restApiId} --integration-id ${noConnectionId[0]?.integrationId} --request-parameters 'integration.request.header.ConnectionId'='context.connectionId', then deploy.`,
        }),
      );
    }
    return findings;
  },
});
