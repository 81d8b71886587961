import type { AccessLogRecord, CloudTrailEventEvidence, Evidence, FlowRecordEvidence, LogWindowCounts } from '../core/evidence.js';
import { clip, compactJson, pairs, span, time } from './format.js';
import { templateLines as templateAll, type LogTemplate, type TemplatableLine, type TemplateResult } from './template.js';

/** Characters kept of one sample value: enough to recognise it, not a whole response body. */
const SAMPLE_CHARS = 120;

/** Access-log keys already on the line in their own right, or pure noise for a reader. */
const ACCESS_SKIP_KEYS = new Set(['requestTime', 'requestTimeEpoch', 'httpMethod', 'resourcePath', 'status', 'ip', 'requestId']);

/**
 * Templates log lines for the sections of one bundle: each line array once (execution logs feed
 * two sections), every message passed through `prepare` first (redaction: templating would split
 * a secret from the context that identifies it).
 */
export interface Templater {
  template(lines: readonly TemplatableLine[]): TemplateResult;
  prepare(message: string): string;
}

export function makeTemplater(prepare: (message: string) => string = (m) => m): Templater {
  const cache = new Map<readonly TemplatableLine[], TemplateResult>();
  return {
    prepare,
    template(lines) {
      let result = cache.get(lines);
      if (!result) {
        result = templateAll(lines.map((l) => ({ timestamp: l.timestamp, message: prepare(l.message) })));
        cache.set(lines, result);
      }
      return result;
    },
  };
}

export function templateLine(t: LogTemplate): string {
  const samples = Object.entries(t.samples)
    .map(([position, values]) => `${position}=${values.map((v) => clip(v, SAMPLE_CHARS)).join('|')}`)
    .join('; ');
  return `[${t.count}×] ${t.template} (${span(t.first, t.last)})${samples ? ` samples: ${samples}` : ''}`;
}

/** Templates listed per log in the error section, and how many of them carry a verbatim example. */
const ERROR_TEMPLATES = 12;
const ERROR_EXAMPLES = 6;
/** Request ids and UUIDs tell a reader nothing a count does not: their samples are left out. */
const ID_LIKE = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9+/_-]{12,20}=)$/;

/** A template with at most two samples per position, leaving out positions that only hold ids. */
export function leanTemplateLine(t: LogTemplate): string {
  const samples = Object.entries(t.samples)
    .filter(([, values]) => !values.every((v) => ID_LIKE.test(v)))
    .map(([position, values]) => `${position}=${values.slice(0, 2).map((v) => clip(v, SAMPLE_CHARS)).join('|')}`)
    .join('; ');
  return `[${t.count}×] ${t.template} (${span(t.first, t.last)})${samples ? ` samples: ${samples}` : ''}`;
}

/**
 * Healthy API Gateway lines that use an error word: "Request will not contribute to throttle or
 * quota limits" is how every request without an API key is logged, not a throttle.
 */
const HEALTHY_LINES = /does not require API Key\. Request will not contribute to throttle or quota limits|Usage Plan check succeeded/;

/** The example adds nothing when it is the template with only its request id filled in. */
function exampleAddsNothing(t: LogTemplate): boolean {
  return t.example !== undefined && t.example.replace(/^\([^)]*\)\s*/, '') === t.template.replace(/^<reqid>\s*/, '');
}

function errorTemplateLines(lines: readonly TemplatableLine[], templater: Templater): string[] {
  const result = templater.template(lines);
  const out: string[] = [];
  const errors = result.templates.filter((t) => t.error && !HEALTHY_LINES.test(t.template));
  errors.slice(0, ERROR_TEMPLATES).forEach((t, index) => {
    out.push(leanTemplateLine(t));
    if (t.example !== undefined && index < ERROR_EXAMPLES && !exampleAddsNothing(t)) out.push(`  e.g. ${time(t.first)} ${t.example}`);
  });
  if (errors.length > ERROR_TEMPLATES) out.push(`(${errors.length - ERROR_TEMPLATES} rarer error templates left out)`);
  return out;
}

const n = (value: number) => value.toLocaleString('en-US');

/** `newest 5,000 of 751,357 lines, 11:52:03Z..12:00:00Z` when the lines are the newest of more. */
function keptText(kept: number, counts: LogWindowCounts | undefined, period: { from: string; until: string } | undefined, noun: string): string {
  if (!counts || counts.events <= kept || !period) return `${noun}=${n(kept)}`;
  return `${noun}: newest ${n(kept)} of ${counts.exact ? '' : '~'}${n(counts.events)} (${span(Date.parse(period.from), Date.parse(period.until))})`;
}

/** One access-log record as one line: status, method and path first, then the other fields. */
export function accessRecordLine(record: AccessLogRecord, includeTime = false): string {
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.fields)) if (!ACCESS_SKIP_KEYS.has(key)) extra[key] = value;
  // The request id leads in parentheses, like an execution-log line, so the templater masks it
  // whatever its shape (clients may set their own).
  const id = record.requestId !== undefined ? `(${record.requestId}) ` : '';
  const head = `status=${record.status ?? '?'} ${record.httpMethod ?? '?'} ${record.resourcePath ?? '?'}`;
  const rest = pairs({ ip: record.ip, ...extra });
  return `${includeTime ? `${time(record.timestamp)} ` : ''}${id}${head}${rest ? ` ${rest}` : ''}`;
}

function isHealthy(record: AccessLogRecord): boolean {
  return record.status !== undefined && record.status < 400;
}

/** Section 4: errors from execution, access (non-2xx/3xx) and Lambda logs, templated. */
export function logErrorLines(evidence: Evidence, templater: Templater = makeTemplater()): string[] {
  const out: string[] = [];
  for (const log of evidence['logs.execution'] ?? []) {
    const errors = errorTemplateLines(log.lines, templater);
    out.push(`execution log stage=${log.stage} group=${log.logGroup} ${keptText(log.lines.length, log.counts, log.period, 'lines')} error templates=${countTemplates(errors)}`);
    const patterns = log.counts?.errorPatterns ?? [];
    if (patterns.length > 0) {
      out.push('error lines over the whole window (Logs Insights pattern):');
      for (const p of patterns.filter((p) => !HEALTHY_LINES.test(p.pattern)).slice(0, ERROR_TEMPLATES)) out.push(`[${n(p.count)}×] ${p.pattern}`);
      out.push('the newest error lines read, templated:');
    }
    out.push(...errors);
  }
  for (const log of evidence['logs.access'] ?? []) {
    const failed = log.records.filter((r) => !isHealthy(r));
    out.push(
      `access log stage=${log.stage} group=${log.logGroup} format=${log.format} ${keptText(log.records.length, log.counts, log.period, 'records')} non-2xx/3xx=${failed.length} unparsed=${log.unparsed.length}`,
    );
    const windowErrors = routeTable((log.counts?.routes ?? []).filter((r) => r.status >= 400));
    if (windowErrors.length > 0) out.push(`non-2xx/3xx over the whole window: ${windowErrors.join(' · ')}`);
    const result = templater.template(failed.map((r) => ({ timestamp: r.timestamp, message: accessRecordLine(r) })));
    for (const t of result.templates.slice(0, ERROR_TEMPLATES)) out.push(leanTemplateLine(t));
    if (log.unparsed.length > 0) {
      out.push('unparsed access-log lines:');
      for (const t of templater.template(log.unparsed).templates) out.push(templateLine(t));
    }
  }
  for (const log of evidence['logs.lambda'] ?? []) {
    // A function with no failure line has nothing to show here (its coverage row says so).
    if (log.lines.length === 0 && log.errors + log.timeouts + log.throttles === 0) continue;
    out.push(
      `lambda log ${log.functionName} group=${log.logGroup} errors=${log.errors} timeouts=${log.timeouts} throttles=${log.throttles} lines=${log.lines.length}`,
    );
    // These lines were selected because they show a failure: each template keeps an example.
    for (const t of templater.template(log.lines).templates.slice(0, ERROR_TEMPLATES)) {
      out.push(leanTemplateLine(t));
      out.push(`  e.g. ${time(t.first)} ${firstMessage(log.lines, t, templater)}`);
    }
  }
  return out;
}

function countTemplates(lines: string[]): number {
  return lines.filter((l) => l.startsWith('[')).length;
}

function firstMessage(lines: readonly TemplatableLine[], t: LogTemplate, templater: Templater): string {
  if (t.example !== undefined) return t.example;
  // Non-error-looking template (only Lambda logs get here): its first line, prepared like the rest.
  const first = lines.find((l) => l.timestamp === t.first);
  return first ? templater.prepare(first.message).trimEnd() : '';
}

function cloudTrailLine(prefix: string, event: CloudTrailEventEvidence): string {
  return `${prefix} ${time(event.eventTime)} ${event.eventName} ${pairs({
    source: event.eventSource,
    account: event.accountId,
    region: event.region,
    user: event.username,
    principal: event.principalArn,
    errorCode: event.errorCode,
    scp: event.scpDeny ? (event.scpDeny.policyArn ?? 'yes') : undefined,
    resources: event.resources.map((r) => r.name ?? r.type ?? '?'),
    eventId: event.eventId,
  })}${event.errorMessage ? ` message="${clip(event.errorMessage, 400)}"` : ''}${
    event.requestParameters ? ` params=${compactJson(event.requestParameters, 400)}` : ''
  }`;
}

const newestFirst = (a: CloudTrailEventEvidence, b: CloudTrailEventEvidence): number =>
  b.eventTime.localeCompare(a.eventTime) || a.eventId.localeCompare(b.eventId);

/** Section 5: denies first (they explain failures), then changes; newest first within each. */
export function cloudTrailLines(evidence: Evidence): string[] {
  const denies = [...(evidence['cloudtrail.denies'] ?? [])].sort(newestFirst);
  const changes = [...(evidence['cloudtrail.changes'] ?? [])].sort(newestFirst);
  return [...denies.map((e) => cloudTrailLine('deny', e)), ...changes.map((e) => cloudTrailLine('change', e))];
}

interface KeyCount {
  key: string;
  count: number;
  first: number;
  last: number;
}

/** Groups timed items by a key: count and first/last time each, most frequent first. */
function countByKey<T extends { timestamp: number }>(items: readonly T[], keyOf: (item: T) => string): KeyCount[] {
  const groups = new Map<string, KeyCount>();
  for (const item of items) {
    const key = keyOf(item);
    const g = groups.get(key);
    if (g) {
      g.count++;
      g.first = Math.min(g.first, item.timestamp);
      g.last = Math.max(g.last, item.timestamp);
    } else groups.set(key, { key, count: 1, first: item.timestamp, last: item.timestamp });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

const countedLine = (g: KeyCount): string => `[${g.count}×] ${g.key} (${span(g.first, g.last)})`;

function rejectKey(r: FlowRecordEvidence): string {
  return `REJECT ${r.srcaddr ?? '?'} → ${r.dstaddr ?? '?'}:${r.dstport ?? '?'} protocol=${r.protocol ?? '?'} eni=${r.interfaceId ?? '?'}`;
}

/** Section 6: flow log configuration and REJECT records, grouped by flow (addresses are evidence). */
export function flowLogLines(evidence: Evidence): string[] {
  const flow = evidence['ec2.flow-logs'];
  if (!flow) return [];
  const out = flow.flowLogs.map(
    (f) =>
      `flow log ${f.flowLogId} ${pairs({
        resource: f.resourceId,
        traffic: f.trafficType,
        destination: f.logDestinationType,
        group: f.logGroupName,
        status: f.flowLogStatus,
        delivery: f.deliverLogsStatus,
        format: f.logFormat,
      })}`,
  );
  const groups = countByKey(flow.rejects, rejectKey);
  out.push(`rejects=${flow.rejects.length} flows=${groups.length}`);
  for (const g of groups) out.push(countedLine(g));
  return out;
}

type RouteCount = { bucket: string; method: string; path: string; status: number; count: number };

/** `GET /users 200: 842` per route and status, most requests first. */
function routeTable(rows: readonly RouteCount[]): string[] {
  const byRoute = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.method} ${r.path} ${r.status}`;
    byRoute.set(key, (byRoute.get(key) ?? 0) + r.count);
  }
  return [...byRoute.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key, count]) => `${key}: ${n(count)}`);
}

const BUCKET_MS = 5 * 60_000;
/** A 5-minute bucket is listed when its count differs from the last one listed by more than this. */
const CHANGE = 0.25;

/** `10:00 58 · 10:25 31`: the buckets where the rate changes, not every bucket. */
function changes(rows: readonly RouteCount[]): string | undefined {
  const byBucket = new Map<string, number>();
  for (const r of rows) byBucket.set(r.bucket, (byBucket.get(r.bucket) ?? 0) + r.count);
  const ordered = [...byBucket.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  if (ordered.length < 2) return undefined;
  const shown: string[] = [];
  let last: number | undefined;
  for (const [bucket, count] of ordered) {
    if (last === undefined || Math.abs(count - last) > CHANGE * Math.max(last, 1)) {
      shown.push(`${bucket.slice(11, 16)} ${n(count)}`);
      last = count;
    }
  }
  return shown.length > 1 ? shown.join(' · ') : undefined;
}

function recordRows(records: readonly AccessLogRecord[]): RouteCount[] {
  return records.map((r) => ({
    bucket: new Date(Math.floor(r.timestamp / BUCKET_MS) * BUCKET_MS).toISOString(),
    method: r.httpMethod ?? '?',
    path: r.resourcePath ?? '?',
    status: r.status ?? 0,
    count: 1,
  }));
}

const COMPLETED = /Method completed with status: (\d{3})/;

/**
 * Section 7: healthy traffic as a compact table — 2xx/3xx requests per route and status, and per
 * 5 minutes where the rate changes — over the whole window when Logs Insights counted it. Errors
 * never appear here: they are in log-errors.
 */
export function trafficLines(evidence: Evidence): string[] {
  const out: string[] = [];
  const accessStages = new Set<string>();
  for (const log of evidence['logs.access'] ?? []) {
    accessStages.add(log.stage);
    const windowRows = log.counts?.routes;
    const rows = windowRows ?? recordRows(log.records);
    const healthy = rows.filter((r) => r.status >= 100 && r.status < 400);
    const total = rows.reduce((sum, r) => sum + r.count, 0);
    const ok = healthy.reduce((sum, r) => sum + r.count, 0);
    const scope = windowRows ? `over the whole window (${log.counts?.method === 'insights' ? 'Logs Insights' : 'every record read'})` : `in the ${n(log.records.length)} records read`;
    out.push(`access log stage=${log.stage}: ${n(ok)} of ${n(total)} requests 2xx/3xx ${scope}; the other ${n(total - ok)} are in log-errors`);
    const table = routeTable(healthy);
    if (table.length > 0) out.push(table.join(' · '));
    const rate = changes(healthy);
    if (rate) out.push(`2xx/3xx per 5 min where it changes: ${rate}`);
  }
  for (const log of evidence['logs.execution'] ?? []) {
    const latency = log.counts?.latency;
    if (latency) {
      const about = latency.fromBuckets ? ' (≈, merged from 5-minute percentiles)' : '';
      out.push(`integration latency stage=${log.stage} over the window: p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms${about} (${n(latency.count)} responses)`);
    }
    if (accessStages.has(log.stage)) continue;
    // No access log: the execution log's completion lines give the status counts of the lines read.
    const byStatus = new Map<number, number>();
    for (const line of log.lines) {
      const status = Number(COMPLETED.exec(line.message)?.[1] ?? 0);
      if (status >= 100 && status < 400) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
    const parts = [...byStatus.entries()].sort((a, b) => b[1] - a[1]).map(([status, count]) => `${status}: ${n(count)}`);
    out.push(`execution log stage=${log.stage}: requests completed 2xx/3xx in the lines read: ${parts.join(' · ') || 'none'}`);
  }
  return out;
}

/** Every log line, record and event as collected, for measuring "tokens collected". */
export function plainLogLines(evidence: Evidence): string[] {
  const out: string[] = [];
  for (const log of evidence['logs.execution'] ?? []) {
    out.push(`execution log stage=${log.stage} group=${log.logGroup}`);
    for (const line of log.lines) out.push(`${time(line.timestamp)} ${line.message.trimEnd()}`);
  }
  for (const log of evidence['logs.access'] ?? []) {
    out.push(`access log stage=${log.stage} group=${log.logGroup}`);
    for (const record of log.records) out.push(accessRecordLine(record, true));
    for (const line of log.unparsed) out.push(`${time(line.timestamp)} ${line.message.trimEnd()}`);
  }
  for (const log of evidence['logs.lambda'] ?? []) {
    // A function with no failure line has nothing to show here (its coverage row says so).
    if (log.lines.length === 0 && log.errors + log.timeouts + log.throttles === 0) continue;
    out.push(`lambda log ${log.functionName} group=${log.logGroup}`);
    for (const line of log.lines) out.push(`${time(line.timestamp)} ${line.message.trimEnd()}`);
  }
  for (const e of evidence['cloudtrail.denies'] ?? []) out.push(`deny ${JSON.stringify(e)}`);
  for (const e of evidence['cloudtrail.changes'] ?? []) out.push(`change ${JSON.stringify(e)}`);
  const flow = evidence['ec2.flow-logs'];
  for (const f of flow?.flowLogs ?? []) out.push(`flow log ${JSON.stringify(f)}`);
  for (const r of flow?.rejects ?? []) out.push(r.raw);
  return out;
}
