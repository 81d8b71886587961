import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogLine, LogWindowCounts } from '../../core/evidence.js';
import type { Window } from '../../core/target.js';
import type { SourceLimits } from '../types.js';
import { formatBytes, runInsightsQuery, type InsightsBudget, type InsightsOutcome, type InsightsRow } from './insights.js';
import type { NewestRead } from './read-log-group.js';

/**
 * Counts over the whole window, computed server-side by Logs Insights: events per 5 minutes,
 * templates of the error lines (`pattern`), integration latency percentiles, and for access logs
 * requests per route and status. The queries of one group are started together, so they run
 * side by side (and the sandbox answers them in one pass).
 */
export interface WindowCountsResult {
  counts?: LogWindowCounts;
  /** Execution logs: the newest error lines of the window (at most ERROR_LINES_LIMIT), and how many there are. */
  errorLines?: LogLine[];
  errorTotal?: number;
  /** Why Insights was not used (or gave up), for the coverage row. */
  fallback?: string;
  refused?: boolean;
}

const BUCKET = '5m';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A Logs Insights regex matching any of the phrases (the error filter pattern's terms). */
export function anyPhraseRegex(phrases: readonly string[]): string {
  return `/${phrases.map(escapeRegex).join('|')}/`;
}

/** Rows one Insights query returns at most (the API's default `limit`). */
export const ERROR_LINES_LIMIT = 10_000;

export const executionQueries = (errorPhrases: readonly string[]) => ({
  errorLines: `filter @message like ${anyPhraseRegex(errorPhrases)}\n| fields @timestamp, @message, @logStream\n| sort @timestamp desc\n| limit ${ERROR_LINES_LIMIT}`,
  buckets: `stats count(*) as events by bin(${BUCKET})`,
  errors: `filter @message like ${anyPhraseRegex(errorPhrases)}\n| parse @message /^\\((?<requestId>[^)]*)\\) (?<text>.*)$/\n| pattern text`,
  latency: `filter @message like /Integration latency: /\n| parse @message /Integration latency: (?<latency>\\d+) ms/\n| stats pct(latency, 50) as p50, pct(latency, 95) as p95, pct(latency, 99) as p99, count(*) as responses`,
});

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

export const accessQueries = (fields: { method: string; path: string; status: string } | undefined) => ({
  buckets: fields
    ? `stats count(*) as requests by bin(${BUCKET}), ${field(fields.method)}, ${field(fields.path)}, ${field(fields.status)}`
    : `stats count(*) as requests by bin(${BUCKET})`,
});

const num = (value: string | undefined) => (value === undefined || value === '' ? 0 : Number(value));
const iso = (insightsTime: string | undefined) => (insightsTime ? `${insightsTime.replace(' ', 'T')}Z` : '');

function bucketsOf(rows: InsightsRow[], countColumn: string): { start: string; count: number }[] {
  const byStart = new Map<string, number>();
  for (const row of rows) {
    const start = iso(row[`bin(${BUCKET})`]);
    byStart.set(start, (byStart.get(start) ?? 0) + num(row[countColumn]));
  }
  return [...byStart.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([start, count]) => ({ start, count }));
}

function budgetOf(limits: SourceLimits, signal: AbortSignal): InsightsBudget {
  return { timeoutMs: limits.insightsTimeoutMs, maxBytes: limits.maxInsightsBytes, signal };
}

function failure(outcomes: InsightsOutcome[]): WindowCountsResult | undefined {
  const failed = outcomes.find((o): o is Extract<InsightsOutcome, { ok: false }> => !o.ok);
  if (!failed) return undefined;
  return { fallback: `Logs Insights ${failed.why}`, refused: failed.refused };
}

const bytesOf = (outcomes: InsightsOutcome[]) => outcomes.reduce((n, o) => n + o.bytesScanned, 0);

export async function countExecutionWindow(
  logs: CloudWatchLogsClient,
  logGroup: string,
  window: Window,
  limits: SourceLimits,
  signal: AbortSignal,
  errorPhrases: readonly string[],
): Promise<WindowCountsResult> {
  if (!limits.logsInsights) return { fallback: 'Logs Insights is turned off in the configuration' };
  const queries = executionQueries(errorPhrases);
  const budget = budgetOf(limits, signal);
  const outcomes = await Promise.all([
    runInsightsQuery(logs, [logGroup], window, queries.buckets, budget),
    runInsightsQuery(logs, [logGroup], window, queries.errors, budget, 50),
    runInsightsQuery(logs, [logGroup], window, queries.latency, budget),
    runInsightsQuery(logs, [logGroup], window, queries.errorLines, budget, ERROR_LINES_LIMIT),
  ]);
  const failed = failure(outcomes);
  if (failed) return failed;
  const [buckets, errors, latency, errorLines] = outcomes as Extract<InsightsOutcome, { ok: true }>[];
  const perBucket = bucketsOf(buckets?.rows ?? [], 'events');
  const latencyRow = latency?.rows[0];
  const responses = num(latencyRow?.responses);
  const lines: LogLine[] = (errorLines?.rows ?? [])
    .map((r) => ({ timestamp: Date.parse(iso(r['@timestamp'])), message: r['@message'] ?? '', ...(r['@logStream'] ? { logStream: r['@logStream'] } : {}) }))
    .sort((a, b) => a.timestamp - b.timestamp);
  return {
    errorLines: lines,
    errorTotal: errorLines?.recordsMatched ?? lines.length,
    counts: {
      method: 'insights',
      exact: true,
      events: perBucket.reduce((n, b) => n + b.count, 0),
      bytesScanned: bytesOf(outcomes),
      buckets: perBucket,
      errorPatterns: (errors?.rows ?? []).map((r) => ({ pattern: r['@pattern'] ?? '', count: num(r['@sampleCount']) })).filter((p) => p.pattern !== ''),
      ...(responses > 0 ? { latency: { p50: num(latencyRow?.p50), p95: num(latencyRow?.p95), p99: num(latencyRow?.p99), count: responses } } : {}),
    },
  };
}

export async function countAccessWindow(
  logs: CloudWatchLogsClient,
  logGroup: string,
  window: Window,
  limits: SourceLimits,
  signal: AbortSignal,
  format: string | undefined,
): Promise<WindowCountsResult> {
  if (!limits.logsInsights) return { fallback: 'Logs Insights is turned off in the configuration' };
  const fields = accessFields(format);
  const outcome = await runInsightsQuery(logs, [logGroup], window, accessQueries(fields).buckets, budgetOf(limits, signal));
  if (!outcome.ok) return { fallback: `Logs Insights ${outcome.why}`, refused: outcome.refused };
  const routes = fields
    ? outcome.rows.map((r) => ({
        bucket: iso(r[`bin(${BUCKET})`]),
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

/** "Logs Insights, 1.2 GiB scanned" / "FilterLogEvents (Logs Insights refused (logs:StartQuery))". */
export function countedBy(counts: LogWindowCounts, fallback: string | undefined): string {
  if (counts.method === 'insights') return `counted by Logs Insights, ${formatBytes(counts.bytesScanned ?? 0)} scanned`;
  return `${counts.exact ? 'counted' : 'estimated'} from FilterLogEvents${fallback ? ` (${fallback})` : ''}`;
}
