import { GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sandbox/load.js';
import { simulatedRequests } from '../../src/sandbox/requests.js';
import { trafficTruth } from '../../src/sandbox/truth.js';
import { baseScenario, environmentFor, HOME, NOW, NOW_MS } from './fixture.js';

/**
 * GetMetricData and ListMetrics as CloudWatch answers them, from the same seeded requests that
 * write the logs: exact dimension sets, periods aligned on the (minute-rounded) start, an
 * exclusive end, statistics, 500 queries a call, MaxDatapoints pages with NextToken.
 */
const TRAFFIC = {
  stage: 'prod',
  requests: 600,
  seed: 11,
  routes: [{ method: 'GET', path: '/users' }],
  outcomes: [
    { weight: 90, status: 200 },
    { weight: 6, status: 502, kind: 'lambda_error' },
    { weight: 4, status: 429, kind: 'throttled' },
  ],
};

function scenarioData(methodSettings: Record<string, unknown> = { '*/*': { loggingLevel: 'INFO' } }) {
  const data = baseScenario({ traffic: [TRAFFIC] });
  const accounts = data.accounts as { apigateway: { restApis: { stages: { methodSettings?: unknown }[] }[] } }[];
  const stage = accounts[0]!.apigateway.restApis[0]!.stages[0]!;
  stage.methodSettings = methodSettings;
  return data;
}

const START = new Date(NOW_MS - 2 * 3600_000);
const END = new Date(NOW);
const stageDims = [
  { Name: 'ApiName', Value: 'shop' },
  { Name: 'Stage', Value: 'prod' },
];

function query(id: string, metricName: string, stat: string, dims = stageDims, period = 60, namespace = 'AWS/ApiGateway'): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dims }, Period: period, Stat: stat } };
}

async function metricData(queries: MetricDataQuery[], extra: Record<string, unknown> = {}, data = scenarioData()) {
  const env = environmentFor(data);
  return env.factory.forAccount().cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: START, EndTime: END, ...extra }));
}

const sum = (values: number[] | undefined) => (values ?? []).reduce((n, v) => n + v, 0);

describe('sandbox CloudWatch metrics', () => {
  it('counts what the logs show: Count and 5XXError per stage equal the access records', async () => {
    const data = scenarioData();
    const out = await metricData([query('c', 'Count', 'Sum'), query('e', '5XXError', 'Sum'), query('f', '4XXError', 'Sum')], {}, data);
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
    const env = environmentFor(data);
    const records: string[] = [];
    let token: string | undefined;
    do {
      const page = await env.factory.forAccount().logs.send(new FilterLogEventsCommand({ logGroupName: 'access', startTime: START.getTime(), endTime: END.getTime() + 60_000, ...(token ? { nextToken: token } : {}) }));
      records.push(...(page.events ?? []).map((e) => e.message ?? ''));
      token = page.nextToken;
    } while (token);
    const status = (r: string) => Number((JSON.parse(r) as { status: string }).status);
    expect(sum(byId.c?.Values)).toBe(records.length);
    expect(sum(byId.e?.Values)).toBe(records.filter((r) => status(r) >= 500).length);
    expect(sum(byId.f?.Values)).toBe(records.filter((r) => status(r) >= 400 && status(r) < 500).length);
    expect(byId.c?.StatusCode).toBe('Complete');
  });

  it('finds nothing under another set of dimensions (an empty Complete series, as AWS answers)', async () => {
    const out = await metricData([query('w', 'Count', 'Sum', [{ Name: 'ApiName', Value: 'shop' }, { Name: 'Stage', Value: 'prod' }, { Name: 'Method', Value: 'GET' }])]);
    expect(out.MetricDataResults?.[0]).toMatchObject({ Id: 'w', Values: [], StatusCode: 'Complete' });
  });

  it('publishes per-method series only where detailed metrics are on', async () => {
    const route = [...stageDims, { Name: 'Method', Value: 'GET' }, { Name: 'Resource', Value: '/users' }];
    const off = await metricData([query('r', 'Count', 'Sum', route)]);
    expect(off.MetricDataResults?.[0]?.Values).toEqual([]);
    const on = await metricData([query('r', 'Count', 'Sum', route)], {}, scenarioData({ '*/*': { loggingLevel: 'INFO', metricsEnabled: true } }));
    expect(sum(on.MetricDataResults?.[0]?.Values)).toBeGreaterThan(500);
  });

  it('sums periods aligned on the start, answers Average, Maximum, SampleCount and percentiles', async () => {
    const out = await metricData([query('c', 'Count', 'Sum', stageDims, 3600), query('a', '5XXError', 'Average', stageDims, 7200), query('n', 'Count', 'SampleCount', stageDims, 7200), query('p', 'Latency', 'p99', stageDims, 7200), query('m', 'Latency', 'Maximum', stageDims, 7200)]);
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
    expect(byId.c?.Timestamps?.map((t: Date) => t.toISOString()).sort()).toEqual(['2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z']);
    const requests = byId.n?.Values?.[0] ?? 0;
    expect(requests).toBeGreaterThan(550);
    expect(byId.a?.Values?.[0]).toBeGreaterThan(0.02);
    expect(byId.a?.Values?.[0]).toBeLessThan(0.12);
    expect(byId.p?.Values?.[0]).toBeLessThanOrEqual(byId.m?.Values?.[0] ?? 0);
    expect(byId.p?.Values?.[0]).toBeGreaterThan(200);
  });

  it('counts Lambda invocations and errors the way Lambda does (a throttled request is not an invocation)', async () => {
    const dims = [{ Name: 'FunctionName', Value: 'users' }];
    const out = await metricData([query('i', 'Invocations', 'Sum', dims, 60, 'AWS/Lambda'), query('e', 'Errors', 'Sum', dims, 60, 'AWS/Lambda')]);
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
    const truth = trafficTruth(parseScenario(scenarioData(), 'test'), START.getTime(), END.getTime());
    expect(sum(byId.i?.Values)).toBe(truth.calls({ functionName: 'users' }));
    expect(sum(byId.e?.Values)).toBe(truth.count({ match: (r) => r.kind === 'lambda_error' }));
    expect(sum(byId.i?.Values)).toBe(truth.count({ match: (r) => r.kind !== 'throttled' }));
  });

  it('refuses more than 500 queries and a period that is not a multiple of 60', async () => {
    const many = Array.from({ length: 501 }, (_, i) => query(`q${i}`, 'Count', 'Sum'));
    await expect(metricData(many)).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(metricData([query('c', 'Count', 'Sum', stageDims, 90)])).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('pages at MaxDatapoints: PartialData with a NextToken, then the rest', async () => {
    const first = await metricData([query('c', 'Count', 'Sum'), query('e', '5XXError', 'Sum')], { MaxDatapoints: 100, ScanBy: 'TimestampAscending' });
    expect(first.NextToken).toBeDefined();
    expect(first.MetricDataResults?.[0]).toMatchObject({ Id: 'c', StatusCode: 'PartialData' });
    const second = await metricData([query('c', 'Count', 'Sum'), query('e', '5XXError', 'Sum')], { MaxDatapoints: 1000, ScanBy: 'TimestampAscending', NextToken: first.NextToken });
    const whole = await metricData([query('c', 'Count', 'Sum'), query('e', '5XXError', 'Sum')], { ScanBy: 'TimestampAscending' });
    const counted = sum([...(first.MetricDataResults?.[0]?.Values ?? []), ...(second.MetricDataResults?.find((r) => r.Id === 'c')?.Values ?? [])]);
    expect(counted).toBe(sum(whole.MetricDataResults?.[0]?.Values));
    expect(second.MetricDataResults?.find((r) => r.Id === 'c')?.StatusCode).toBe('Complete');
  });

  it('lists the dimension sets that have data, filtered by name and value', async () => {
    const env = environmentFor(scenarioData({ '*/*': { loggingLevel: 'INFO', metricsEnabled: true } }));
    const out = await env.factory.forAccount().cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'shop' }] }));
    const sets = (out.Metrics ?? []).map((m) => (m.Dimensions ?? []).map((d) => d.Name).sort().join(','));
    expect(sets.sort()).toEqual(['ApiName', 'ApiName,Method,Resource,Stage', 'ApiName,Stage']);
    const other = await env.factory.forAccount().cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', Dimensions: [{ Name: 'ApiName', Value: 'other' }] }));
    expect(other.Metrics).toEqual([]);
  });

  it('draws the same requests as the logs, request by request', () => {
    const scenario = parseScenario(scenarioData(), 'test');
    const requests = [...simulatedRequests(scenario)];
    expect(requests).toHaveLength(600);
    expect(requests.every((r, i) => i === 0 || r.time >= (requests[i - 1]?.time ?? 0))).toBe(true);
    expect(requests.filter((r) => r.kind === 'lambda_error').every((r) => r.status === 502 && r.calls[0]?.outcome === 'error')).toBe(true);
    expect(requests[0]?.accountId).toBe(HOME);
  });
});
