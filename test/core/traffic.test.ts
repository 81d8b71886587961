import { describe, expect, it } from 'vitest';
import type { Evidence, MetricSeries } from '../../src/core/evidence.js';
import type { Finding } from '../../src/core/finding.js';
import { incidentChartSvg } from '../../src/core/incident-chart.js';
import { firstRise, firstStop, formatShare, sparkline, trafficLine, trafficOf, type TrafficPoint } from '../../src/core/traffic.js';

const WINDOW = { since: '2026-11-23T08:00:00.000Z', until: '2026-11-23T10:00:00.000Z' };
const START = Date.parse(WINDOW.since);
const MINUTES = 120;

/** A per-minute count series as the metrics source writes it (issue 21's contract). */
function series(metric: MetricSeries['metric'], values: (minute: number) => number, scope: MetricSeries['scope'] = { kind: 'stage', name: 'prod' }): MetricSeries {
  const timestamps = Array.from({ length: MINUTES }, (_, i) => START + i * 60_000);
  const counted = timestamps.map((_, i) => values(i));
  return {
    metric,
    scope,
    namespace: 'AWS/ApiGateway',
    metricName: metric,
    dimensions: { ApiName: 'shop-api', Stage: 'prod' },
    stat: metric === 'latency_p99' ? 'p99' : 'Sum',
    periodSeconds: 60,
    timestamps,
    values: counted,
    status: 'Complete',
    ...(metric === 'latency_p99' ? {} : { total: counted.reduce((a, b) => a + b, 0) }),
  };
}

/** 100 requests a minute; from minute 35 a fifth of them fail with 5xx, and p99 climbs. */
function metricsEvidence(): Evidence {
  return {
    'metrics.api': {
      from: WINDOW.since,
      until: WINDOW.until,
      series: [
        series('requests', () => 100),
        series('4xx', () => 1),
        series('5xx', (m) => (m >= 35 ? 20 : 0)),
        series('latency_p99', (m) => (m >= 35 ? 2_900 : 180)),
        // Another stage, and the API-wide series: neither is counted twice.
        series('requests', () => 7, { kind: 'stage', name: 'beta' }),
        series('requests', () => 107, { kind: 'api', name: 'shop-api' }),
      ],
    },
  };
}

describe('traffic from metrics evidence (metrics.api)', () => {
  it('counts requests, 4xx, 5xx and p99 per minute for the stage asked, exact, with the onset where errors rise', () => {
    const traffic = trafficOf({ evidence: metricsEvidence(), findings: [], window: WINDOW, stage: 'prod' });
    expect(traffic).toMatchObject({ basis: 'metrics', exact: true, periodSeconds: 60, scope: 'stage prod', totals: { requests: 12_000, e4xx: 120, e5xx: 1_700 }, p99Ms: 2_900 });
    expect(traffic?.points).toHaveLength(MINUTES);
    expect(traffic?.onset).toBe('2026-11-23T08:35:00.000Z');
    expect(trafficLine(traffic!)).toBe('12,000 requests · 2xx–3xx 85% · 4xx 1.0% · 5xx 14% · p99 2,900 ms (CloudWatch metrics, stage prod)');
  });

  it('sums the stages when none was asked, and prefers the onset the counting model put on a finding', () => {
    const figure = { what: '5xx', numerator: 1_700, denominator: 12_000, unit: 'requests' as const, scope: { kind: 'stage' as const, name: 'prod' }, from: WINDOW.since, until: WINDOW.until, exact: true, basis: 'metrics' as const, onset: '2026-11-23T08:33:00.000Z' };
    const finding: Finding = { rule: 'I4.x', severity: 'high', title: 't', detail: 'd', evidence: [], fix: 'f', figures: [figure] };
    const traffic = trafficOf({ evidence: metricsEvidence(), findings: [finding], window: WINDOW });
    expect(traffic).toMatchObject({ scope: 'all stages', totals: { requests: 12_840 }, onset: '2026-11-23T08:33:00.000Z' });
  });

  it('merges a long window into at most 240 points', () => {
    const long: Evidence = { 'metrics.api': { from: WINDOW.since, until: WINDOW.until, series: [{ ...series('requests', () => 1), timestamps: Array.from({ length: 20_160 }, (_, i) => START + i * 60_000), values: Array.from({ length: 20_160 }, () => 1) }] } };
    const traffic = trafficOf({ evidence: long, findings: [], window: WINDOW });
    expect(traffic?.points.length).toBeLessThanOrEqual(240);
    expect(traffic?.totals.requests).toBe(20_160);
    expect(traffic?.periodSeconds).toBe(60 * 84);
  });
});

describe('traffic from the access logs when there are no metrics', () => {
  it('uses the per-5-minute route counts (Logs Insights), zeros where nothing came', () => {
    const routes = [
      { bucket: '2026-11-23T08:00:00.000Z', method: 'GET', path: '/orders', status: 200, count: 40 },
      { bucket: '2026-11-23T08:00:00.000Z', method: 'GET', path: '/orders', status: 502, count: 10 },
      { bucket: '2026-11-23T08:05:00.000Z', method: 'POST', path: '/orders', status: 403, count: 5 },
    ];
    const evidence: Evidence = { 'logs.access': [{ stage: 'prod', logGroup: 'g', format: 'json', records: [], unparsed: [], counts: { method: 'insights', exact: true, events: 55, routes } }] };
    const traffic = trafficOf({ evidence, findings: [], window: WINDOW, stage: 'prod' });
    expect(traffic).toMatchObject({ basis: 'logs', exact: true, periodSeconds: 300, totals: { requests: 55, e4xx: 5, e5xx: 10 } });
    expect(traffic?.points).toHaveLength(24);
    expect(traffic?.points[5]).toEqual({ t: Date.parse('2026-11-23T08:25:00Z'), requests: 0, e4xx: 0, e5xx: 0 });
  });

  it('scales sampled records to the counted total and says the totals are estimated', () => {
    const records = Array.from({ length: 10 }, (_, i) => ({ timestamp: START + i * 60_000, status: i < 2 ? 500 : 200, fields: {} }));
    const evidence: Evidence = { 'logs.access': [{ stage: 'prod', logGroup: 'g', format: 'json', records, unparsed: [], counts: { method: 'filter', exact: false, events: 100 } }] };
    const traffic = trafficOf({ evidence, findings: [], window: WINDOW });
    expect(traffic).toMatchObject({ basis: 'logs', exact: false, totals: { requests: 100, e5xx: 20 } });
    expect(trafficLine(traffic!)).toMatch(/^~100 requests .* \(access logs, estimated, stage prod\)$/);
  });

  it('is undefined without metrics or access logs', () => {
    expect(trafficOf({ evidence: {}, findings: [], window: WINDOW })).toBeUndefined();
  });
});

describe('onset, shares and sparkline', () => {
  const point = (i: number, requests: number, e5xx = 0): TrafficPoint => ({ t: START + i * 300_000, requests, e4xx: 0, e5xx });
  it('finds where errors rise and ignores a lone spike', () => {
    expect(firstRise(Array.from({ length: 12 }, (_, i) => point(i, 100, i >= 7 ? 30 : 1)))).toBe(START + 7 * 300_000);
    expect(firstRise(Array.from({ length: 12 }, (_, i) => point(i, 100, i === 5 ? 30 : 1)))).toBeUndefined();
  });

  it('finds where requests stop: callers that cannot reach the API leave silence, not errors', () => {
    expect(firstStop(Array.from({ length: 12 }, (_, i) => point(i, i >= 7 ? 0 : 40)))).toBe(START + 7 * 300_000);
    expect(firstStop(Array.from({ length: 12 }, (_, i) => point(i, i === 7 ? 0 : 40)))).toBeUndefined();
  });

  it('shows shares to the precision people compare', () => {
    expect([formatShare(991, 1_000), formatShare(120, 1_000), formatShare(15, 1_000), formatShare(1, 1_000), formatShare(0, 10), formatShare(1, 100_000)]).toEqual(['99.1%', '12%', '1.5%', '0.10%', '0%', '<0.01%']);
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
  });
});

describe('the incident chart', () => {
  it('draws bars, the p99 line and the onset with its time, readable without a browser', () => {
    const traffic = trafficOf({ evidence: metricsEvidence(), findings: [], window: WINDOW, stage: 'prod' })!;
    const svg = incidentChartSvg(traffic, 'Traffic of API Gateway a1b2c3d4e5 stage prod (us-east-1)');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800"/);
    expect(svg).toContain('onset 08:35 UTC');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('<path d="M');
    expect(svg).toContain('p99 latency');
    expect(svg).toContain('CloudWatch metrics, stage prod; times in UTC');
    expect(svg.match(/fill="#d62728"/g)?.length).toBeGreaterThan(80);
  });
});
