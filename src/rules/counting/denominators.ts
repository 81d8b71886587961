import { seriesWasRead, type AccessLogEvidence, type LogWindowCounts, type MetricName, type MetricScope, type MetricSeries } from '../../core/evidence.js';
import { EXECUTION_ROUTE, routeKey } from '../execution-log-classifier.js';
import type { RuleInput } from '../types.js';
import { fromSeries, scaled, sumMeasures, type Measure } from './measure.js';
import { fromPeriods, fromTimes, lastMinute, MINUTE, type Minutes } from './minutes.js';
import { recordRoute, routeTemplater } from './routes.js';

/**
 * The denominators: requests per stage and per route, invocations per function, over the whole
 * window, from the best source there is — CloudWatch metrics (exact, per minute), then Logs
 * Insights counts (exact, per five minutes) or the same table counted from every record of a
 * window read whole, then every log record read (exact when the read
 * covered the window), and only then an estimate (a sample scaled to the window). Never the
 * larger of two; never error lines taken for invocations.
 */
const INSIGHTS_BUCKET_MS = 5 * MINUTE;
const REQUEST_ID = /^\(([^)]+)\)/;

const caches = new WeakMap<RuleInput, Map<string, Measure | undefined>>();

function memo(input: RuleInput, key: string, compute: () => Measure | undefined): Measure | undefined {
  let cache = caches.get(input);
  if (!cache) {
    cache = new Map();
    caches.set(input, cache);
  }
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key);
}

const sameScope = (a: MetricScope, b: MetricScope) => a.kind === b.kind && a.name === b.name && (a.kind !== 'route' || a.stage === b.stage);

/** A metrics source's series for one scope, when CloudWatch answered it (otherwise the logs stand in). */
export function seriesOf(input: RuleInput, source: 'metrics.api' | 'metrics.lambda' | 'metrics.waf', metric: MetricName, scope: MetricScope): MetricSeries | undefined {
  return input.evidence[source]?.series.find((s) => s.metric === metric && sameScope(s.scope, scope) && seriesWasRead(s));
}

function windowOf(input: RuleInput): { from: number; until: number } {
  return { from: input.window.since.getTime(), until: input.window.until.getTime() };
}

export function accessLogOf(input: RuleInput, stage: string): AccessLogEvidence | undefined {
  return input.evidence['logs.access']?.find((l) => l.stage === stage);
}

/**
 * An access log's whole-window table (requests per 5 minutes, route and status): Logs Insights'
 * count, or every record of a window read whole, counted one by one. Never a sample's.
 */
function windowTable(log: AccessLogEvidence | undefined): { counts: LogWindowCounts; basis: 'insights' | 'logs' } | undefined {
  const counts = log?.counts;
  if (!counts || (counts.method !== 'insights' && !counts.exact)) return undefined;
  return { counts, basis: counts.method === 'insights' ? 'insights' : 'logs' };
}

/** Completed requests in an INFO execution log, by request id, with their route (templated) and time. */
function executionRequests(input: RuleInput, stage: string): { time: number; route?: string }[] | undefined {
  const info = (input.evidence['apigw.stages'] ?? []).find((s) => s.stageName === stage)?.loggingLevel === 'INFO';
  const log = input.evidence['logs.execution']?.find((l) => l.stage === stage);
  if (!info || !log || log.lines.length === 0) return undefined;
  const template = routeTemplater(input.evidence);
  const routeOf = new Map<string, string>();
  const done: { id: string; time: number }[] = [];
  for (const line of log.lines) {
    const id = REQUEST_ID.exec(line.message)?.[1];
    if (!id) continue;
    if (line.message.includes('Method completed with status')) done.push({ id, time: line.timestamp });
    else if (line.message.includes('Resource Path: ')) {
      const match = EXECUTION_ROUTE.exec(line.message);
      const key = match ? routeKey(match[1], match[2]) : undefined;
      if (key) routeOf.set(id, template(key));
    }
  }
  return done.map(({ id, time }) => ({ time, ...(routeOf.has(id) ? { route: routeOf.get(id) as string } : {}) }));
}

function fromRecords(times: number[], window: { from: number; until: number }): Measure {
  const minutes = fromTimes(times);
  const last = lastMinute(minutes);
  return { n: times.length, exact: true, basis: 'logs', minutes, ...window, ...(last !== undefined ? { last: Math.max(...times) } : {}) };
}

function stageRequests(input: RuleInput, stage: string): Measure | undefined {
  const series = seriesOf(input, 'metrics.api', 'requests', { kind: 'stage', name: stage });
  if (series) return fromSeries(series);
  const window = windowOf(input);
  const log = accessLogOf(input, stage);
  if (log && (log.records.length > 0 || log.counts)) {
    const table = windowTable(log);
    if (table?.counts.buckets) {
      const minutes = fromPeriods(table.counts.buckets.map((b) => ({ start: Date.parse(b.start), value: b.count })), INSIGHTS_BUCKET_MS);
      return { n: table.counts.events, exact: table.counts.exact, basis: table.basis, minutes, ...window };
    }
    if (!log.period) return fromRecords(log.records.map((r) => r.timestamp), window);
    if (log.counts) return { n: log.counts.events, exact: false, basis: 'estimate', ...window };
  }
  const execution = executionRequests(input, stage);
  const executionLog = input.evidence['logs.execution']?.find((l) => l.stage === stage);
  if (execution && executionLog) {
    if (!executionLog.period) return fromRecords(execution.map((r) => r.time), window);
    // The newest lines are a slice: its requests, scaled by the lines the window held.
    const from = Date.parse(executionLog.period.from);
    const inSlice = execution.filter((r) => r.time >= from).length;
    const linesInSlice = executionLog.lines.filter((l) => l.timestamp >= from).length;
    if (inSlice > 0 && executionLog.counts && linesInSlice > 0) return { n: Math.round((inSlice * executionLog.counts.events) / linesInSlice), exact: false, basis: 'estimate', ...window };
  }
  // No request count at all (ERROR-level logs, no access log, no metrics): the integration
  // functions' invocations stand in, as an estimate (some requests never reach them).
  const integrations = (input.evidence['lambda.functions'] ?? []).filter((f) => f.usedBy.includes('integration'));
  const invocations = integrations.map((f) => functionInvocations(input, f.functionName)).filter((m): m is Measure => m !== undefined);
  const total = sumMeasures(invocations);
  return total && total.n > 0 ? scaled(total, 1, 'estimate') : undefined;
}

function routeRequests(input: RuleInput, stage: string, route: string): Measure | undefined {
  const series = seriesOf(input, 'metrics.api', 'requests', { kind: 'route', name: route, stage });
  if (series) return fromSeries(series);
  const window = windowOf(input);
  const log = accessLogOf(input, stage);
  if (log && (log.records.length > 0 || log.counts)) {
    const table = windowTable(log);
    if (table?.counts.routes) {
      const rows = table.counts.routes.filter((r) => routeKey(r.method, r.path) === route);
      const minutes = fromPeriods(rows.map((r) => ({ start: Date.parse(r.bucket), value: r.count })), INSIGHTS_BUCKET_MS);
      return { n: rows.reduce((n, r) => n + r.count, 0), exact: true, basis: table.basis, minutes, ...window };
    }
    const times = log.records.filter((r) => recordRoute(input, r) === route).map((r) => r.timestamp);
    if (!log.period) return fromRecords(times, window);
    // A slice: the route's part of it, applied to the stage's requests over the window.
    const stageTotal = stageRequests(input, stage);
    if (stageTotal && log.records.length > 0) return { n: (stageTotal.n * times.length) / log.records.length, exact: false, basis: 'estimate', ...window };
  }
  const execution = executionRequests(input, stage);
  const executionLog = input.evidence['logs.execution']?.find((l) => l.stage === stage);
  if (execution && executionLog && !executionLog.period) return fromRecords(execution.filter((r) => r.route === route).map((r) => r.time), window);
  return undefined;
}

export function functionInvocations(input: RuleInput, functionName: string): Measure | undefined {
  return memo(input, `function ${functionName}`, () => {
    const series = seriesOf(input, 'metrics.lambda', 'invocations', { kind: 'function', name: functionName });
    if (series) return fromSeries(series);
    const logs = (input.evidence['logs.lambda'] ?? []).filter((l) => l.functionName === functionName && l.invocations !== undefined);
    if (logs.length === 0) return undefined;
    const exact = logs.every((l) => l.invocationsExact !== false);
    const last = Math.max(...logs.map((l) => l.lastInvocation ?? Number.NEGATIVE_INFINITY));
    return {
      n: logs.reduce((n, l) => n + (l.invocations ?? 0), 0),
      exact,
      basis: exact ? 'logs' : 'estimate',
      ...windowOf(input),
      ...(Number.isFinite(last) ? { last } : {}),
    };
  });
}

/** Requests (or invocations) in a scope over the window, from the best source there is. */
export function requestsIn(input: RuleInput, scope: MetricScope): Measure | undefined {
  switch (scope.kind) {
    case 'stage':
      return memo(input, `stage ${scope.name}`, () => stageRequests(input, scope.name));
    case 'route':
      return scope.stage === undefined ? undefined : memo(input, `route ${scope.stage} ${scope.name}`, () => routeRequests(input, scope.stage as string, scope.name));
    case 'function':
      return functionInvocations(input, scope.name);
    default:
      return undefined;
  }
}

/**
 * The whole-window table of an access log (requests per 5 minutes, route and status; Logs Insights'
 * or every record's) for a stage or route scope: exact counts a slice's mix can be applied to. Undefined without it.
 */
export function insightsRows(input: RuleInput, scope: MetricScope): { basis: 'insights' | 'logs'; rows: { status: number; minutes: Minutes; count: number }[] } | undefined {
  const stage = scope.kind === 'stage' ? scope.name : scope.stage;
  const table = windowTable(stage ? accessLogOf(input, stage) : undefined);
  const routes = table?.counts.routes;
  if (!table || !routes || (scope.kind !== 'stage' && scope.kind !== 'route')) return undefined;
  const byStatus = new Map<number, { start: number; value: number }[]>();
  for (const r of routes) {
    if (scope.kind === 'route' && routeKey(r.method, r.path) !== scope.name) continue;
    const list = byStatus.get(r.status) ?? [];
    list.push({ start: Date.parse(r.bucket), value: r.count });
    byStatus.set(r.status, list);
  }
  return { basis: table.basis, rows: [...byStatus].map(([status, points]) => ({ status, count: points.reduce((n, p) => n + p.value, 0), minutes: fromPeriods(points, INSIGHTS_BUCKET_MS) })) };
}

/**
 * A scope's failed requests (4xx and 5xx) over the window, when counted exactly: what a count
 * read from a slice of records is scaled to (its share of the slice's failures, times these).
 */
export function failedRequestsIn(input: RuleInput, scope: MetricScope): Measure | undefined {
  if (scope.kind !== 'stage' && scope.kind !== 'route') return undefined;
  return memo(input, `failed ${scope.kind} ${scope.stage ?? ''} ${scope.name}`, () => {
    const parts = (['4xx', '5xx'] as const).map((m) => seriesOf(input, 'metrics.api', m, scope)).filter((s): s is MetricSeries => s !== undefined);
    if (parts.length === 2) return sumMeasures(parts.map(fromSeries));
    const stage = scope.kind === 'stage' ? scope.name : scope.stage;
    const log = stage ? accessLogOf(input, stage) : undefined;
    const table = windowTable(log);
    if (!table?.counts.routes) return undefined;
    const rows = table.counts.routes.filter((r) => r.status >= 400 && (scope.kind === 'stage' || routeKey(r.method, r.path) === scope.name));
    const minutes = fromPeriods(rows.map((r) => ({ start: Date.parse(r.bucket), value: r.count })), INSIGHTS_BUCKET_MS);
    return { n: rows.reduce((n, r) => n + r.count, 0), exact: true, basis: table.basis, minutes, ...windowOf(input) };
  });
}
