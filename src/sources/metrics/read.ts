import { GetMetricDataCommand, ListMetricsCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../../aws/clients.js';
import { errorKindOf, errorText } from '../../aws/errors.js';
import { seriesWasRead, type MetricName, type MetricScope, type MetricSeries } from '../../core/evidence.js';
import type { Window } from '../../core/target.js';
import { listText } from '../cross-account.js';
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

/**
 * Dimensions as CloudWatch takes them, in name order: AWS ignores the order, but moto 5.2.1 matches
 * a GetMetricData query only in the order the data was written (its dimension sort is broken), and
 * name order is what ListMetrics answers are read back in.
 */
export function dimensionList(dimensions: Record<string, string>): { Name: string; Value: string }[] {
  return Object.keys(dimensions)
    .sort((a, b) => a.localeCompare(b))
    .map((Name) => ({ Name, Value: dimensions[Name] ?? '' }));
}

/** `1,234`: counts in coverage reasons; `?` for a count CloudWatch did not answer (never 0). */
export const formatCount = (n: number | undefined): string => (n === undefined ? '?' : Math.round(n).toLocaleString('en-US'));

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

  async read(window: Window, limits: Pick<SourceLimits, 'maxPages'>): Promise<Omit<SeriesRead, 'messages'>> {
    const reads = await Promise.all([...this.batches.values()].map((b) => readSeries(b.clients.cloudwatch, b.requests, window, limits)));
    return {
      series: reads.flatMap((r) => r.series),
      partial: reads.flatMap((r) => r.partial),
      unread: reads.flatMap((r) => r.unread),
      failures: [...new Set(reads.flatMap((r) => r.failures))],
    };
  }
}

/** Count series are filled with 0 for periods without data; latencies never are. */
const COUNT_STATS = new Set(['Sum', 'SampleCount']);
/** Every other statistic (`p99`, `tm90`…) is an extended one, which some endpoints cannot compute. */
const PLAIN_STATS = new Set([...COUNT_STATS, 'Average', 'Minimum', 'Maximum']);

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
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      // Only paired points are counted: a value without its minute (or a minute without its value) is no count.
      const pairs = Math.min(timestamps.length, values.length);
      for (let i = 0; i < pairs; i++) {
        entry.timestamps.push(new Date(timestamps[i] as Date).getTime());
        entry.values.push(values[i] as number);
      }
      // An answer without a StatusCode, or with unpaired points, does not say it is complete: never exact.
      const status = (result.StatusCode as MetricSeries['status'] | undefined) ?? 'PartialData';
      entry.status = timestamps.length !== values.length && status === 'Complete' ? 'PartialData' : status;
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
  /** Series read in part (`PartialData`, or an answer that did not say it was complete): never exact counts. */
  partial: MetricSeries[];
  /** Series CloudWatch did not answer (a failed call, no result for the query): no count at all, not 0. */
  unread: MetricSeries[];
  /** Why, one line each (the calls' errors, missing results). */
  failures: string[];
}

/**
 * The row's clauses about what was not read in full: series read in part (never exact), series
 * not read at all (which, and why, in one line), CloudWatch's own messages.
 */
export function readNotes(read: Pick<SeriesRead, 'partial' | 'unread' | 'failures'> & { messages?: string[] }): string[] {
  const notes: string[] = [];
  if (read.partial.length) notes.push(`${read.partial.length} series not Complete (${[...new Set(read.partial.map((s) => s.status))].join(', ')}): those counts are not exact`);
  if (read.unread.length) {
    const what = [...new Set(read.unread.map((s) => `${s.metricName} ${s.stat}`))];
    notes.push(`${read.unread.length} series not read (${listText(what, 4)}): ${listText(read.failures, 2) || 'CloudWatch did not answer them'}`);
  }
  if (read.messages?.length) notes.push(`CloudWatch: ${listText([...new Set(read.messages)], 3)}`);
  return notes;
}

interface BatchAnswer {
  results: Map<string, Collected>;
  messages: string[];
  /** The error of each call that failed (several when a call was split), and the queries it held. */
  errors: unknown[];
  failed: string[];
}

/**
 * One batch; when the service fails it (HTTP 5xx, an answer that is not CloudWatch's) and the
 * batch mixes plain and extended statistics, the two are read apart, so the counts survive an
 * endpoint that cannot compute percentiles (moto 5.2.1 fails the whole call with HTTP 500 when one
 * query asks for `p99`; AWS answers it). Queries of a call that still fails are left unanswered.
 */
async function readBatchApart(cloudwatch: CloudWatchClient, queries: MetricDataQuery[], period: { from: number; until: number }, maxPages: number): Promise<BatchAnswer> {
  try {
    return { ...(await readBatch(cloudwatch, queries, period, maxPages)), errors: [], failed: [] };
  } catch (err) {
    if (errorKindOf(err) !== 'service_error') throw err;
    const plain = queries.filter((q) => PLAIN_STATS.has(q.MetricStat?.Stat ?? ''));
    const extended = queries.filter((q) => !PLAIN_STATS.has(q.MetricStat?.Stat ?? ''));
    if (plain.length === 0 || extended.length === 0) return { results: new Map(), messages: [], errors: [err], failed: queries.map((q) => q.Id ?? '') };
    const parts = await Promise.all([plain, extended].map((part) => readBatchApart(cloudwatch, part, period, maxPages)));
    return {
      results: new Map(parts.flatMap((p) => [...p.results])),
      messages: parts.flatMap((p) => p.messages),
      errors: parts.flatMap((p) => p.errors),
      failed: parts.flatMap((p) => p.failed),
    };
  }
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
      Metric: { Namespace: r.namespace, MetricName: r.metricName, Dimensions: dimensionList(r.dimensions) },
      Period: period.periodSeconds,
      Stat: r.stat,
    },
  }));
  const batches: MetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += perCall) batches.push(queries.slice(i, i + perCall));
  const answers = await Promise.all(batches.map((batch) => readBatchApart(cloudwatch, batch, period, limits.maxPages)));
  const merged = new Map<string, Collected>();
  const messages: string[] = [];
  const errors = answers.flatMap((a) => a.errors);
  const failed = new Set(answers.flatMap((a) => a.failed));
  for (const answer of answers) {
    for (const [id, entry] of answer.results) merged.set(id, entry);
    messages.push(...answer.messages);
  }
  // Nothing answered: the source fails with the service's own error, classified like any other.
  if (requests.length > 0 && merged.size === 0 && errors.length > 0) throw errors[0];
  const failures = [...new Set(errors.map(errorText))];
  let missing = 0;
  const series = requests.map((request, i): MetricSeries => {
    const answered = merged.get(`m${i}`);
    // A query the answer left out was not read (AWS answers every query; a failed call answers none).
    if (!answered && !failed.has(`m${i}`)) missing += 1;
    const got = answered ?? { timestamps: [], values: [], status: 'InternalError' as const };
    const byTime = new Map<number, number>();
    got.timestamps.forEach((t, k) => byTime.set(t, got.values[k] ?? 0));
    const isCount = COUNT_STATS.has(request.stat) && seriesWasRead(got);
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
  if (missing) failures.push(`no result for ${missing === 1 ? '1 query' : `${missing} queries`} in CloudWatch's answer`);
  return { series, messages, partial: series.filter((s) => s.status !== 'Complete' && seriesWasRead(s)), unread: series.filter((s) => !seriesWasRead(s)), failures };
}

/**
 * The dimension sets CloudWatch holds for one metric, filtered by some dimensions (ListMetrics
 * matches metrics that carry them, whatever else they carry). Used where AWS's pages disagree on
 * the dimension names (HTTP API routes): the sets are reused exactly as listed. Repeats are
 * dropped page by page (moto 5.2.1 lists a metric once per data point), so the item cap counts
 * distinct sets; `truncated` says when pages were left unread.
 */
export async function listDimensionSets(
  cloudwatch: CloudWatchClient,
  namespace: string,
  metricName: string,
  filter: Record<string, string>,
  limits: Pick<SourceLimits, 'maxPages' | 'maxItems'>,
): Promise<{ sets: Record<string, string>[]; truncated: boolean }> {
  const seen = new Set<string>();
  const read = await collectPages(async (token) => {
    const out = await cloudwatch.send(
      new ListMetricsCommand({
        Namespace: namespace,
        MetricName: metricName,
        Dimensions: Object.entries(filter).map(([Name, Value]) => ({ Name, Value })),
        ...(token ? { NextToken: token } : {}),
      }),
    );
    const fresh: Record<string, string>[] = [];
    for (const metric of out.Metrics ?? []) {
      const dims: Record<string, string> = {};
      for (const d of [...(metric.Dimensions ?? [])].sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''))) if (d.Name) dims[d.Name] = d.Value ?? '';
      const key = JSON.stringify(dims);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(dims);
    }
    return { items: fresh, ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, limits);
  return { sets: read.items, truncated: read.truncated !== undefined };
}

/** Sum of a count series, or undefined when there is none. */
export function totalOf(series: readonly MetricSeries[], metric: MetricName, scope: Partial<MetricScope>): number | undefined {
  const match = series.find((s) => s.metric === metric && s.scope.kind === scope.kind && s.scope.name === scope.name && s.scope.stage === scope.stage);
  return match?.total;
}
