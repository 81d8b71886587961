import type { Figure } from '../../src/core/finding.js';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { authorizerInvoked, functionInvoked, type WsEventFacts } from '../../src/sandbox/websocket-lines.js';
import { websocketEvents } from '../../src/sandbox/websocket-traffic.js';

/**
 * The oracle's WebSocket half: every event the generator drew (`websocketEvents`, the draws the
 * logs and metrics are written from), and for each W rule which of them ARE its failure, in the
 * generator's own kinds. Event figures are held against the events of their type in scope;
 * function figures against the function's invocations.
 */
type Match = (f: WsEventFacts) => boolean;

const kinds =
  (eventType: WsEventFacts['eventType'] | undefined, ...list: string[]): Match =>
  (f) =>
    (eventType === undefined || f.eventType === eventType) && list.includes(f.kind);
const callbacks =
  (...list: string[]): Match =>
  (f) =>
    f.callback !== undefined && list.includes(f.callback.kind);

/** Failures per rule (and, for W20, per what the figure counts). */
function matcherOf(rule: string, what: string): Match | undefined {
  switch (rule.split('.')[0]) {
    case 'W1':
      return kinds('CONNECT', 'unauthorized', 'api_key_invalid');
    case 'W2':
      return kinds('CONNECT', 'authorizer_deny');
    case 'W3':
      return kinds('CONNECT', 'authorizer_error');
    case 'W4':
      return kinds('CONNECT', 'connect_rejected', 'lambda_error');
    case 'W5':
      return kinds('CONNECT', 'iam_denied');
    case 'W6':
      return kinds('MESSAGE', 'no_route');
    case 'W9':
      return kinds('MESSAGE', 'no_integration');
    case 'W11':
      return kinds(undefined, 'missing_permission');
    case 'W12':
      return kinds(undefined, 'lambda_error');
    case 'W13':
      return kinds(undefined, 'integration_timeout');
    case 'W16':
      return callbacks('gone');
    case 'W17':
      return callbacks('access_denied');
    case 'W18':
      return callbacks('wrong_endpoint');
    case 'W19':
      return callbacks('too_large', 'limit_exceeded');
    case 'W20':
      return /2-hour/.test(what) ? kinds('DISCONNECT', 'max_duration') : kinds('DISCONNECT', 'idle_timeout');
    case 'W21':
      return kinds('DISCONNECT', 'too_large', 'binary_frame');
    case 'W22':
      return kinds(undefined, 'throttled');
    default:
      return undefined;
  }
}

const UNIT_EVENT: Partial<Record<Figure['unit'], WsEventFacts['eventType']>> = { connections: 'CONNECT', messages: 'MESSAGE', events: 'DISCONNECT' };
const nameOf = (arn: string | undefined) => arn?.split(':')[6];

/** The truth of a W figure over [from, until), or undefined when the scenario has no WebSocket traffic or the rule is not a W count. */
export function websocketTruthOf(scenario: Scenario, rule: string, f: Figure, from: number, until: number): { failures: number; total: number } | undefined {
  if (!rule.startsWith('W') || scenario.websocketTraffic.length === 0) return undefined;
  const match = matcherOf(rule, f.what);
  if (!match) return undefined;
  let failures = 0;
  let total = 0;
  for (const { facts } of websocketEvents(scenario)) {
    if (facts.time < from || facts.time >= until) continue;
    if (f.scope.kind === 'function') {
      const invoked = (functionInvoked(facts) && nameOf(facts.functionArn) === f.scope.name) || (authorizerInvoked(facts) && nameOf(facts.authorizer?.functionArn) === f.scope.name);
      if (!invoked) continue;
      total += 1;
      if (match(facts)) failures += 1;
      continue;
    }
    const stage = f.scope.kind === 'stage' ? f.scope.name : f.scope.stage;
    if (facts.stage !== stage || facts.eventType !== UNIT_EVENT[f.unit]) continue;
    if (f.scope.kind === 'route' && (facts.routeKey ?? '-') !== f.scope.name) continue;
    total += 1;
    if (match(facts)) failures += 1;
  }
  return { failures, total };
}
