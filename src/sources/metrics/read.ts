import { GetMetricDataCommand, ListMetricsCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../../aws/clients.js';
import type { MetricName, MetricScope, MetricSeries } from '../../core/evidence.js';
import type { Window } from '../../core/target.js';
import { collectPages } from '../paginate.js';
import type { SourceLimits } from '../types.js';

/**
 * CloudWatch metric reads shared by the metrics sources. One GetMetricData call holds up to 500
 * queries and 100,800 data points, so an investigation's series go out in as few calls as fit,
 * all at once (one round of calls); a result that is not `Complete` after its pages is never an
 * exact count. Units are never asked for (a mismatch returns nothing) and expressions are not used
 * (moto and older accounts differ on them): zeros are filled here, for count series only.
 */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** One series to read: what CloudWatch calls it (`stat`: `Sum`, `Maximum`, `p99`…), and what firebreak calls it. */
export type SeriesRequest = Pick<MetricSeries, 'metric' | 'scope' | 'namespace' | 'metricName' | 'dimensions' | 'stat'>;

/** `1,234`: counts in coverage reasons. */
export const formatCount = (n: number | undefined): string => Math.round(n ?? 0).toLocaleString('en-US');

/**
 * Series to read from several accounts or regions (functions and web ACLs elsewhere), each
 * through its own clients; `read` sends them all in one round.
 */
export class AccountBatches {
  private readonly batches = new Map<string, { clients: AwsClients; requests: SeriesRequest[] }>();

  add(clients: AwsClients, request: SeriesRequest): void {
    const key = `${clients.accountId ?? ''}/${clients.region}`;
    const batch = this.batches.get(key) ?? { clients, requests: [] };
    batch.requests.push(request);
    this.batches.set(key, batch);
  }

  get size(): number {
    return this.batches.size;
  }

  async read(window: Window, limits: Pick<SourceLimits, 'maxPages'>): Promise<Pick<SeriesRead, 'series' | 'partial'>> {
    const reads = await Promise.all([...this.batches.values()].map((b) => readSeries(b.clients.cloudwatch, b.requests, window, limits)));
    return { series: reads.flatMap((r) => r.series), partial: reads.flatMap((r) => r.partial) };
  }
}

/** Count series are filled with 0 for periods without data; latencies never are. */
const COUNT_STATS = new Set(['Sum', 'SampleCount']);

/** The period read: the window widened to whole periods, and the period CloudWatch still keeps for its start. */
export function metricPeriod(window: Window): { from: number; until: number; periodSeconds: number } {
  // Retention: 60 s points for 15 days, 300 s for 63 days, 3600 s beyond (CW-API GetMetricData).
  const age = window.until.getTime() - window.since.getTime();
  const periodSeconds = age <= 15 * 86_400_000 ? 60 : age <= 63 * 86_400_000 ? 300 : 3600;
  const step = periodSeconds * 1000;
  const from = Math.floor(window.since.getTime() / step) * step;
  const until = Math.ceil(window.until.getTime() / step) * step;
  return { from, until, periodSeconds };
}

/** How many queries one call may carry for this period without passing the data-point cap. */
export function queriesPerCall(points: number): number {
  return Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / Math.max(1, points))));
}

interface Collected {
  timestamps: number[];
  values: number[];
  status: MetricSeries['status'];
}

/** One call's worth of queries, paged with NextToken up to the page cap. */
async function readBatch(
  cloudwatch: CloudWatchClient,
  queries: MetricDataQuery[],
  period: { from: number; until: number },
  maxPages: number,
): Promise<{ results: Map<string, Collected>; messages: string[] }> {
  const results = new Map<string, Collected>();
  const messages: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(period.from),
        EndTime: new Date(period.until),
        ScanBy: 'TimestampAscending',
        ...(token ? { NextToken: token } : {}),
      }),
    );
    pages += 1;
    for (const m of out.Messages ?? []) if (m.Value) messages.push(m.Value);
    for (const result of out.MetricDataResults ?? []) {
      if (!result.Id) continue;
      const entry = results.get(result.Id) ?? { timestamps: [], values: [], status: 'Complete' as const };
      (result.Timestamps ?? []).forEach((t, i) => {
        entry.timestamps.push(new Date(t).getTime());
        entry.values.push(result.Values?.[i] ?? 0);
      });
      entry.status = (result.StatusCode as MetricSeries['status'] | undefined) ?? 'Complete';
      results.set(result.Id, entry);
    }
    token = out.NextToken;
  } while (token && pages < maxPages);
  // Pages left unread: whatever said Complete so far is still missing points of later pages.
  if (token) for (const entry of results.values()) if (entry.status === 'Complete') entry.status = 'PartialData';
  return { results, messages };
}

export interface SeriesRead {
  series: MetricSeries[];
  /** CloudWatch's own messages (e.g. "Maximum number of allowed metrics exceeded"). */
  messages: string[];
  /** Series that are not `Complete`: never exact counts. */
  partial: MetricSeries[];
}

/**
 * Reads every requested series over the window at the retained period: batched (≤ 500 queries
 * and ≤ 100,800 points a call), the batches sent at once.
 */
export async function readSeries(cloudwatch: CloudWatchClient, requests: readonly SeriesRequest[], window: Window, limits: Pick<SourceLimits, 'maxPages'>): Promise<SeriesRead> {
  const period = metricPeriod(window);
  const step = period.periodSeconds * 1000;
  const points = Math.max(1, Math.round((period.until - period.from) / step));
  const perCall = queriesPerCall(points);
  const queries: MetricDataQuery[] = requests.map((r, i) => ({
    Id: `m${i}`,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: r.namespace, MetricName: r.metricName, Dimensions: Object.entries(r.dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: period.periodSeconds,
      Stat: r.stat,
    },
  }));
  const batches: MetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += perCall) batches.push(queries.slice(i, i + perCall));
  const answers = await Promise.all(batches.map((batch) => readBatch(cloudwatch, batch, period, limits.maxPages)));
  const merged = new Map<string, Collected>();
  const messages: string[] = [];
  for (const answer of answers) {
    for (const [id, entry] of answer.results) merged.set(id, entry);
    messages.push(...answer.messages);
  }
  const series = requests.map((request, i): MetricSeries => {
    const got = merged.get(`m${i}`) ?? { timestamps: [], values: [], status: 'Complete' as const };
    const byTime = new Map<number, number>();
    got.timestamps.forEach((t, k) => byTime.set(t, got.values[k] ?? 0));
    const isCount = COUNT_STATS.has(request.stat);
    let timestamps: number[];
    let values: number[];
    if (isCount) {
      timestamps = [];
      values = [];
      for (let t = period.from; t < period.until; t += step) {
        timestamps.push(t);
        values.push(byTime.get(t) ?? 0);
      }
    } else {
      timestamps = [...byTime.keys()].sort((a, b) => a - b);
      values = timestamps.map((t) => byTime.get(t) ?? 0);
    }
    return {
      metric: request.metric,
      scope: request.scope,
      namespace: request.namespace,
      metricName: request.metricName,
      dimensions: request.dimensions,
      stat: request.stat,
      periodSeconds: period.periodSeconds,
      timestamps,
      values,
      status: got.status,
      ...(isCount ? { total: values.reduce((n, v) => n + v, 0) } : {}),
    };
  });
  return { series, messages, partial: series.filter((s) => s.status !== 'Complete') };
}

/**
 * The dimension sets CloudWatch holds for one metric, filtered by some dimensions (ListMetrics
 * matches metrics that carry them, whatever else they carry). Used where AWS's pages disagree on
 * the dimension names (HTTP API routes): the sets are reused exactly as listed.
 */
export async function listDimensionSets(
  cloudwatch: CloudWatchClient,
  namespace: string,
  metricName: string,
  filter: Record<string, string>,
  limits: Pick<SourceLimits, 'maxPages' | 'maxItems'>,
): Promise<Record<string, string>[]> {
  const read = await collectPages(async (token) => {
    const out = await cloudwatch.send(
      new ListMetricsCommand({
        Namespace: namespace,
        MetricName: metricName,
        Dimensions: Object.entries(filter).map(([Name, Value]) => ({ Name, Value })),
        ...(token ? { NextToken: token } : {}),
      }),
    );
    return { items: out.Metrics ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, limits);
  const seen = new Map<string, Record<string, string>>();
  for (const metric of read.items) {
    const dims: Record<string, string> = {};
    for (const d of [...(metric.Dimensions ?? [])].sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''))) if (d.Name) dims[d.Name] = d.Value ?? '';
    // ListMetrics may repeat one metric (moto does): one set each.
    seen.set(JSON.stringify(dims), dims);
  }
  return [...seen.values()];
}

/** Sum of a count series, or undefined when there is none. */
export function totalOf(series: readonly MetricSeries[], metric: MetricName, scope: Partial<MetricScope>): number | undefined {
  const match = series.find((s) => s.metric === metric && s.scope.kind === scope.kind && s.scope.name === scope.name && s.scope.stage === scope.stage);
  return match?.total;
}
