import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CoverageRow } from '../../core/coverage.js';
import type { LogWindowCounts } from '../../core/evidence.js';
import type { Window } from '../../core/target.js';
import type { SourceLimits } from '../types.js';
import { formatBytes, runInsightsQueries, type InsightsBudget, type InsightsOutcome, type InsightsRow } from './insights.js';
import type { NewestRead } from './read-log-group.js';

/**
 * Counts over the whole window, computed server-side by Logs Insights, with one query per log
 * group: Insights bills every query for every byte of the group in its time range, whatever the
 * query filters, so what firebreak needs from a group is asked in one `stats … by bin(5m)` with
 * several aggregation functions side by side (the `stats` page of the query syntax). The answer
 * is checked before it is believed: columns missing, counts that are not numbers or a result cut
 * at its row limit make the counts an estimate from FilterLogEvents, and the row says why.
 */
export interface WindowCountsResult {
  counts?: LogWindowCounts;
  /** Execution logs: error lines in the window, counted by Insights. */
  errorTotal?: number;
  /** Why Insights was not used (or not believed), for the coverage row. */
  fallback?: string;
  refused?: boolean;
  /** Bytes Insights scanned even when its answer was not used. */
  bytesScanned?: number;
  /** Records the query scanned, by its own statistics, when its rows were not believed. */
  recordsScanned?: number;
}

const BUCKET = '5m';
const BIN = `bin(${BUCKET})`;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Rows one Insights query returns at most (the API's default `limit`). */
export const ROW_LIMIT = 10_000;

/**
 * Everything firebreak counts in an execution log group, per 5 minutes, in one query: events,
 * error lines (the error filter's phrases), integration responses and their latency percentiles.
 */
export const executionQuery = (errorPhrases: readonly string[]) =>
  [
    `parse @message /(?<fbError>${errorPhrases.map(escapeRegex).join('|')})/`,
    'parse @message /Integration latency: (?<fbLatency>\\d+) ms/',
    `stats count(*) as events, count(fbError) as errors, count(fbLatency) as responses, pct(fbLatency, 50) as p50, pct(fbLatency, 95) as p95, pct(fbLatency, 99) as p99, max(fbLatency) as pmax by ${BIN}`,
  ].join('\n| ');

/**
 * Field names in a JSON access-log format for the route table; undefined for other formats. A
 * WebSocket format counts by `eventType` and `routeKey` where REST's counts by method and path.
 */
export function accessFields(format: string | undefined): { method: string; path: string; status: string } | undefined {
  if (!format || !format.trim().startsWith('{')) return undefined;
  const keyOf = (variable: string) => new RegExp(`"([^"]+)"\\s*:\\s*"?\\$context\\.${escapeRegex(variable)}"?\\s*[,}]`).exec(format)?.[1];
  const status = keyOf('status');
  const method = keyOf('httpMethod');
  const path = keyOf('resourcePath');
  if (method && path && status) return { method, path, status };
  const eventType = keyOf('eventType');
  const routeKey = keyOf('routeKey');
  return eventType && routeKey && status ? { method: eventType, path: routeKey, status } : undefined;
}

const field = (name: string) => (/^[A-Za-z_@][\w.@]*$/.test(name) ? name : `\`${name}\``);

/** Requests per 5 minutes, and per route and status when the format is JSON: one query. */
export const accessQuery = (fields: { method: string; path: string; status: string } | undefined) =>
  fields ? `stats count(*) as requests by ${BIN}, ${field(fields.method)}, ${field(fields.path)}, ${field(fields.status)}` : `stats count(*) as requests by ${BIN}`;

const num = (value: string | undefined) => (value === undefined || value === '' ? 0 : Number(value));
const iso = (insightsTime: string | undefined) => (insightsTime ? `${insightsTime.replace(' ', 'T')}Z` : '');

function bucketsOf(rows: InsightsRow[], countColumn: string): { start: string; count: number }[] {
  const byStart = new Map<string, number>();
  for (const row of rows) {
    const start = iso(row[BIN]);
    byStart.set(start, (byStart.get(start) ?? 0) + num(row[countColumn]));
  }
  return [...byStart.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([start, count]) => ({ start, count }));
}

function budgetOf(limits: SourceLimits, signal: AbortSignal): InsightsBudget {
  return { timeoutMs: limits.insightsTimeoutMs, maxBytes: limits.maxInsightsBytes, signal };
}

/**
 * Why a stats answer cannot be believed, or undefined when it can: rows without the columns asked
 * for (an emulator answering with the events instead), counts that are not numbers, rows cut at the
 * row limit, or no row at all for records the query matched.
 */
export function statsAnswerProblem(outcome: Extract<InsightsOutcome, { ok: true }>, columns: readonly string[], limit = ROW_LIMIT): string | undefined {
  const { rows } = outcome;
  if (rows.length === 0) return outcome.recordsMatched > 0 ? `no rows for ${outcome.recordsMatched.toLocaleString('en-US')} matched records` : undefined;
  const missing = [BIN, ...columns].filter((column) => rows.some((row) => row[column] === undefined));
  if (missing.length > 0) return `answered without the fields asked for (${missing.join(', ')})`;
  for (const column of columns) {
    const bad = rows.find((row) => !/^\d+(\.\d+)?$/.test(row[column] ?? ''));
    if (bad) return `answered ${column} = "${String(bad[column]).slice(0, 40)}", not a count`;
  }
  if (rows.length >= limit) return `answered ${rows.length.toLocaleString('en-US')} rows, its row limit: some are missing`;
  return undefined;
}

function notBelieved(outcome: Extract<InsightsOutcome, { ok: true }>, problem: string): WindowCountsResult {
  return { fallback: `Logs Insights ${problem}`, bytesScanned: outcome.bytesScanned, ...(outcome.recordsScanned > 0 ? { recordsScanned: outcome.recordsScanned } : {}) };
}

function failed(outcome: InsightsOutcome): WindowCountsResult | undefined {
  if (outcome.ok) return undefined;
  return { fallback: `Logs Insights ${outcome.why}`, refused: outcome.refused, bytesScanned: outcome.bytesScanned };
}

/** One quantile of the window from per-bucket percentiles: each bucket's distribution drawn through its p50, p95, p99 and max. */
function mergedQuantile(buckets: { count: number; points: [number, number][] }[], q: number): number {
  const total = buckets.reduce((n, b) => n + b.count, 0);
  const cdf = (x: number) =>
    buckets.reduce((sum, b) => {
      let below = 0;
      let previous: [number, number] = [0, 0];
      for (const point of b.points) {
        if (x >= point[0]) below = point[1];
        else {
          below = previous[1] + ((point[1] - previous[1]) * (x - previous[0])) / Math.max(1e-9, point[0] - previous[0]);
          break;
        }
        previous = point;
      }
      return sum + b.count * below;
    }, 0);
  let low = 0;
  let high = Math.max(0, ...buckets.flatMap((b) => b.points.map((p) => p[0])));
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (cdf(mid) >= q * total) high = mid;
    else low = mid;
  }
  return Math.round(high);
}

function latencyOf(rows: InsightsRow[]): LogWindowCounts['latency'] {
  const buckets = rows
    .filter((r) => num(r.responses) > 0 && r.p50 !== undefined && r.p50 !== '')
    .map((r) => {
      const p50 = num(r.p50);
      const p95 = Math.max(p50, num(r.p95));
      const p99 = Math.max(p95, num(r.p99));
      const max = Math.max(p99, r.pmax ? num(r.pmax) : p99);
      return { count: num(r.responses), points: [[p50, 0.5], [p95, 0.95], [p99, 0.99], [max, 1]] as [number, number][] };
    });
  const count = buckets.reduce((n, b) => n + b.count, 0);
  if (count === 0) return undefined;
  const only = buckets.length === 1 ? buckets[0] : undefined;
  const at = (q: number, index: number) => (only ? (only.points[index] as [number, number])[0] : mergedQuantile(buckets, q));
  return { p50: at(0.5, 0), p95: at(0.95, 1), p99: at(0.99, 2), count, ...(only ? {} : { fromBuckets: true }) };
}

/** The query an execution log group is counted with, run and checked: counts, or why not. */
export function executionCounts(outcome: InsightsOutcome): WindowCountsResult {
  const notRun = failed(outcome);
  if (notRun || !outcome.ok) return notRun ?? {};
  const problem = statsAnswerProblem(outcome, ['events', 'errors', 'responses']);
  if (problem) return notBelieved(outcome, problem);
  const errorsAt = new Map(bucketsOf(outcome.rows, 'errors').map((b) => [b.start, b.count]));
  const perBucket = bucketsOf(outcome.rows, 'events').map((b) => ({ ...b, errors: errorsAt.get(b.start) ?? 0 }));
  const latency = latencyOf(outcome.rows);
  const errors = perBucket.reduce((n, b) => n + b.errors, 0);
  return {
    errorTotal: errors,
    counts: {
      method: 'insights',
      exact: true,
      events: perBucket.reduce((n, b) => n + b.count, 0),
      errors,
      bytesScanned: outcome.bytesScanned,
      buckets: perBucket,
      ...(latency ? { latency } : {}),
    },
  };
}

/** The access log group's query, run and checked. */
export function accessCounts(outcome: InsightsOutcome, format: string | undefined): WindowCountsResult {
  const notRun = failed(outcome);
  if (notRun || !outcome.ok) return notRun ?? {};
  const problem = statsAnswerProblem(outcome, ['requests']);
  if (problem) return notBelieved(outcome, problem);
  const fields = accessFields(format);
  const routes = fields
    ? outcome.rows.map((r) => ({
        bucket: iso(r[BIN]),
        method: r[fields.method] ?? '?',
        path: r[fields.path] ?? '?',
        status: num(r[fields.status]),
        count: num(r.requests),
      }))
    : undefined;
  const perBucket = bucketsOf(outcome.rows, 'requests');
  return {
    counts: {
      method: 'insights',
      exact: true,
      events: perBucket.reduce((n, b) => n + b.count, 0),
      bytesScanned: outcome.bytesScanned,
      buckets: perBucket,
      ...(routes ? { routes } : {}),
    },
  };
}

/** Runs one log group's counting query (or says why it does not run). */
export async function countWindow(logs: CloudWatchLogsClient, logGroup: string, window: Window, limits: SourceLimits, signal: AbortSignal, queryString: string): Promise<InsightsOutcome | WindowCountsResult> {
  if (!limits.logsInsights) return { fallback: 'Logs Insights is turned off in the configuration' };
  const [outcome] = await runInsightsQueries(logs, [{ logGroupNames: [logGroup], window, queryString }], budgetOf(limits, signal));
  return outcome as InsightsOutcome;
}

/** Without Insights: the total from what FilterLogEvents read, exact only if it read the whole window. */
export function estimatedCounts(read: NewestRead, window: Window): LogWindowCounts {
  const until = window.until.getTime();
  const span = Math.max(1, until - window.since.getTime());
  const covered = Math.max(1, until - read.readFrom);
  // A read of part of the window (e.g. the period of other kept lines) counts only that part.
  const whole = read.complete && read.readFrom <= window.since.getTime();
  return {
    method: 'filter',
    exact: whole,
    events: whole ? read.seen : Math.round((read.seen * span) / covered),
  };
}

/**
 * The counts when Insights did not give them (off, refused, failed, or an answer not believed):
 * estimated from what FilterLogEvents read; an answer not believed may still say, in its own
 * statistics, how many records its query scanned, which is the better total (still marked not exact).
 */
export function fallbackCounts(result: WindowCountsResult, read: NewestRead, window: Window): LogWindowCounts {
  const counts = estimatedCounts(read, window);
  if (result.bytesScanned) counts.bytesScanned = result.bytesScanned;
  if (!counts.exact && result.recordsScanned && result.recordsScanned >= read.seen) {
    counts.events = result.recordsScanned;
    result.fallback = `${result.fallback ?? 'Logs Insights'}; the total is the ${result.recordsScanned.toLocaleString('en-US')} records its query scanned`;
  }
  return counts;
}

/** "Logs Insights, 1.2 GiB scanned" / "FilterLogEvents (Logs Insights refused (logs:StartQuery))". */
export function countedBy(counts: LogWindowCounts, fallback: string | undefined): string {
  if (counts.method === 'insights') return `counted by Logs Insights, ${formatBytes(counts.bytesScanned ?? 0)} scanned (one query)`;
  return `${counts.exact ? 'counted' : 'estimated'} from FilterLogEvents${fallback ? ` (${fallback})` : ''}`;
}

/**
 * The rounds a log read needs, for the minimal critical path: one page when the window fits it;
 * a larger window is also counted, and a count is StartQuery then GetQueryResults.
 */
export function windowNeeds(row: CoverageRow): number {
  return row.truncated ? 2 : 1;
}
