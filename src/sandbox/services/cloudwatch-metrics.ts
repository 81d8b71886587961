import { awsError } from '../aws-error.js';
import { statistic, type StoredMetric } from '../metrics.js';
import { pageOf } from '../paging.js';
import { str, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/**
 * CloudWatch metrics (GetMetricData, ListMetrics) answered from the metrics the scenario's
 * traffic publishes (`sandbox/metrics.ts`): the same seeded requests that write the logs, so
 * metrics and logs agree. As AWS: dimensions match exactly (another set finds an empty series,
 * `Complete`), periods are multiples of 60 s aligned on the start (rounded down to the minute),
 * the end is exclusive, periods without data are left out, at most 500 queries a call and
 * `MaxDatapoints` (100,800) points a page, the rest behind NextToken with `PartialData`.
 * Expressions are not evaluated (an empty `Complete` series with a message, as moto answers).
 */
const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;
const LIST_PAGE = 500;
const MINUTE = 60_000;
const invalidToken = () => awsError('InvalidNextToken', 'The service couldn\'t process the NextToken.');

/** The unit each metric is published with (the rest are `Count`): a query asking another unit gets nothing. */
export const METRIC_UNITS: Record<string, string> = { Latency: 'Milliseconds', IntegrationLatency: 'Milliseconds', Duration: 'Milliseconds', ConcurrentExecutions: 'Count', DataProcessed: 'Bytes' };

function dimensionsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of Array.isArray(value) ? value : []) {
    const name = str((d as { Name?: unknown }).Name);
    if (name) out[name] = str((d as { Value?: unknown }).Value) ?? '';
  }
  return out;
}

function timeOf(value: unknown, field: string): number {
  const t = value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(t)) throw awsError('ValidationError', `The parameter ${field} is required.`);
  return t;
}

function metricsOf(ctx: ServiceContext): ReturnType<ServiceContext['metrics']> | undefined {
  return ctx.region === ctx.scenario.region ? ctx.metrics() : undefined;
}

interface Answer {
  Id: string;
  Label: string;
  timestamps: number[];
  values: number[];
  messages: { Code: string; Value: string }[];
}

function answerQuery(query: Record<string, unknown>, start: number, end: number, ctx: ServiceContext): Answer {
  const id = str(query.Id) ?? '';
  const label = str(query.Label) ?? id;
  const stat = query.MetricStat as Record<string, unknown> | undefined;
  if (!stat) return { Id: id, Label: label, timestamps: [], values: [], messages: [{ Code: 'Unsupported', Value: 'the sandbox evaluates no metric math or Metrics Insights expression' }] };
  const metric = (stat.Metric ?? {}) as Record<string, unknown>;
  const period = Number(stat.Period);
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) throw awsError('ValidationError', `The value ${String(stat.Period)} for parameter MetricDataQueries.member.Period is invalid: it must be a multiple of 60.`);
  const name = str(metric.MetricName) ?? '';
  const unit = str(stat.Unit);
  const found: StoredMetric | undefined = metricsOf(ctx)?.find(ctx.accountId, str(metric.Namespace) ?? '', name, dimensionsOf(metric.Dimensions));
  const answer: Answer = { Id: id, Label: str(query.Label) ?? name, timestamps: [], values: [], messages: [] };
  // A unit that does not match the data returns nothing: CloudWatch does not convert units.
  if (!found || (unit !== undefined && unit !== (METRIC_UNITS[name] ?? 'Count'))) return answer;
  const step = period * 1000;
  for (let t = start; t < end; t += step) {
    const minutes = [];
    for (let m = t; m < Math.min(t + step, end); m += MINUTE) {
      const agg = found.minutes.get(m);
      if (agg) minutes.push(agg);
    }
    const value = statistic(str(stat.Stat) ?? '', minutes);
    if (value === undefined) continue;
    answer.timestamps.push(t);
    answer.values.push(value);
  }
  return answer;
}

/** Where a page starts: the query index and the point inside it. */
function decodeToken(token: unknown): { query: number; point: number } {
  if (token === undefined || token === null || token === '') return { query: 0, point: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { q?: unknown; p?: unknown };
    if (typeof parsed.q === 'number' && typeof parsed.p === 'number') return { query: parsed.q, point: parsed.p };
  } catch {
    // fall through
  }
  throw invalidToken();
}

const getMetricData: Handler = (input, ctx) => {
  const queries = Array.isArray(input.MetricDataQueries) ? (input.MetricDataQueries as Record<string, unknown>[]) : [];
  if (queries.length === 0) throw awsError('ValidationError', 'The parameter MetricDataQueries is required.');
  if (queries.length > MAX_QUERIES) throw awsError('ValidationError', `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  // StartTime is rounded down to the minute (data younger than 15 days); EndTime is exclusive.
  const start = Math.floor(timeOf(input.StartTime, 'StartTime') / MINUTE) * MINUTE;
  const end = timeOf(input.EndTime, 'EndTime');
  if (end <= start) throw awsError('ValidationError', 'The parameter StartTime must be less than the parameter EndTime.');
  const descending = str(input.ScanBy) !== 'TimestampAscending';
  const max = typeof input.MaxDatapoints === 'number' && input.MaxDatapoints > 0 ? Math.min(input.MaxDatapoints, MAX_DATAPOINTS) : MAX_DATAPOINTS;
  const answers = queries.filter((q) => q.ReturnData !== false).map((q) => answerQuery(q, start, end, ctx));
  const from = decodeToken(input.NextToken);
  const results: Record<string, unknown>[] = [];
  let room = max;
  let next: { query: number; point: number } | undefined;
  for (let q = from.query; q < answers.length; q++) {
    const answer = answers[q] as Answer;
    const order = answer.timestamps.map((_, i) => i);
    if (descending) order.reverse();
    const first = q === from.query ? from.point : 0;
    const take = Math.min(room, order.length - first);
    if (take <= 0 && order.length > 0) {
      next = { query: q, point: first };
      break;
    }
    const picked = order.slice(first, first + take);
    const complete = first + take >= order.length;
    results.push({
      Id: answer.Id,
      Label: answer.Label,
      Timestamps: picked.map((i) => new Date(answer.timestamps[i] as number)),
      Values: picked.map((i) => answer.values[i] as number),
      StatusCode: complete ? 'Complete' : 'PartialData',
      ...(answer.messages.length ? { Messages: answer.messages } : {}),
    });
    room -= take;
    if (!complete) {
      next = { query: q, point: first + take };
      break;
    }
  }
  return {
    MetricDataResults: results,
    Messages: [],
    ...(next ? { NextToken: Buffer.from(JSON.stringify({ q: next.query, p: next.point })).toString('base64url') } : {}),
  };
};

/** ListMetrics: the metrics with data, filtered by namespace, name and dimensions (a filter without a value matches any value). */
const listMetrics: Handler = (input, ctx) => {
  const namespace = str(input.Namespace);
  const name = str(input.MetricName);
  const filters = (Array.isArray(input.Dimensions) ? input.Dimensions : []).map((d) => ({ name: str((d as { Name?: unknown }).Name) ?? '', value: str((d as { Value?: unknown }).Value) }));
  // `RecentlyActive: PT3H`: only metrics with data in the three hours before now.
  const recent = str(input.RecentlyActive) === 'PT3H' ? ctx.scenario.now.getTime() - 3 * 3600_000 : undefined;
  const matching = (metricsOf(ctx)?.list(ctx.accountId) ?? []).filter(
    (m) =>
      (!namespace || m.namespace === namespace) &&
      (!name || m.metricName === name) &&
      filters.every((f) => m.dimensions[f.name] !== undefined && (f.value === undefined || m.dimensions[f.name] === f.value)) &&
      (recent === undefined || [...m.minutes.keys()].some((t) => t >= recent)),
  );
  const page = pageOf(matching, { token: input.NextToken, limit: LIST_PAGE, serviceMax: LIST_PAGE, scenarioPageSize: ctx.scenario.pageSize, scope: `cloudwatch:ListMetrics:${namespace ?? ''}:${name ?? ''}`, invalidToken });
  return {
    Metrics: page.items.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })) })),
    ...(page.next ? { NextToken: page.next } : {}),
  };
};

export const cloudwatchMetricsHandlers: ServiceHandlers = {
  GetMetricData: getMetricData,
  ListMetrics: listMetrics,
};
