import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/core/evidence.js';
import { SEVERITY_RANK, type Finding } from '../../../src/core/finding.js';
import type { Rule } from '../../../src/rules/types.js';
import { w16PostingToGoneConnections, w17ManageConnectionsDenied, w18WrongCallbackEndpoint, w19CallbackLimits } from '../../../src/rules/websocket/callbacks.js';
import { w1IdentitySourceMissing, w2AuthorizerDenies, w3AuthorizerFails, w4ConnectIntegrationFails, w5IamConnectDenied } from '../../../src/rules/websocket/connect.js';
import { THRESHOLDS, type Threshold } from '../../../src/rules/counting/index.js';
import { w11LambdaPermissionMissing, w12FunctionErrors, w13IntegrationTimeout } from '../../../src/rules/websocket/integrations.js';
import { w20ConnectionLifetime, w21MessageTooLarge, w22Throttled } from '../../../src/rules/websocket/limits.js';
import { w6NoRouteMatched } from '../../../src/rules/websocket/routing.js';
import { callback, events, evidence, input, lambdaLog, NOW, withAccess, withExecution } from './fixtures.js';

/**
 * Every count-based W rule at its threshold, just below it (one event short of the floor, and
 * the floor at a share just under the minimum) and just above it (docs/rules.md, WebSocket
 * thresholds). At or above: a finding above low, with figures. Below: at most a low note.
 */
interface Case {
  rule: Rule;
  threshold: Threshold;
  /** The evidence with `failing` failures among `total` events (or invocations) of the scope. */
  build(failing: number, total: number): Evidence;
}

const noDefault = (e: Evidence): Evidence => ({ ...e, 'apigwv2.routes': { routes: (e['apigwv2.routes']?.routes ?? []).filter((r) => r.routeKey !== '$default'), integrations: e['apigwv2.routes']?.integrations ?? [] } });
const iamConnect = (e: Evidence): Evidence => ({ ...e, 'apigwv2.routes': { routes: (e['apigwv2.routes']?.routes ?? []).map((r) => (r.routeKey === '$connect' ? { ...r, authorizationType: 'AWS_IAM', authorizerId: undefined } : r)) as NonNullable<Evidence['apigwv2.routes']>['routes'], integrations: e['apigwv2.routes']?.integrations ?? [] } });
const access = (type: 'CONNECT' | 'MESSAGE' | 'DISCONNECT', failure: Record<string, string>, healthy: Record<string, string> = {}, change: (e: Evidence) => Evidence = (e) => e) => (failing: number, total: number) =>
  change(withAccess(evidence(), events(type, total, failing, failure, healthy)));
const functionLog = (name: string, make: (failing: number, total: number) => ReturnType<typeof lambdaLog>) => (failing: number, total: number): Evidence => ({ ...evidence(), 'logs.lambda': [make(failing, total)] });

const CASES: Case[] = [
  { rule: w1IdentitySourceMissing, threshold: THRESHOLDS.client, build: access('CONNECT', { status: '401', 'error.message': 'Unauthorized' }) },
  { rule: w2AuthorizerDenies, threshold: THRESHOLDS.deny, build: access('CONNECT', { status: '403', 'error.message': 'Forbidden', 'authorizer.status': '403' }) },
  { rule: w3AuthorizerFails, threshold: THRESHOLDS.server, build: access('CONNECT', { status: '500', 'error.responseType': 'AUTHORIZER_CONFIGURATION_ERROR', 'authorizer.error': 'Authorizer error' }) },
  { rule: w4ConnectIntegrationFails, threshold: THRESHOLDS.server, build: access('CONNECT', { status: '403', 'integration.status': '403', 'authorizer.status': '200' }) },
  {
    rule: w5IamConnectDenied,
    threshold: THRESHOLDS.client,
    build: access('CONNECT', { status: '403', 'error.message': 'User: arn:aws:sts::111111111111:assumed-role/d/s is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:w5k2m8q4r1/production/$connect' }, {}, iamConnect),
  },
  { rule: w6NoRouteMatched, threshold: THRESHOLDS.client, build: access('MESSAGE', { status: '403', 'error.message': 'Forbidden' }, { routeKey: 'sendmessage' }, noDefault) },
  { rule: w11LambdaPermissionMissing, threshold: THRESHOLDS.decisive, build: access('MESSAGE', { status: '500', routeKey: 'sendmessage', 'error.message': 'Internal server error', integrationErrorMessage: 'Invalid permissions on Lambda function' }, { routeKey: 'sendmessage' }) },
  { rule: w12FunctionErrors, threshold: THRESHOLDS.server, build: functionLog('chat-sendmessage', (failing, total) => lambdaLog('chat-sendmessage', total, failing)) },
  { rule: w13IntegrationTimeout, threshold: THRESHOLDS.server, build: access('MESSAGE', { status: '504', routeKey: 'sendmessage', 'error.message': 'Endpoint request timed out' }, { routeKey: 'sendmessage' }) },
  { rule: w16PostingToGoneConnections, threshold: THRESHOLDS.gone, build: functionLog('chat-sendmessage', (failing, total) => lambdaLog('chat-sendmessage', total, 0, failing ? [callback('gone', failing, 'GoneException: UnknownError')] : [])) },
  { rule: w17ManageConnectionsDenied, threshold: THRESHOLDS.decisive, build: functionLog('chat-sendmessage', (failing, total) => lambdaLog('chat-sendmessage', total, 0, failing ? [callback('access_denied', failing)] : [])) },
  { rule: w18WrongCallbackEndpoint, threshold: THRESHOLDS.telltale, build: functionLog('chat-sendmessage', (failing, total) => lambdaLog('chat-sendmessage', total, 0, failing ? [callback('wrong_endpoint', failing)] : [])) },
  { rule: w19CallbackLimits, threshold: THRESHOLDS.server, build: functionLog('chat-sendmessage', (failing, total) => lambdaLog('chat-sendmessage', total, 0, failing ? [callback('too_large', failing)] : [])) },
  { rule: w20ConnectionLifetime, threshold: THRESHOLDS.lifetime, build: access('DISCONNECT', { status: '200', connectedAt: '0' }) },
  {
    rule: w21MessageTooLarge,
    threshold: THRESHOLDS.server,
    build: (failing, total) =>
      withExecution(
        evidence(),
        Array.from({ length: total }, (_, i) => ({ timestamp: NOW - 1_000 * (i + 1), message: `(r${i}=) Client [Connection Id: c${i}=] disconnected from API [w5k2m8q4r1] with integration response status code [200]. Close reason: [${i < failing ? '1009: Message too big' : '1001: Going away'}]` })),
      ),
  },
  { rule: w22Throttled, threshold: THRESHOLDS.throttle, build: access('CONNECT', { status: '429', 'error.message': 'Too Many Requests' }) },
];

// An idle close: the DISCONNECT comes 10 minutes (and a little) after the connection opened.
for (const c of CASES) {
  if (c.rule === w20ConnectionLifetime) {
    const build = c.build;
    c.build = (failing, total) => {
      const e = build(failing, total);
      for (const r of e['logs.access']?.[0]?.records ?? []) if (r.fields.connectedAt === '0') r.fields.connectedAt = String(r.timestamp - 600_500);
      return e;
    };
  }
}

const claims = (findings: Finding[], rule: Rule) => findings.filter((f) => f.rule === rule.id && !f.inconclusive && SEVERITY_RANK[f.severity] < SEVERITY_RANK.low);
const notes = (findings: Finding[], rule: Rule) => findings.filter((f) => f.rule === rule.id && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.low);

/** The traffic that puts `failing` exactly at the minimum share (ample when there is none). */
const totalAt = (t: Threshold, failing: number) => (t.minShare > 0 ? Math.round(failing / t.minShare) : 200);

describe('W rule thresholds', () => {
  for (const c of CASES) {
    const { floor: minEvents, minShare } = c.threshold;
    describe(c.rule.id, () => {
      it(`fires at the threshold (${minEvents} and ${minShare * 100}%), with its figures`, () => {
        const found = claims(c.rule.evaluate(input(c.build(minEvents, totalAt(c.threshold, minEvents)))), c.rule);
        expect(found).toHaveLength(1);
        const figure = found[0]?.figures?.[0];
        expect(figure?.numerator).toBeGreaterThanOrEqual(minEvents);
        expect(figure?.from).toBe(new Date(NOW - 7200_000).toISOString());
      });

      it('fires just above it', () => {
        expect(claims(c.rule.evaluate(input(c.build(minEvents + 1, totalAt(c.threshold, minEvents)))), c.rule)).toHaveLength(1);
      });

      it('stays at most a low note one event below the floor', () => {
        const found = c.rule.evaluate(input(c.build(minEvents - 1, totalAt(c.threshold, minEvents))));
        expect(claims(found, c.rule)).toEqual([]);
        if (minEvents > 1) expect(notes(found, c.rule)[0]?.title).toMatch(/seen \d+ times?, below the threshold/);
      });

      if (minShare > 0) {
        it('stays at most a low note just under the minimum share', () => {
          const total = Math.floor(minEvents / minShare) + Math.ceil(1 / minShare);
          const found = c.rule.evaluate(input(c.build(minEvents, total)));
          expect(claims(found, c.rule)).toEqual([]);
          expect(notes(found, c.rule)).toHaveLength(1);
        });
      }
    });
  }
});
