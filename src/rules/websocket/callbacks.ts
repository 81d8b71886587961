import type { CallbackFailureKind, LambdaLogEvidence } from '../../core/evidence.js';
import { clip, evidenceOf, finding, requireSources } from '../helpers.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';
import { connectionsArn, postsToConnections, rolesAllow, routeBackends, type RouteBackend } from './backends.js';
import { Count } from '../counting/index.js';
import { countFinding, countRefs, merged, tallyFunction, weigh, type Tallied } from './counts.js';
import { wsStages } from './events.js';

/**
 * The backend side of a WebSocket API: functions that post to connections through the
 * `@connections` API (apigatewaymanagementapi PostToConnection, GetConnection, DeleteConnection).
 * Their failures are in their own logs only (catalogue §2.4); each function's invocations are
 * the denominator.
 */

/** Each function's log once, with the routes it serves. */
function backendLogs(input: RuleInput): { log: LambdaLogEvidence; routes: string[]; backends: RouteBackend[] }[] {
  const byName = new Map<string, { log: LambdaLogEvidence; routes: string[]; backends: RouteBackend[] }>();
  for (const b of routeBackends(input)) {
    if (!b.log) continue;
    const seen = byName.get(b.log.functionName) ?? { log: b.log, routes: [], backends: [] };
    seen.routes.push(b.route.routeKey);
    seen.backends.push(b);
    byName.set(b.log.functionName, seen);
  }
  // Functions whose log was read but that back no route (none today) still count for their own failures.
  for (const log of evidenceOf(input, 'logs.lambda') ?? []) if (!byName.has(log.functionName) && log.callbackFailures?.length) byName.set(log.functionName, { log, routes: [], backends: [] });
  return [...byName.values()];
}

function callbackTallies(input: RuleInput, kinds: readonly CallbackFailureKind[], only?: (routes: string[]) => boolean): Tallied {
  return merged(
    ...backendLogs(input).flatMap(({ log, routes }) => {
      if (only && !only(routes)) return [];
      const failures = (log.callbackFailures ?? []).filter((c) => kinds.includes(c.kind));
      const count = failures.reduce((n, c) => n + c.count, 0);
      if (count === 0) return [];
      return [tallyFunction(input, log, count, { last: Math.max(...failures.map((c) => c.lastSeen)), examples: failures.map((c) => c.example) })];
    }),
  );
}

/** Guard: the function logs must have been read to say anything about callbacks. */
function callbacksBlocked(rule: Rule, input: RuleInput, what: string) {
  return requireSources(input, rule, ['logs.lambda'], what);
}

/**
 * W16: posts to closed, never-opened or stale connections: GoneException (410). From `$connect`
 * it is a bug every time (the connection is not open until $connect returns, KC
 * 410-gone-api-gateway); elsewhere a share of the function's work beyond what departing clients
 * explain.
 */
export const w16PostingToGoneConnections = defineRule({
  id: 'W16.posting-to-gone-connections',
  severity: 'medium',
  title: 'The backend posts to connections that are gone (GoneException)',
  evaluate(input) {
    const blocked = callbacksBlocked(this, input, 'posts to gone connections');
    if (blocked) return blocked;
    const fromConnect = weigh(input, 'Posts to gone connections from $connect', 'telltale', callbackTallies(input, ['gone'], (routes) => routes.includes('$connect')));
    if (fromConnect.count.passes) {
      return [
        {
          ...finding(this, {
            severity: 'high',
            detail: `${fromConnect.count.text()} The $connect function posts to the connection it is handling: that connection does not exist until $connect returns, so every such post fails with 410 GoneException.`,
            evidence: countRefs(fromConnect),
            fix: 'Do not call PostToConnection from $connect: send the first message from a later route, or from a function invoked asynchronously after $connect returns (checking GetConnection first).',
          }),
          figures: fromConnect.count.figures,
        },
      ];
    }
    return countFinding(this, input, weigh(input, 'Posts to gone connections (GoneException)', 'gone', callbackTallies(input, ['gone'])), (c) => ({
        detail: `${c.count.text()} The backend posts to connection ids that no longer exist: clients that left (or reconnected with a new id) while their old id stayed in the backend's table. Messages meant for reconnected clients are lost.`,
        evidence: countRefs(c),
        fix: 'Delete a connection id when PostToConnection answers 410 and in $disconnect (which is best effort); clients must re-register their new connection id after a reconnect.',
      }));
  },
});

/**
 * W17: the backend may not post to connections: its role lacks execute-api:ManageConnections on
 * `…/<stage>/POST/@connections/*` (a POST-only grant refuses DELETE, aws/aws-cdk#18410). Decided
 * by the denial in its log, or by its role's policies for a function that posts.
 */
export const w17ManageConnectionsDenied = defineRule({
  id: 'W17.manage-connections-denied',
  severity: 'critical',
  title: 'The backend may not post to connections (execute-api:ManageConnections denied)',
  evaluate(input) {
    const logged = weigh(input, 'Posts refused: not authorized to perform execute-api:ManageConnections', 'decisive', callbackTallies(input, ['access_denied']));
    const stages = wsStages(input).map((s) => s.stageName);
    const config: string[] = [];
    for (const b of routeBackends(input)) {
      if (!b.role || b.role.unreadable?.length || !postsToConnections(b)) continue;
      const refused = stages.filter((stage) => rolesAllow(b.role as NonNullable<RouteBackend['role']>, connectionsArn(input, stage)) !== 'allowed');
      if (refused.length && !config.some((c) => c.startsWith(`${b.fn?.functionName} `))) {
        const granted = b.role.statements.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : s.Resource ? [s.Resource] : []));
        config.push(`${b.fn?.functionName} (role ${b.role.roleArn}) may not post on stage ${refused.join(', ')}${granted.length ? `: it is granted ManageConnections only on ${granted.slice(0, 2).join(', ')}` : ''}`);
      }
    }
    if (!logged.count.passes && !config.length) return [];
    return [
      {
        ...finding(this, {
          ...(logged.count.passes ? {} : { severity: 'high' as const }),
          detail: [logged.count.passes ? `${logged.count.passing.map(Count.phrase).join('; ')}.` : '', config.length ? `${config.join('; ')}.` : '', 'Every post, read or close of a connection by this backend fails with 403, so clients get no messages from it.'].filter(Boolean).join(' '),
          evidence: [...(logged.count.passes ? countRefs(logged) : []), ...config.map((c) => ({ source: 'iam.manage-connections', quote: clip(c) }))],
          fix: `Grant the backend's role execute-api:ManageConnections on arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/<stage>/*/@connections/* (POST, GET and DELETE).`,
        }),
        ...(logged.count.passes ? { figures: logged.count.figures } : {}),
      },
    ];
  },
});

/**
 * W18: the backend calls the wrong `@connections` endpoint: a custom domain with the stage in the
 * path ("No method found matching route prod/@connections/…"), no stage (ForbiddenException), or
 * a credential scoped to another Region. The callback endpoint is
 * `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>`.
 */
export const w18WrongCallbackEndpoint = defineRule({
  id: 'W18.wrong-callback-endpoint',
  severity: 'high',
  title: 'The backend calls the wrong @connections endpoint',
  evaluate(input) {
    const blocked = callbacksBlocked(this, input, 'a wrong @connections endpoint');
    if (blocked) return blocked;
    const stages = wsStages(input).map((s) => s.stageName);
    const domains = (evidenceOf(input, 'apigwv2.domains') ?? []).filter((d) => d.mapsToThisApi).map((d) => d.domainName);
    return countFinding(this, input, weigh(input, 'Posts refused by the @connections endpoint (Forbidden / no such route)', 'telltale', callbackTallies(input, ['wrong_endpoint'])), (c) => ({
        detail: `${c.count.text()} The backend's @connections client points at the wrong endpoint${domains.length ? ` (a custom domain such as ${domains[0]} adds its own mapping, so …/<stage>/@connections does not exist there)` : ''}: API Gateway refuses the call before it reaches any connection.`,
        evidence: countRefs(c),
        fix: `Build the client with endpoint https://${input.target.restApiId}.execute-api.${input.target.region}.amazonaws.com/${stages[0] ?? '<stage>'} (the stage in the path, the Region of the API).`,
      }));
  },
});

/** W19: posts refused for size (413, Data over 128 KB) or rate / full client buffer (429 LimitExceededException). */
export const w19CallbackLimits = defineRule({
  id: 'W19.callback-limits',
  severity: 'medium',
  title: 'Posts to connections are refused: too large or too fast',
  evaluate(input) {
    const blocked = callbacksBlocked(this, input, 'posts refused for size or rate');
    if (blocked) return blocked;
    return countFinding(this, input, weigh(input, 'Posts refused (PayloadTooLargeException / LimitExceededException)', 'server', callbackTallies(input, ['too_large', 'limit_exceeded'])), (c) => ({
        detail: `${c.count.text()} PostToConnection accepts at most 128 KB of Data (413 PayloadTooLargeException) and refuses posts beyond the allowed rate or into a full client buffer (429 LimitExceededException); those messages never reach the client.`,
        evidence: countRefs(c),
        fix: 'Split large payloads (or send a reference to fetch), and back off and retry on 429; a slow client fills its buffer: drop or coalesce messages for it.',
      }));
  },
});
