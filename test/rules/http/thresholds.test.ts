import { describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../../src/core/coverage.js';
import type { AccessLogRecord, Evidence, SourceId } from '../../../src/core/evidence.js';
import { SEVERITY_RANK, type Finding } from '../../../src/core/finding.js';
import { THRESHOLDS, type Threshold } from '../../../src/rules/counting/index.js';
import { h1NoMatchingRoute } from '../../../src/rules/http/h1-no-matching-route.js';
import { h10JwtRejected } from '../../../src/rules/http/h10-jwt-rejected.js';
import { h12AuthorizerIdentityMissing } from '../../../src/rules/http/h12-authorizer-identity-missing.js';
import { h13LambdaAuthorizerDenies } from '../../../src/rules/http/h13-lambda-authorizer-denies.js';
import { h14LambdaAuthorizerInvalidResponse } from '../../../src/rules/http/h14-lambda-authorizer-invalid-response.js';
import { h20LambdaFunctionErrors } from '../../../src/rules/http/h20-lambda-function-errors.js';
import { h21IntegrationTimeout } from '../../../src/rules/http/h21-integration-timeout.js';
import { h24Throttled } from '../../../src/rules/http/h24-throttled.js';
import type { Rule, RuleInput } from '../../../src/rules/types.js';

/**
 * Every HTTP count rule family at its threshold, just below and just above it, and at high
 * volume with a low share: the same counting model and threshold table as REST
 * (test/rules/thresholds.test.ts). Busy traffic (the share decides) and quiet traffic (the floor
 * decides). Failures are spread over the window (no onset), the newest a minute ago.
 */
const NOW = Date.parse('2024-05-01T12:00:00Z');
const API = 'k8h2t4p6v1';
const at = (minutesAgo: number) => NOW - minutesAgo * 60_000;
const FN = 'arn:aws:lambda:us-east-1:111111111111:function:orders';
const AUTHZ = 'arn:aws:lambda:us-east-1:111111111111:function:authz';

function evidence(): Evidence {
  return {
    'apigwv2.api': { apiId: API, name: 'orders-http', protocolType: 'HTTP', disableExecuteApiEndpoint: false },
    'apigwv2.stages': [{ stageName: '$default', autoDeploy: true, deploymentId: 'd1', routeSettings: {} }],
    'apigwv2.routes': {
      routes: [
        { routeId: 'r1', routeKey: 'GET /orders', authorizationScopes: [], integrationId: 'i1', target: 'integrations/i1' },
        { routeId: 'r2', routeKey: 'POST /orders', authorizationType: 'JWT', authorizerId: 'jwt1', authorizationScopes: [], integrationId: 'i1', target: 'integrations/i1' },
        { routeId: 'r3', routeKey: 'GET /admin', authorizationType: 'CUSTOM', authorizerId: 'lam1', authorizationScopes: [], integrationId: 'i1', target: 'integrations/i1' },
      ],
      integrations: [{ integrationId: 'i1', integrationType: 'AWS_PROXY', integrationUri: FN, lambdaArn: FN, payloadFormatVersion: '2.0', timeoutInMillis: 10_000 }],
    },
    'apigwv2.authorizers': [
      { authorizerId: 'jwt1', name: 'cognito', authorizerType: 'JWT', identitySource: ['$request.header.Authorization'], jwtIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab', jwtAudience: ['client'] },
      { authorizerId: 'lam1', name: 'token-check', authorizerType: 'REQUEST', identitySource: ['$request.header.X-Token'], jwtAudience: [], authorizerUri: AUTHZ, lambdaArn: AUTHZ, authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true },
    ],
    'lambda.functions': [
      { functionArn: FN, functionName: 'orders', usedBy: ['integration'], timeout: 5, layers: [], state: 'Active', invokePermission: { allowsThisApi: true, matchingStatements: ['s'] } },
      { functionArn: AUTHZ, functionName: 'authz', usedBy: ['authorizer'], timeout: 5, layers: [], state: 'Active', invokePermission: { allowsThisApi: true, matchingStatements: ['s'] } },
    ],
    'logs.access': [],
    'logs.lambda': [],
  };
}

function input(records: AccessLogRecord[], lambda?: { errors: number; invocations: number }): RuleInput {
  const e = evidence();
  e['logs.access'] = [{ stage: '$default', logGroup: '/aws/http-api/orders', format: 'json', records, unparsed: [] }];
  if (lambda) {
    e['logs.lambda'] = [
      {
        functionName: 'orders',
        logGroup: '/aws/lambda/orders',
        errors: lambda.errors,
        timeouts: 0,
        throttles: 0,
        lines: Array.from({ length: lambda.errors }, (_, i) => ({ timestamp: at(1 + ((i * 37) % 100)), message: 'ERROR\tInvoke Error \t{"errorType":"TypeError"}' })),
        invocations: lambda.invocations,
        invocationsExact: true,
        lastInvocation: at(0.5),
      },
    ];
  }
  const coverage: CoverageRow[] = (Object.keys(e) as SourceId[]).map((source) => ({ source, title: source, status: 'ok', durationMs: 1, calls: [] }));
  return { target: { kind: 'api-gw', restApiId: API, region: 'us-east-1', apiType: 'HTTP' }, window: { since: new Date(NOW - 2 * 3600_000), until: new Date(NOW) }, evidence: e, coverage };
}

interface Case {
  rule: Rule;
  threshold: Threshold;
  route: string;
  /** One failing request's record. */
  failure: Pick<AccessLogRecord, 'status'> & { httpMethod?: string; fields: Record<string, string> };
}

const CASES: Case[] = [
  { rule: h1NoMatchingRoute, threshold: THRESHOLDS.client, route: 'GET /orders', failure: { status: 404, fields: { routeKey: '-', path: '/v1/orders' } } },
  { rule: h10JwtRejected, threshold: THRESHOLDS.client, route: 'POST /orders', failure: { status: 401, httpMethod: 'POST', fields: { routeKey: 'POST /orders', 'authorizer.error': 'the token does not have a valid audience' } } },
  { rule: h12AuthorizerIdentityMissing, threshold: THRESHOLDS.client, route: 'GET /admin', failure: { status: 401, fields: { routeKey: 'GET /admin' } } },
  { rule: h13LambdaAuthorizerDenies, threshold: THRESHOLDS.deny, route: 'GET /admin', failure: { status: 403, fields: { routeKey: 'GET /admin', 'error.responseType': 'ACCESS_DENIED' } } },
  { rule: h14LambdaAuthorizerInvalidResponse, threshold: THRESHOLDS.server, route: 'GET /admin', failure: { status: 500, fields: { routeKey: 'GET /admin', 'authorizer.error': 'The response from the Lambda authorizer is not in the expected format' } } },
  { rule: h21IntegrationTimeout, threshold: THRESHOLDS.server, route: 'GET /orders', failure: { status: 503, fields: { routeKey: 'GET /orders', 'integration.latency': '10001', 'error.message': 'Service Unavailable' } } },
  { rule: h24Throttled, threshold: THRESHOLDS.throttle, route: 'GET /orders', failure: { status: 429, fields: { routeKey: 'GET /orders', 'error.message': 'Too Many Requests' } } },
];

/** `total` requests to the case's route, `failing` of them failing, spread over the window. */
function records(c: Case, total: number, failing: number): AccessLogRecord[] {
  const [method = 'GET'] = c.route.split(' ');
  return Array.from({ length: total }, (_, i) => {
    const fail = i < failing;
    const minutesAgo = fail ? 1 + ((i * 37) % 100) : 1 + ((i * 7) % 100);
    return {
      timestamp: at(minutesAgo),
      requestId: `r-${i}`,
      ip: `198.51.100.${1 + (i % 200)}`,
      httpMethod: fail ? (c.failure.httpMethod ?? method) : method,
      status: fail ? c.failure.status : 200,
      fields: fail ? { ...c.failure.fields } : { routeKey: c.route, 'integration.status': '200' },
    };
  });
}

const aboveLow = (findings: Finding[]) => findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.low && !f.inconclusive);
const atThreshold = (t: Threshold, total: number) => Math.max(t.floor, Math.ceil(t.minShare * total - 1e-9));

describe('HTTP count thresholds (the one table)', () => {
  for (const c of CASES) {
    describe(c.rule.id, () => {
      for (const total of [1000, 40]) {
        const k = atThreshold(c.threshold, total);
        const decides = k === c.threshold.floor ? 'floor' : 'share';
        it(`${total} requests: fires at the threshold (${k}, the ${decides})`, () => {
          const [f] = aboveLow(c.rule.evaluate(input(records(c, total, k))));
          expect(f?.rule).toBe(c.rule.id);
          expect(f?.figures?.[0]).toMatchObject({ numerator: k, exact: true, basis: 'logs' });
        });
        it(`${total} requests: fires just above it (${k + 1})`, () => {
          expect(aboveLow(c.rule.evaluate(input(records(c, total, k + 1)))).map((f) => f.rule)).toEqual([c.rule.id]);
        });
        it(`${total} requests: just below it (${k - 1}) claims nothing above low`, () => {
          expect(aboveLow(c.rule.evaluate(input(records(c, total, k - 1))))).toEqual([]);
        });
      }
      it('high volume, low share: many failures, a small share of a busy route, nothing above low', () => {
        const total = 20_000;
        const failing = Math.floor((c.threshold.minShare / 2) * total);
        expect(failing).toBeGreaterThanOrEqual(10 * c.threshold.floor);
        expect(aboveLow(c.rule.evaluate(input(records(c, total, failing))))).toEqual([]);
      });
    });
  }

  describe('H20.lambda-function-errors, against the function\u2019s invocations', () => {
    const t = THRESHOLDS.server;
    for (const total of [1000, 40]) {
      const k = atThreshold(t, total);
      it(`${total} invocations: fires at ${k}, not at ${k - 1}`, () => {
        const base = records(CASES[0] as Case, 10, 0);
        expect(aboveLow(h20LambdaFunctionErrors.evaluate(input(base, { errors: k, invocations: total }))).map((f) => f.rule)).toEqual(['H20.lambda-function-errors']);
        expect(aboveLow(h20LambdaFunctionErrors.evaluate(input(base, { errors: k - 1, invocations: total })))).toEqual([]);
      });
    }
    it('8 error lines in 1,800 invocations: a low "seen 8 times" note, never a cause', () => {
      const findings = h20LambdaFunctionErrors.evaluate(input(records(CASES[0] as Case, 10, 0), { errors: 8, invocations: 1800 }));
      expect(aboveLow(findings)).toEqual([]);
      expect(findings[0]).toMatchObject({ severity: 'low', title: expect.stringMatching(/seen 8 times, below the threshold/) });
      expect(findings[0]?.figures?.[0]).toMatchObject({ numerator: 8, denominator: 1800, unit: 'invocations' });
    });
  });
});
