import { describe, expect, it } from 'vitest';
import { ClientFactory, type Transport, type TransportRequest } from '../../../src/aws/clients.js';
import type { LambdaFunctionEvidence, MetricsEvidence, RestApiEvidence, WafEvidence } from '../../../src/core/evidence.js';
import type { Target } from '../../../src/core/target.js';
import { metricsAlarmsSource } from '../../../src/sources/metrics/alarms.js';
import { metricsApiSource } from '../../../src/sources/metrics/api.js';
import { metricsLambdaSource } from '../../../src/sources/metrics/lambda.js';
import { metricsWafSource } from '../../../src/sources/metrics/waf.js';
import { MAX_QUERIES_PER_CALL, queriesPerCall, readSeries } from '../../../src/sources/metrics/read.js';
import { runSources } from '../../../src/sources/runner.js';
import type { Source } from '../../../src/sources/types.js';
import { createSandboxEnvironment } from '../../../src/sandbox/environment.js';
import { loadScenario } from '../../../src/sandbox/load.js';
import { stubSource } from '../../support/stub-sources.js';

const HOME = '111111111111';
const NOW = Date.parse('2024-05-01T12:00:00Z');
const window = { since: new Date(NOW - 2 * 3600_000), until: new Date(NOW) };

/** Runs sources against a built-in scenario with the given target kind. */
async function onScenario(name: string, sources: Source[], target: Partial<Target> = {}) {
  const scenario = await loadScenario(name);
  const env = createSandboxEnvironment(scenario);
  return runSources({
    sources,
    target: { kind: 'api-gw', restApiId: env.defaults.restApiId, region: env.defaults.region, ...(env.defaults.stage ? { stage: env.defaults.stage } : {}), ...target },
    window,
    aws: env.factory.forAccount(),
    factory: env.factory,
    dns: env.dns,
  });
}

/** Runs sources on a stub transport: every AWS answer comes from `answer`, every call is recorded. */
async function onStub(sources: Source[], answer: (request: TransportRequest) => Record<string, unknown>, target: Partial<Target> = {}) {
  const calls: TransportRequest[] = [];
  const transport: Transport = async (request) => {
    calls.push(request);
    return answer(request);
  };
  const factory = new ClientFactory({ region: 'us-east-1', homeAccountId: HOME, transport, retryDelayMs: () => 1 });
  const result = await runSources({
    sources,
    target: { kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1', ...target },
    window,
    aws: factory.forAccount(),
    factory,
    dns: { resolveCname: async () => [], resolve4: async () => [] },
  });
  return { ...result, calls };
}

const restApi = (name = 'shop-api'): RestApiEvidence => ({ id: 'a1b2c3d4e5', name, endpointTypes: ['REGIONAL'], vpcEndpointIds: [], policy: null, disableExecuteApiEndpoint: false });
const row = (result: Awaited<ReturnType<typeof onScenario>>, id: string) => result.coverage.find((r) => r.source === id);

describe('metrics.api', () => {
  it('REST: stage and per-method counts under ApiName, in one round of GetMetricData after ListMetrics', async () => {
    const result = await onScenario('i4-lambda-function-error', [stubSource('apigw.rest-api', restApi()), metricsApiSource]);
    const r = row(result, 'metrics.api');
    expect(r).toMatchObject({ status: 'ok', calls: ['cloudwatch:ListMetrics', 'cloudwatch:GetMetricData'] });
    expect(r?.reason).toMatch(/^prod: 1,020 requests, 20 4xx, 120 5xx, per route for 2 routes/);
    const evidence = result.evidence['metrics.api'] as MetricsEvidence;
    const users = evidence.series.find((s) => s.metric === '5xx' && s.scope.kind === 'route' && s.scope.name === 'GET /users');
    expect(users).toMatchObject({ namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: { ApiName: 'shop-api', Method: 'GET', Resource: '/users', Stage: 'prod' }, status: 'Complete', total: 120 });
    // Count series have every minute of the window, missing ones as 0.
    expect(users?.timestamps).toHaveLength(120);
    expect(evidence.detailed).toEqual([{ stage: 'prod', enabled: true }]);
  });

  it('REST with detailed metrics off says per-route counts come from logs', async () => {
    const result = await onScenario('counts-data-trace-route-release', [stubSource('apigw.rest-api', restApi()), metricsApiSource]);
    expect(row(result, 'metrics.api')?.reason).toContain('detailed metrics off: per-route counts come from logs');
    expect((result.evidence['metrics.api'] as MetricsEvidence).series.every((s) => s.scope.kind === 'stage')).toBe(true);
  });

  it('HTTP: keyed by ApiId, with the route dimension sets ListMetrics returns', async () => {
    const result = await onScenario('http-healthy', [metricsApiSource], { apiType: 'HTTP' });
    const evidence = result.evidence['metrics.api'] as MetricsEvidence;
    expect(row(result, 'metrics.api')?.status).toBe('ok');
    const route = evidence.series.find((s) => s.scope.kind === 'route' && s.scope.name === 'GET /orders/{id}' && s.metric === 'requests');
    expect(route?.dimensions).toEqual({ ApiId: 'k8h2t4p6v1', Method: 'GET', Resource: '/orders/{id}', Stage: '$default' });
    expect(route?.metricName).toBe('Count');
    expect(evidence.series.find((s) => s.metric === '5xx')?.metricName).toBe('5xx');
  });

  it('empty when no metric exists for the API (a wrong name finds an empty set, never an error)', async () => {
    const result = await onScenario('i4-lambda-function-error', [stubSource('apigw.rest-api', restApi('another-api')), metricsApiSource]);
    expect(row(result, 'metrics.api')).toMatchObject({ status: 'empty' });
    expect(row(result, 'metrics.api')?.reason).toMatch(/no API Gateway metrics for ApiName another-api/);
  });

  it('says so when CloudWatch answers PartialData after the page cap: those counts are not exact', async () => {
    const answer = (request: TransportRequest) => {
      if (request.operation === 'ListMetrics') return { Metrics: [{ Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'shop-api' }, { Name: 'Stage', Value: 'prod' }] }] };
      const queries = request.input.MetricDataQueries as { Id: string }[];
      return { MetricDataResults: queries.map((q) => ({ Id: q.Id, Timestamps: [new Date(NOW - 60_000)], Values: [5], StatusCode: 'PartialData' })), NextToken: 'more' };
    };
    const result = await onStub([stubSource('apigw.rest-api', restApi()), metricsApiSource], answer);
    const r = result.coverage.find((c) => c.source === 'metrics.api');
    expect(r?.reason).toContain('not Complete (PartialData): those counts are not exact');
    const series = (result.evidence['metrics.api'] as MetricsEvidence).series;
    expect(series.every((s) => s.status === 'PartialData')).toBe(true);
    // Paged with NextToken up to the page cap.
    expect(result.calls.filter((c) => c.operation === 'GetMetricData')).toHaveLength(20);
  });
});

describe('readSeries', () => {
  it('sends at most 500 queries and 100,800 points a call, all calls at once', async () => {
    expect(queriesPerCall(120)).toBe(MAX_QUERIES_PER_CALL);
    expect(queriesPerCall(1440)).toBe(70);
    let inFlight = 0;
    let peak = 0;
    const sizes: number[] = [];
    const factory = new ClientFactory({
      region: 'us-east-1',
      homeAccountId: HOME,
      transport: async (request) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        const queries = request.input.MetricDataQueries as { Id: string }[];
        sizes.push(queries.length);
        return { MetricDataResults: queries.map((q) => ({ Id: q.Id, Timestamps: [], Values: [], StatusCode: 'Complete' })) };
      },
    });
    const requests = Array.from({ length: 1200 }, (_, i) => ({ metric: 'requests' as const, scope: { kind: 'stage' as const, name: `s${i}` }, namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiName: 'x', Stage: `s${i}` }, stat: 'Sum' }));
    const read = await readSeries(factory.forAccount().cloudwatch, requests, window, { maxPages: 5 });
    expect(sizes.sort((a, b) => b - a)).toEqual([500, 500, 200]);
    expect(peak).toBe(3);
    expect(read.series).toHaveLength(1200);
    expect(read.series[0]?.total).toBe(0);
  });
});

describe('metrics.lambda and metrics.waf', () => {
  it('reads invocations, errors, throttles, duration and concurrency per function', async () => {
    const result = await onScenario('i4-lambda-function-error', [
      stubSource('lambda.functions', [{ functionArn: `arn:aws:lambda:us-east-1:${HOME}:function:shop-users`, functionName: 'shop-users', accountId: HOME, region: 'us-east-1', usedBy: ['integration'], layers: [] } as LambdaFunctionEvidence]),
      metricsLambdaSource,
    ]);
    expect(row(result, 'metrics.lambda')).toMatchObject({ status: 'ok', reason: 'shop-users: 800 invocations, 120 errors, 0 throttles' });
    const metrics = (result.evidence['metrics.lambda'] as MetricsEvidence).series.map((s) => `${s.metricName}/${s.stat}`);
    expect(metrics).toEqual(['Invocations/Sum', 'Errors/Sum', 'Throttles/Sum', 'Duration/p99', 'ConcurrentExecutions/Maximum']);
  });

  it('reads what WAF blocked, per web ACL and per rule', async () => {
    const acl: WafEvidence = { stage: 'prod', webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:regional/webacl/shop-edge/4f1c2d3e-0000-4000-8000-000000000001', name: 'shop-edge', rules: [{ name: 'geo-block', priority: 0, action: 'BLOCK' }] };
    const result = await onScenario('a8-waf-blocks', [stubSource('waf.web-acl', [acl]), metricsWafSource]);
    expect(row(result, 'metrics.waf')?.reason).toMatch(/^shop-edge: 957 allowed, 143 blocked \(blocked by geo-block 143\), 0 counted$/);
  });

  it('is not applicable to an HTTP API', async () => {
    const result = await onScenario('http-healthy', [stubSource('waf.web-acl', [], 'not_applicable'), metricsWafSource], { apiType: 'HTTP' });
    expect(row(result, 'metrics.waf')?.status).toBe('not_applicable');
  });
});

describe('metrics.alarms', () => {
  const alarm = (name: string, state: string, dims: Record<string, string>, namespace = 'AWS/ApiGateway', extra: Record<string, unknown> = {}) => ({
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:${HOME}:alarm:${name}`,
    StateValue: state,
    StateReason: `Threshold Crossed: ${name}`,
    StateUpdatedTimestamp: new Date(NOW - 60_000),
    StateTransitionedTimestamp: new Date(NOW - 20 * 60_000),
    Namespace: namespace,
    MetricName: '5XXError',
    Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 3,
    Threshold: 10,
    ComparisonOperator: 'GreaterThanThreshold',
    ...extra,
  });

  it('is empty against the sandbox with no alarms', async () => {
    const result = await onScenario('i4-lambda-function-error', [stubSource('apigw.rest-api', restApi()), metricsAlarmsSource]);
    expect(row(result, 'metrics.alarms')).toMatchObject({ status: 'empty', calls: ['cloudwatch:DescribeAlarms'] });
  });

  it('keeps the alarms on the API, its functions and its web ACL, with their state since its last change', async () => {
    const pages: Record<string, unknown>[] = [
      {
        MetricAlarms: [
          alarm('shop-5xx', 'ALARM', { ApiName: 'shop-api', Stage: 'prod' }),
          alarm('other-api-5xx', 'ALARM', { ApiName: 'billing', Stage: 'prod' }),
        ],
        NextToken: 'page2',
      },
      {
        MetricAlarms: [
          alarm('users-errors', 'OK', { FunctionName: 'shop-users' }, 'AWS/Lambda'),
          // A math alarm: its metrics are inside its queries.
          { ...alarm('waf-blocks', 'INSUFFICIENT_DATA', {}, 'AWS/WAFV2'), Namespace: undefined, MetricName: undefined, Dimensions: undefined, Metrics: [{ Id: 'm1', ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests', Dimensions: [{ Name: 'WebACL', Value: 'shop-edge' }, { Name: 'Region', Value: 'us-east-1' }, { Name: 'Rule', Value: 'ALL' }] }, Period: 60, Stat: 'Sum' } }] },
          alarm('cpu', 'ALARM', { InstanceId: 'i-1' }, 'AWS/EC2'),
        ],
      },
    ];
    const result = await onStub(
      [
        stubSource('apigw.rest-api', restApi()),
        stubSource('lambda.functions', [{ functionArn: `arn:aws:lambda:us-east-1:${HOME}:function:shop-users`, functionName: 'shop-users', usedBy: ['integration'], layers: [] } as LambdaFunctionEvidence]),
        stubSource('waf.web-acl', [{ stage: 'prod', webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:regional/webacl/shop-edge/1', name: 'shop-edge', rules: [] }]),
        metricsAlarmsSource,
      ],
      (request) => (request.input.NextToken === 'page2' ? pages[1] : pages[0]) as Record<string, unknown>,
    );
    const r = result.coverage.find((c) => c.source === 'metrics.alarms');
    expect(r?.status).toBe('ok');
    expect(r?.reason).toBe('3 alarms, 1 in ALARM: shop-5xx ALARM since 11:40, waf-blocks INSUFFICIENT_DATA since 11:40 and users-errors OK since 11:40');
    const evidence = result.evidence['metrics.alarms'] ?? [];
    expect(evidence[0]).toMatchObject({ alarmName: 'shop-5xx', state: 'ALARM', since: '2024-05-01T11:40:00.000Z', watches: { kind: 'stage', name: 'prod' }, threshold: 10, comparisonOperator: 'GreaterThanThreshold' });
    expect(evidence.find((a) => a.alarmName === 'waf-blocks')?.watches).toEqual({ kind: 'web-acl', name: 'shop-edge' });
    expect(result.calls.map((c) => c.input.AlarmTypes)).toEqual([['MetricAlarm'], ['MetricAlarm']]);
  });
});
