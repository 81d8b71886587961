import { describe, expect, it } from 'vitest';
import { ClientFactory, type Transport, type TransportRequest } from '../../../src/aws/clients.js';
import type { LambdaFunctionEvidence, MetricSeries, MetricsEvidence, RestApiEvidence } from '../../../src/core/evidence.js';
import { requestsIn, seriesOf } from '../../../src/rules/counting/denominators.js';
import type { RuleInput } from '../../../src/rules/types.js';
import { unreadableAnswerError } from '../../../src/sandbox/aws-error.js';
import { loadScenario } from '../../../src/sandbox/load.js';
import { createSandboxTransport } from '../../../src/sandbox/transport.js';
import { metricsApiSource } from '../../../src/sources/metrics/api.js';
import { metricsLambdaSource } from '../../../src/sources/metrics/lambda.js';
import { runSources } from '../../../src/sources/runner.js';
import type { Source } from '../../../src/sources/types.js';
import { stubSource } from '../../support/stub-sources.js';

/**
 * What the metrics sources make of answers that are not AWS's: seen on the wire against moto
 * 5.2.1 (docs/wire.md), where a GetMetricData call with one `p99` query fails whole with an HTTP
 * 500 HTML page (AWS answers percentiles), and what an endpoint may leave out of an answer. The
 * row stays truthful, the other series are still used, and no count silently becomes 0.
 */
const HOME = '111111111111';
const NOW = Date.parse('2024-05-01T12:00:00Z');
const window = { since: new Date(NOW - 2 * 3600_000), until: new Date(NOW) };
const restApi: RestApiEvidence = { id: 'a1b2c3d4e5', name: 'shop-api', endpointTypes: ['REGIONAL'], vpcEndpointIds: [], policy: null, disableExecuteApiEndpoint: false };
const users = { functionArn: `arn:aws:lambda:us-east-1:${HOME}:function:shop-users`, functionName: 'shop-users', accountId: HOME, region: 'us-east-1', usedBy: ['integration'], layers: [] } as LambdaFunctionEvidence;

const hasExtendedStatistic = (request: TransportRequest) =>
  request.operation === 'GetMetricData' && (request.input.MetricDataQueries as { MetricStat?: { Stat?: string } }[]).some((q) => /^p\d/.test(q.MetricStat?.Stat ?? ''));

/** The sandbox's answers for `i4-lambda-function-error` (1,020 requests, 800 invocations), changed by `change`. */
async function run(sources: Source[], change: (request: TransportRequest, answer: () => Promise<unknown>) => Promise<unknown>) {
  const sandbox = createSandboxTransport(await loadScenario('i4-lambda-function-error'));
  const calls: TransportRequest[] = [];
  const transport: Transport = async (request) => {
    calls.push(request);
    return change(request, () => sandbox(request)) as ReturnType<Transport>;
  };
  const factory = new ClientFactory({ region: 'us-east-1', homeAccountId: HOME, transport, retryDelayMs: () => 1 });
  const result = await runSources({
    sources,
    target: { kind: 'api-gw', restApiId: restApi.id, region: 'us-east-1', stage: 'prod' },
    window,
    aws: factory.forAccount(),
    factory,
    dns: { resolveCname: async () => [], resolve4: async () => [] },
  });
  const rowOf = (id: string) => result.coverage.find((r) => r.source === id);
  const input: RuleInput = { target: { kind: 'api-gw', restApiId: restApi.id, region: 'us-east-1', stage: 'prod' }, window, evidence: result.evidence, coverage: result.coverage };
  return { result, calls, rowOf, input };
}

const seriesIn = (evidence: MetricsEvidence | undefined, metric: MetricSeries['metric'], kind = 'stage') => evidence?.series.find((s) => s.metric === metric && s.scope.kind === kind);

describe('metrics sources on answers that are not AWS\'s', () => {
  it('an endpoint that fails percentiles with HTTP 500 (moto): the counts are read apart and used, p99 is "not read"', async () => {
    const { result, calls, rowOf, input } = await run([stubSource('apigw.rest-api', restApi), stubSource('lambda.functions', [users]), metricsApiSource, metricsLambdaSource], (request, answer) =>
      hasExtendedStatistic(request) ? Promise.reject(unreadableAnswerError(500)) : answer(),
    );
    const api = rowOf('metrics.api');
    expect(api?.status).toBe('ok');
    expect(api?.reason).toMatch(/^prod: 1,020 requests, 20 4xx, 120 5xx, per route for 2 routes; /);
    expect(api?.reason).toContain('series not read (Latency p99 and IntegrationLatency p99): the service failed (HTTP 500; it answered text/html that is not an AWS response)');
    expect(api?.reason).not.toMatch(/\n|Deserialization/);
    expect(rowOf('metrics.lambda')).toMatchObject({ status: 'ok' });
    expect(rowOf('metrics.lambda')?.reason).toMatch(/^shop-users: 800 invocations, 120 errors, 0 throttles; 1 series not read \(Duration p99\): the service failed \(HTTP 500/);
    const evidence = result.evidence['metrics.api'];
    expect(seriesIn(evidence, 'requests')).toMatchObject({ status: 'Complete', total: 1020 });
    expect(seriesIn(evidence, 'latency_p99')).toMatchObject({ status: 'InternalError', timestamps: [], values: [] });
    expect(seriesIn(evidence, 'latency_p99')?.total).toBeUndefined();
    // The counting model takes the exact counts from metrics.
    expect(requestsIn(input, { kind: 'stage', name: 'prod' })).toMatchObject({ n: 1020, exact: true, basis: 'metrics' });
    expect(requestsIn(input, { kind: 'function', name: 'shop-users' })).toMatchObject({ n: 800, exact: true, basis: 'metrics' });
    // Each failed mixed call was read again in two: plain statistics, then the percentiles alone.
    const stats = calls.filter((c) => c.operation === 'GetMetricData').map((c) => [...new Set((c.input.MetricDataQueries as { MetricStat: { Stat: string } }[]).map((q) => q.MetricStat.Stat))].sort().join('+'));
    expect(stats.filter((s) => s === 'Sum').length).toBeGreaterThanOrEqual(1);
    expect(stats.filter((s) => s === 'p99').length).toBeGreaterThanOrEqual(1);
  });

  it('when every call fails, the row is an error in one line, never "no requests"', async () => {
    const { rowOf, input } = await run([stubSource('apigw.rest-api', restApi), metricsApiSource], (request, answer) =>
      request.operation === 'GetMetricData' ? Promise.reject(unreadableAnswerError(502)) : answer(),
    );
    const api = rowOf('metrics.api');
    expect(api?.status).toBe('error');
    expect(api?.error).toMatchObject({ kind: 'service_error' });
    expect(api?.error?.message).toMatch(/^the service failed \(HTTP 502; it answered text\/html that is not an AWS response\)$/);
    expect(requestsIn(input, { kind: 'stage', name: 'prod' })).toBeUndefined();
  });

  it('a query the answer leaves out is not read: no 0, and the row says so', async () => {
    const { result, rowOf, input } = await run([stubSource('apigw.rest-api', restApi), metricsApiSource], async (request, answer) => {
      const out = (await answer()) as { MetricDataResults?: { Id: string; Label?: string }[] };
      if (request.operation !== 'GetMetricData') return out;
      // The stage's Count result dropped from the answer.
      const stageCount = (request.input.MetricDataQueries as { Id: string; MetricStat: { Stat: string; Metric: { MetricName: string; Dimensions: { Name: string }[] } } }[]).find(
        (q) => q.MetricStat.Metric.MetricName === 'Count' && q.MetricStat.Metric.Dimensions.length === 2,
      );
      return { ...out, MetricDataResults: out.MetricDataResults?.filter((r) => r.Id !== stageCount?.Id) };
    });
    const api = rowOf('metrics.api');
    expect(api?.status).toBe('ok');
    expect(api?.reason).toMatch(/^prod: \? requests, 20 4xx, 120 5xx/);
    expect(api?.reason).toContain("1 series not read (Count Sum): no result for 1 query in CloudWatch's answer");
    expect(seriesIn(result.evidence['metrics.api'], 'requests')?.status).toBe('InternalError');
    expect(seriesOf(input, 'metrics.api', 'requests', { kind: 'stage', name: 'prod' })).toBeUndefined();
    // No metric, no other count: the stage's requests are unknown rather than 0.
    expect(requestsIn(input, { kind: 'stage', name: 'prod' })?.n).not.toBe(0);
  });

  it('an answer without StatusCode or with values missing is read, but never exact', async () => {
    const { result, rowOf, input } = await run([stubSource('apigw.rest-api', restApi), metricsApiSource], async (request, answer) => {
      const out = (await answer()) as { MetricDataResults?: Record<string, unknown>[] };
      if (request.operation !== 'GetMetricData') return out;
      return {
        ...out,
        MetricDataResults: out.MetricDataResults?.map((r, i) => {
          const { StatusCode: _status, ...rest } = r;
          // Every other result also loses its last value: a minute without its count is no count.
          return i % 2 ? { ...rest, Values: (r.Values as number[]).slice(0, -1) } : rest;
        }),
      };
    });
    expect(rowOf('metrics.api')?.reason).toMatch(/series not Complete \(PartialData\): those counts are not exact/);
    expect(result.evidence['metrics.api']?.series.every((s) => s.status === 'PartialData')).toBe(true);
    expect(requestsIn(input, { kind: 'stage', name: 'prod' })).toMatchObject({ exact: false, basis: 'metrics' });
  });

  it('ListMetrics paged with NextToken and repeating one metric per data point (moto): every set once, the last page\'s route included', async () => {
    const dims = (extra: Record<string, string>) => Object.entries({ ApiName: 'shop-api', Stage: 'prod', ...extra }).map(([Name, Value]) => ({ Name, Value }));
    const stage = { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: dims({}) };
    const route = { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: dims({ Method: 'GET', Resource: '/users' }) };
    const { rowOf, calls, result } = await run([stubSource('apigw.rest-api', restApi), metricsApiSource], (request, answer) => {
      if (request.operation !== 'ListMetrics') return answer();
      return Promise.resolve(request.input.NextToken === 'p2' ? { Metrics: [stage, route, route] } : { Metrics: Array.from({ length: 500 }, () => stage), NextToken: 'p2' });
    });
    expect(calls.filter((c) => c.operation === 'ListMetrics')).toHaveLength(2);
    expect(rowOf('metrics.api')?.reason).toMatch(/^prod: 1,020 requests, 20 4xx, 120 5xx, per route for 1 route$/);
    const requestSeries = result.evidence['metrics.api']?.series.filter((s) => s.metric === 'requests') ?? [];
    expect(requestSeries.map((s) => s.scope.kind)).toEqual(['stage', 'route']);
  });
});
