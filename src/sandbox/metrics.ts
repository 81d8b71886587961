import { apiNameDimension } from '../core/metric-dimensions.js';
import type { Scenario } from './scenario.js';
import { simulatedRequests, type FunctionCall, type SimRequest } from './requests.js';
import { websocketEvents } from './websocket-traffic.js';
import { authorizerInvoked, functionInvoked, type WsEventFacts } from './websocket-lines.js';

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

/** One metric's minutes, kept ready so a request adds to it without building its key again. */
class MetricSeriesData implements StoredMetric {
  readonly minutes = new Map<number, Aggregate>();
  constructor(
    readonly accountId: string,
    readonly namespace: string,
    readonly metricName: string,
    readonly dimensions: Record<string, string>,
    private readonly histogram: boolean,
  ) {}

  // Requests come in time order: most adds land in the minute the last one did.
  private lastMinute = Number.NaN;
  private lastAggregate: Aggregate | undefined;

  add(time: number, value: number): void {
    const minute = time - (time % MINUTE);
    let agg = minute === this.lastMinute ? this.lastAggregate : this.minutes.get(minute);
    if (!agg) {
      agg = { sum: 0, count: 0, min: value, max: value, ...(this.histogram ? { histogram: new Map() } : {}) };
      this.minutes.set(minute, agg);
    }
    this.lastMinute = minute;
    this.lastAggregate = agg;
    agg.sum += value;
    agg.count += 1;
    if (value < agg.min) agg.min = value;
    if (value > agg.max) agg.max = value;
    if (agg.histogram) {
      const bin = Number.isInteger(value) ? value : Math.round(value * 100) / 100;
      agg.histogram.set(bin, (agg.histogram.get(bin) ?? 0) + 1);
    }
  }
}

export class MetricStore {
  private readonly metrics = new Map<string, MetricSeriesData>();

  /** The metric with these dimensions, made on first use. */
  series(accountId: string, namespace: string, metricName: string, dimensions: Record<string, string>, histogram = false): MetricSeriesData {
    const key = metricKey(accountId, namespace, metricName, dimensions);
    let metric = this.metrics.get(key);
    if (!metric) {
      metric = new MetricSeriesData(accountId, namespace, metricName, dimensions, histogram);
      this.metrics.set(key, metric);
    }
    return metric;
  }

  add(accountId: string, namespace: string, metricName: string, dimensions: Record<string, string>, time: number, value: number, histogram = false): void {
    this.series(accountId, namespace, metricName, dimensions, histogram).add(time, value);
  }

  /** Sets a gauge (one value per minute), e.g. the peak concurrency a minute saw. */
  set(accountId: string, namespace: string, metricName: string, dimensions: Record<string, string>, minute: number, value: number): void {
    this.series(accountId, namespace, metricName, dimensions).minutes.set(minute, { sum: value, count: 1, min: value, max: value });
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

type ApiHandles = { count: MetricSeriesData; c4: MetricSeriesData; c5: MetricSeriesData; latency: MetricSeriesData; integration: MetricSeriesData }[];

/** The API Gateway series a request adds to (API, stage, and with detailed metrics its route): built once per place. */
function apiHandles(store: MetricStore, cache: Map<string, ApiHandles>, r: SimRequest): ApiHandles {
  // One place (API, stage, route) always adds to the same series.
  const key = r.place;
  let handles = cache.get(key);
  if (handles) return handles;
  const rest = r.apiKind === 'REST';
  const api: Record<string, string> = rest ? { ApiName: apiNameDimension(r.apiName, r.apiId) } : { ApiId: r.apiId };
  const sets: Record<string, string>[] = [api, { ...api, Stage: r.stage }];
  if (r.detailed) sets.push({ ...api, Method: r.detailed.method, Resource: r.detailed.resource, Stage: r.stage });
  const [c4, c5] = rest ? ['4XXError', '5XXError'] : ['4xx', '5xx'];
  const of = (name: string, dims: Record<string, string>, histogram = false) => store.series(r.accountId, 'AWS/ApiGateway', name, dims, histogram);
  handles = sets.map((dims) => ({ count: of('Count', dims), c4: of(c4 as string, dims), c5: of(c5 as string, dims), latency: of('Latency', dims, true), integration: of('IntegrationLatency', dims, true) }));
  cache.set(key, handles);
  return handles;
}

function recordApi(store: MetricStore, cache: Map<string, ApiHandles>, r: SimRequest): void {
  for (const h of apiHandles(store, cache, r)) {
    h.count.add(r.time, 1);
    // Every request writes 0 or 1: the Average is the error rate (DG).
    h.c4.add(r.time, r.status >= 400 && r.status < 500 ? 1 : 0);
    h.c5.add(r.time, r.status >= 500 ? 1 : 0);
    h.latency.add(r.time, r.latencyMs);
    if (r.integrationLatencyMs !== undefined) h.integration.add(r.time, r.integrationLatencyMs);
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

interface FunctionHandles {
  invocations: MetricSeriesData;
  errors: MetricSeriesData;
  throttles: MetricSeriesData;
  duration: MetricSeriesData;
  /** Time its invocations ran, per minute: the concurrency gauge. */
  busy: Map<number, number>;
  accountId: string;
  name: string;
}

function recordLambda(store: MetricStore, functions: Map<string, FunctionHandles>, time: number, calls: readonly FunctionCall[]): void {
  for (const call of calls) {
    // Keyed by name first (no string built per call); the account is checked on the handle.
    let f = functions.get(call.functionName);
    if (f && f.accountId !== call.accountId) f = functions.get(`${call.accountId}/${call.functionName}`);
    if (!f) {
      const dims = { FunctionName: call.functionName };
      const of = (name: string, histogram = false) => store.series(call.accountId, 'AWS/Lambda', name, dims, histogram);
      f = { invocations: of('Invocations'), errors: of('Errors'), throttles: of('Throttles'), duration: of('Duration', true), busy: new Map(), accountId: call.accountId, name: call.functionName };
      functions.set(functions.has(call.functionName) ? `${call.accountId}/${call.functionName}` : call.functionName, f);
    }
    if (call.outcome === 'throttled') {
      // A throttled request is not an invocation (Lambda DG): only Throttles counts it.
      f.throttles.add(time, 1);
      continue;
    }
    f.invocations.add(time, 1);
    f.errors.add(time, call.outcome === 'error' ? 1 : 0);
    f.throttles.add(time, 0);
    f.duration.add(time, call.durationMs);
    const minute = Math.floor(time / MINUTE) * MINUTE;
    f.busy.set(minute, (f.busy.get(minute) ?? 0) + call.durationMs);
  }
}

/**
 * What one WebSocket event adds to its API's metrics (DG apigateway-websocket-api-logging;
 * websocket catalogue §3): ConnectCount counts handshakes sent to the $connect integration (not
 * those refused before it), MessageCount the messages from clients and the posts that reached
 * them, ClientError the 4xx API Gateway answered itself (authorization, routing, throttling),
 * IntegrationError the integration's failures, ExecutionError API Gateway's own 5xx.
 */
const REACHED: ReadonlySet<string> = new Set(['ok', 'connect_rejected', 'lambda_error', 'integration_timeout']);
const INTEGRATION_FAILED: ReadonlySet<string> = new Set(['connect_rejected', 'lambda_error', 'integration_timeout', 'missing_permission']);

function websocketCounts(f: WsEventFacts): Record<string, number> | undefined {
  if (f.eventType === 'DISCONNECT') return undefined;
  const integration = INTEGRATION_FAILED.has(f.kind) ? 1 : 0;
  const client = !integration && f.status >= 400 && f.status < 500 ? 1 : 0;
  const execution = !integration && f.status >= 500 ? 1 : 0;
  const connect = f.eventType === 'CONNECT' && REACHED.has(f.kind) ? 1 : 0;
  const message = f.eventType === 'MESSAGE' ? 1 + (f.callback?.kind === 'ok' ? 1 : 0) : 0;
  return { ConnectCount: connect, MessageCount: message, ClientError: client, IntegrationError: integration, ExecutionError: execution };
}

/** A WebSocket event's function invocations, as Lambda counts them: the route function's and the $connect authorizer's. */
function websocketCalls(f: WsEventFacts): FunctionCall[] {
  const call = (arn: string, role: FunctionCall['role'], error: boolean, durationMs: number): FunctionCall => {
    const [, , , , accountId = '', , functionName = ''] = arn.split(':');
    return { accountId, functionName, role, outcome: error ? 'error' : 'ok', durationMs };
  };
  const calls: FunctionCall[] = [];
  if (functionInvoked(f) && f.functionArn) calls.push(call(f.functionArn, 'integration', f.kind === 'lambda_error' || f.kind === 'integration_timeout', f.kind === 'integration_timeout' ? f.functionTimeoutSeconds * 1000 : f.durationMs));
  if (authorizerInvoked(f) && f.authorizer?.functionArn) calls.push(call(f.authorizer.functionArn, 'authorizer', f.kind === 'authorizer_error', 9));
  return calls;
}

function recordWebsocket(store: MetricStore, functions: Map<string, FunctionHandles>, scenario: Scenario): void {
  for (const { facts: f, accountId, detailed } of websocketEvents(scenario)) {
    recordLambda(store, functions, f.time, websocketCalls(f));
    const counts = websocketCounts(f);
    if (!counts) continue;
    const api = { ApiId: f.apiId };
    const sets: Record<string, string>[] = [api, { ...api, Stage: f.stage }];
    if (f.routeKey && detailed(f.routeKey)) sets.push({ ...api, Stage: f.stage, Route: f.routeKey });
    const reached = REACHED.has(f.kind) && f.functionArn !== undefined;
    for (const dims of sets) {
      for (const [name, value] of Object.entries(counts)) store.add(accountId, 'AWS/ApiGateway', name, dims, f.time, value);
      if (reached) store.add(accountId, 'AWS/ApiGateway', 'IntegrationLatency', dims, f.time, f.kind === 'integration_timeout' ? f.integrationTimeoutMs : f.integrationLatencyMs, true);
    }
  }
}

/** Every metric the scenario's traffic publishes. Built once per sandbox, on the first metric read. */
export function buildMetricStore(scenario: Scenario): MetricStore {
  const store = new MetricStore();
  const handles = new Map<string, ApiHandles>();
  const functions = new Map<string, FunctionHandles>();
  for (const request of simulatedRequests(scenario)) {
    recordApi(store, handles, request);
    recordWaf(store, request);
    recordLambda(store, functions, request.time, request.calls);
  }
  recordWebsocket(store, functions, scenario);
  // Concurrency in a minute, about: the time its invocations ran, in minutes (at least one while any ran).
  for (const { accountId, name, busy } of functions.values()) {
    for (const [minute, ms] of busy) store.set(accountId, 'AWS/Lambda', 'ConcurrentExecutions', { FunctionName: name }, minute, Math.max(1, Math.ceil(ms / MINUTE)));
  }
  return store;
}
