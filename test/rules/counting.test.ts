import { describe, expect, it } from 'vitest';
import type { AccessLogRecord, MetricSeries, MetricsEvidence } from '../../src/core/evidence.js';
import { countFailures, fromRecords, fromSignatures } from '../../src/rules/counting/index.js';
import { findOnset } from '../../src/rules/counting/onset.js';
import { isProbePath, splitScanners } from '../../src/rules/counting/scanners.js';
import { signaturesFor } from '../../src/rules/execution-log-classifier.js';
import { i4LambdaFunctionError } from '../../src/rules/integration/i4-lambda-function-error.js';
import { logSummaryOf } from '../../src/rules/log-evidence.js';
import type { RuleInput } from '../../src/rules/types.js';
import { at, healthyInput } from './fixtures.js';

/**
 * The counting model on its own: exact counts win over extrapolations, shares cover the whole
 * window (never a kept slice of lines), the onset is read from the per-minute series, error lines
 * are never invocations, scanners are noise.
 */
const MINUTE = 60_000;
const until = at(0);
const since = at(120);

/** A per-minute count series over the window, `value(minuteIndex)` each minute. */
function series(metric: MetricSeries['metric'], scope: MetricSeries['scope'], value: (i: number) => number, metricName = 'Count'): MetricSeries {
  const timestamps = Array.from({ length: 120 }, (_, i) => since + i * MINUTE);
  const values = timestamps.map((_, i) => value(i));
  return { metric, scope, namespace: 'AWS/ApiGateway', metricName, dimensions: {}, stat: 'Sum', periodSeconds: 60, timestamps, values, status: 'Complete', total: values.reduce((n, v) => n + v, 0) };
}

function metrics(list: MetricSeries[]): MetricsEvidence {
  return { from: new Date(since).toISOString(), until: new Date(until).toISOString(), series: list };
}

describe('onset', () => {
  const window = { from: since, until };
  const minutes = (value: (i: number) => number) => new Map(Array.from({ length: 120 }, (_, i) => [since + i * MINUTE, value(i)] as const));

  it('dates a failure that began inside the window, and counts it since then', () => {
    const requests = minutes(() => 20);
    const failures = minutes((i) => (i >= 95 ? 13 : i % 40 === 0 ? 1 : 0));
    const onset = findOnset(failures, requests, window, 10);
    expect(onset).toMatchObject({ at: since + 95 * MINUTE, numerator: 25 * 13, denominator: 25 * 20 });
  });

  it('finds none for a failure that was there all along, or too few to date', () => {
    expect(findOnset(minutes((i) => (i % 3 === 0 ? 2 : 1)), minutes(() => 20), window, 10)).toBeUndefined();
    expect(findOnset(minutes((i) => (i === 110 ? 3 : 0)), minutes(() => 20), window, 10)).toBeUndefined();
  });

  it('needs traffic before it: a route that only exists since the failure began is not dated', () => {
    expect(findOnset(minutes((i) => (i >= 95 ? 13 : 0)), minutes((i) => (i >= 95 ? 20 : 0)), window, 10)).toBeUndefined();
  });
});

describe('the whole window, not a slice', () => {
  /** Access records kept only for the last 17 minutes of the window (a slice). */
  function sliced(): RuleInput {
    const input = healthyInput();
    input.evidence['logs.execution'] = [];
    const records: AccessLogRecord[] = [];
    for (let i = 0; i < 170; i++) {
      const minutesAgo = (i % 17) + 0.5;
      const route = i % 5 === 0 ? '/pdf' : '/orders';
      const failed = route === '/pdf' && i % 3 !== 0;
      records.push({ timestamp: at(minutesAgo), requestId: `r${i}`, httpMethod: 'GET', resourcePath: route, status: failed ? 502 : 200, fields: failed ? { responseType: 'INTEGRATION_FAILURE', integrationError: 'Unhandled' } : {} });
    }
    input.evidence['logs.access'] = [{ stage: 'prod', logGroup: 'access', format: 'json', records, unparsed: [], period: { from: new Date(at(17)).toISOString(), until: new Date(at(0)).toISOString() } }];
    // The metrics: 10 requests a minute on the stage, 2 on GET /pdf; GET /pdf failing 65% since 35 minutes ago.
    input.evidence['metrics.api'] = metrics([
      series('requests', { kind: 'stage', name: 'prod' }, () => 10),
      series('4xx', { kind: 'stage', name: 'prod' }, () => 0, '4XXError'),
      series('5xx', { kind: 'stage', name: 'prod' }, (i) => (i >= 85 ? (i % 3 === 0 ? 1 : 2) : 0), '5XXError'),
      series('requests', { kind: 'route', name: 'GET /pdf', stage: 'prod' }, () => 2),
      series('4xx', { kind: 'route', name: 'GET /pdf', stage: 'prod' }, () => 0, '4XXError'),
      series('5xx', { kind: 'route', name: 'GET /pdf', stage: 'prod' }, (i) => (i >= 85 ? (i % 3 === 0 ? 1 : 2) : 0), '5XXError'),
    ]);
    input.evidence['logs.lambda'] = [];
    return input;
  }

  it('counts the route over the window from CloudWatch metrics, dated from their timeline: high, not a share of the slice', () => {
    const [f] = i4LambdaFunctionError.evaluate(sliced());
    const route = f?.figures?.find((g) => g.scope.kind === 'route');
    expect(route).toMatchObject({ denominator: 240, exact: false, basis: 'metrics', onset: new Date(since + 85 * MINUTE).toISOString() });
    expect(route?.from).toBe(new Date(since).toISOString());
    expect(route?.sinceOnset?.share).toBeGreaterThan(0.6);
    expect(f?.severity).toBe('high');
    expect(f?.detail).toMatch(/GET \/pdf on stage prod, \d\d% since \d\d:\d\d/);
  });

  it('prefers an exact count to an extrapolation of the same thing, never the larger of the two', () => {
    const input = sliced();
    // The execution log's error pass read every failed request of the window: 105 of them.
    input.evidence['logs.execution'] = [{ stage: 'prod', logGroup: 'exec', lines: Array.from({ length: 105 }, (_, i) => ({ timestamp: at(1 + (i % 30)), message: `(x${i}) Lambda execution failed with status 200 due to customer function error: boom` })), period: { from: new Date(at(17)).toISOString(), until: new Date(at(0)).toISOString() } }];
    const counts = signaturesFor(logSummaryOf(input), { signatures: ['function-error', 'status-502'] });
    const count = countFailures(input, { what: 'errors', family: 'server', tallies: fromSignatures(input, counts) });
    const stage = count.scopes.find((s) => s.scope.kind === 'stage');
    // Counted line by line over the window (logs), against CloudWatch's requests: exact, and not the slice's extrapolation.
    expect(stage?.figure).toMatchObject({ numerator: 105, denominator: 1200, exact: true, basis: 'logs' });
  });
});

describe('invocations', () => {
  it('never counts error lines as invocations: Lambda\u2019s own count wins when the lines disagree', () => {
    const input = healthyInput();
    input.evidence['logs.lambda'] = [{ functionName: 'orders', logGroup: '/aws/lambda/orders', errors: 760, timeouts: 0, throttles: 0, lines: Array.from({ length: 760 }, (_, i) => ({ timestamp: at(1 + (i % 100)), message: 'ERROR Invoke Error {"errorType":"Error"}' })), invocations: 408, invocationsExact: true }];
    input.evidence['metrics.lambda'] = metrics([
      { ...series('invocations', { kind: 'function', name: 'orders' }, () => 0), values: Array.from({ length: 120 }, (_, i) => (i < 102 ? 4 : 0)), total: 408 },
      { ...series('errors', { kind: 'function', name: 'orders' }, () => 0), values: Array.from({ length: 120 }, (_, i) => (i < 102 ? 4 : 0)), total: 408 },
    ]);
    const [f] = i4LambdaFunctionError.evaluate(input);
    expect(f?.figures?.find((g) => g.scope.kind === 'function')).toMatchObject({ numerator: 408, denominator: 408, share: 1 });
    expect(f?.detail).not.toContain('760');
  });

  it('without a count it can trust, a share is not given at all', () => {
    const input = healthyInput();
    input.evidence['logs.lambda'] = [{ functionName: 'orders', logGroup: '/aws/lambda/orders', errors: 40, timeouts: 0, throttles: 0, lines: Array.from({ length: 40 }, (_, i) => ({ timestamp: at(1 + i), message: 'ERROR Invoke Error' })), invocations: 12, invocationsExact: true }];
    const counts = signaturesFor(logSummaryOf(input), { signatures: ['lambda-function-error'] });
    const figure = countFailures(input, { what: 'errors', family: 'server', tallies: fromSignatures(input, counts) }).figures[0];
    expect(figure).toMatchObject({ numerator: 40 });
    expect(figure?.denominator).toBeUndefined();
  });
});

describe('scanners', () => {
  it('knows the probes: dot files, CMS pages, server scripts, admin endpoints', () => {
    for (const path of ['/.env', '/.git/config', '/wp-login.php', '/phpmyadmin/index.php', '/.aws/credentials', '/actuator/health', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/prod/.env']) expect(isProbePath(path), path).toBe(true);
    for (const path of ['/orders', '/v1/orders/7', '/users/me', '/health']) expect(isProbePath(path), path).toBe(false);
    // A path the API itself routes is never a probe.
    expect(isProbePath('/config.json', ['/config.json'])).toBe(false);
  });

  it('takes everything from an address that probed as noise; real clients stay counted', () => {
    const record = (path: string, ip: string): AccessLogRecord => ({ timestamp: at(1), ip, status: 404, fields: { path } });
    const split = splitScanners([record('/.env', '192.0.2.1'), record('/api/v2/login', '192.0.2.1'), record('/v1/orders', '198.51.100.9'), record('/.git/config', '192.0.2.2')]);
    expect(split.real.map((r) => r.fields.path)).toEqual(['/v1/orders']);
    expect(split.noise).toHaveLength(3);
    expect(split.sources).toBe(2);
  });

  it('counts per stage and route from records, exactly when every record was read', () => {
    const input = healthyInput();
    const tallies = fromRecords(input, (r) => r.status === 200);
    expect(tallies.map((t) => [t.scope.kind, t.failures.n, t.failures.exact])).toEqual([
      ['stage', 200, true],
      ['route', 200, true],
    ]);
  });
});
