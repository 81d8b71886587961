import { apiNameDimension } from '../core/metric-dimensions.js';
import type { Scenario } from './scenario.js';
import { simulatedRequests, type SimRequest } from './requests.js';

/**
 * CloudWatch metrics as API Gateway, Lambda and WAF publish them, summed per minute from the
 * scenario's simulated requests (the same draws that write the logs). Each metric keeps, per
 * dimension set and minute, the sum, sample count, minimum, maximum and (for latencies and
 * durations) a histogram at 0.01 ms, so every statistic GetMetricData offers can be answered,
 * percentiles included. Sets exist exactly as AWS publishes them: asking with another set of
 * dimensions finds nothing.
 */
export interface Aggregate {
  sum: number;
  count: number;
  min: number;
  max: number;
  histogram?: Map<number, number>;
}

export interface StoredMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Minute start (epoch ms) → aggregate. */
  minutes: Map<number, Aggregate>;
}

const MINUTE = 60_000;

export function dimensionKey(dimensions: Record<string, string>): string {
  return Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join('\u0001');
}

function metricKey(accountId: string, namespace: string, metricName: string, dimensions: Record<string, string>): string {
  return `${accountId}\u0000${namespace}\u0000${metricName}\u0000${dimensionKey(dimensions)}`;
}

export class MetricStore {
  private readonly metrics = new Map<string, StoredMetric & { accountId: string }>();

  add(accountId: string, namespace: string, metricName: string, dimensions: Record<string, string>, time: number, value: number, histogram = false): void {
    const key = metricKey(accountId, namespace, metricName, dimensions);
    let metric = this.metrics.get(key);
    if (!metric) {
      metric = { accountId, namespace, metricName, dimensions, minutes: new Map() };
      this.metrics.set(key, metric);
    }
    const minute = Math.floor(time / MINUTE) * MINUTE;
    let agg = metric.minutes.get(minute);
    if (!agg) {
      agg = { sum: 0, count: 0, min: value, max: value, ...(histogram ? { histogram: new Map() } : {}) };
      metric.minutes.set(minute, agg);
    }
    agg.sum += value;
    agg.count += 1;
    if (value < agg.min) agg.min = value;
    if (value > agg.max) agg.max = value;
    if (agg.histogram) {
      const bin = Math.round(value * 100) / 100;
      agg.histogram.set(bin, (agg.histogram.get(bin) ?? 0) + 1);
    }
  }

  /** Sets a gauge (one value per minute), e.g. the peak concurrency a minute saw. */
  set(accountId: string, namespace: string, metricName: string, dimensions: Record<string, string>, minute: number, value: number): void {
    const key = metricKey(accountId, namespace, metricName, dimensions);
    const metric = this.metrics.get(key) ?? { accountId, namespace, metricName, dimensions, minutes: new Map() };
    metric.minutes.set(minute, { sum: value, count: 1, min: value, max: value });
    this.metrics.set(key, metric);
  }

  /** The metric with exactly these dimensions, when the account has one. */
  find(accountId: string, namespace: string, metricName: string, dimensions: Record<string, string>): StoredMetric | undefined {
    return this.metrics.get(metricKey(accountId, namespace, metricName, dimensions));
  }

  /** Every metric of the account, in the order first written. */
  list(accountId: string): StoredMetric[] {
    return [...this.metrics.values()].filter((m) => m.accountId === accountId);
  }
}

/** `Sum`, `SampleCount`, `Average`, `Minimum`, `Maximum`, `pNN` / `pNN.N` over merged minutes; undefined for other statistics. */
export function statistic(stat: string, minutes: readonly Aggregate[]): number | undefined {
  if (minutes.length === 0) return undefined;
  const sum = minutes.reduce((n, a) => n + a.sum, 0);
  const count = minutes.reduce((n, a) => n + a.count, 0);
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return count > 0 ? sum / count : undefined;
    case 'Minimum':
      return Math.min(...minutes.map((a) => a.min));
    case 'Maximum':
      return Math.max(...minutes.map((a) => a.max));
  }
  const percentile = /^p(\d{1,2}(?:\.\d+)?)$/.exec(stat);
  if (!percentile) return undefined;
  const p = Number(percentile[1]) / 100;
  const merged = new Map<number, number>();
  for (const a of minutes) for (const [v, n] of a.histogram ?? new Map([[a.max, a.count]])) merged.set(v, (merged.get(v) ?? 0) + n);
  const values = [...merged.keys()].sort((a, b) => a - b);
  // pNN: the largest value of the lowest NN% (CW-UG Statistics-definitions).
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (const v of values) {
    seen += merged.get(v) ?? 0;
    if (seen >= rank) return v;
  }
  return values[values.length - 1];
}

function recordApi(store: MetricStore, r: SimRequest): void {
  const rest = r.apiKind === 'REST';
  const api: Record<string, string> = rest ? { ApiName: apiNameDimension(r.apiName, r.apiId) } : { ApiId: r.apiId };
  const sets: Record<string, string>[] = [api, { ...api, Stage: r.stage }];
  if (r.detailed) sets.push({ ...api, Method: r.detailed.method, Resource: r.detailed.resource, Stage: r.stage });
  const [c4, c5] = rest ? ['4XXError', '5XXError'] : ['4xx', '5xx'];
  for (const dims of sets) {
    store.add(r.accountId, 'AWS/ApiGateway', 'Count', dims, r.time, 1);
    // Every request writes 0 or 1: the Average is the error rate (DG).
    store.add(r.accountId, 'AWS/ApiGateway', c4 as string, dims, r.time, r.status >= 400 && r.status < 500 ? 1 : 0);
    store.add(r.accountId, 'AWS/ApiGateway', c5 as string, dims, r.time, r.status >= 500 ? 1 : 0);
    store.add(r.accountId, 'AWS/ApiGateway', 'Latency', dims, r.time, r.latencyMs, true);
    if (r.integrationLatencyMs !== undefined) store.add(r.accountId, 'AWS/ApiGateway', 'IntegrationLatency', dims, r.time, r.integrationLatencyMs, true);
  }
}

function recordWaf(store: MetricStore, r: SimRequest): void {
  if (!r.waf) return;
  // WAF writes only nonzero values (WAF DG waf-metrics).
  const acl = { Region: r.waf.region, WebACL: r.waf.webAcl };
  if (r.kind === 'waf_blocked') {
    store.add(r.waf.accountId, 'AWS/WAFV2', 'BlockedRequests', { ...acl, Rule: 'ALL' }, r.time, 1);
    if (r.waf.blockedBy) store.add(r.waf.accountId, 'AWS/WAFV2', 'BlockedRequests', { ...acl, Rule: r.waf.blockedBy }, r.time, 1);
  } else {
    store.add(r.waf.accountId, 'AWS/WAFV2', 'AllowedRequests', { ...acl, Rule: 'ALL' }, r.time, 1);
  }
}

function recordLambda(store: MetricStore, r: SimRequest, busy: Map<string, { accountId: string; name: string; minutes: Map<number, number> }>): void {
  for (const call of r.calls) {
    const dims = { FunctionName: call.functionName };
    if (call.outcome === 'throttled') {
      // A throttled request is not an invocation (Lambda DG): only Throttles counts it.
      store.add(call.accountId, 'AWS/Lambda', 'Throttles', dims, r.time, 1);
      continue;
    }
    store.add(call.accountId, 'AWS/Lambda', 'Invocations', dims, r.time, 1);
    store.add(call.accountId, 'AWS/Lambda', 'Errors', dims, r.time, call.outcome === 'error' ? 1 : 0);
    store.add(call.accountId, 'AWS/Lambda', 'Throttles', dims, r.time, 0);
    store.add(call.accountId, 'AWS/Lambda', 'Duration', dims, r.time, call.durationMs, true);
    const key = `${call.accountId}/${call.functionName}`;
    const entry = busy.get(key) ?? { accountId: call.accountId, name: call.functionName, minutes: new Map<number, number>() };
    const minute = Math.floor(r.time / MINUTE) * MINUTE;
    entry.minutes.set(minute, (entry.minutes.get(minute) ?? 0) + call.durationMs);
    busy.set(key, entry);
  }
}

/** Every metric the scenario's traffic publishes. Built once per sandbox, on the first metric read. */
export function buildMetricStore(scenario: Scenario): MetricStore {
  const store = new MetricStore();
  const busy = new Map<string, { accountId: string; name: string; minutes: Map<number, number> }>();
  for (const request of simulatedRequests(scenario)) {
    recordApi(store, request);
    recordWaf(store, request);
    recordLambda(store, request, busy);
  }
  // Concurrency in a minute, about: the time its invocations ran, in minutes (at least one while any ran).
  for (const { accountId, name, minutes } of busy.values()) {
    for (const [minute, ms] of minutes) store.set(accountId, 'AWS/Lambda', 'ConcurrentExecutions', { FunctionName: name }, minute, Math.max(1, Math.ceil(ms / MINUTE)));
  }
  return store;
}
