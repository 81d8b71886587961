import type { AccessLogRecord, CloudTrailEventEvidence, Evidence, FlowRecordEvidence } from '../core/evidence.js';
import { clip, compactJson, pairs, span, time } from './format.js';
import { templateLines as templateAll, type LogTemplate, type TemplatableLine, type TemplateResult } from './template.js';

/** Characters kept of one sample value: enough to recognise it, not a whole response body. */
const SAMPLE_CHARS = 120;
/** Non-error templates listed per log in the traffic summary (most frequent first). */
const TRAFFIC_TEMPLATES = 30;

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

function errorTemplateLines(lines: readonly TemplatableLine[], templater: Templater): string[] {
  const result = templater.template(lines);
  const out: string[] = [];
  for (const t of result.templates) {
    if (!t.error) continue;
    out.push(templateLine(t));
    if (t.example !== undefined) out.push(`  e.g. ${time(t.first)} ${t.example}`);
  }
  return out;
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
    out.push(`execution log stage=${log.stage} group=${log.logGroup} lines=${log.lines.length} error templates=${countTemplates(errors)}`);
    out.push(...errors);
  }
  for (const log of evidence['logs.access'] ?? []) {
    const failed = log.records.filter((r) => !isHealthy(r));
    out.push(`access log stage=${log.stage} group=${log.logGroup} format=${log.format} records=${log.records.length} non-2xx/3xx=${failed.length} unparsed=${log.unparsed.length}`);
    const result = templater.template(failed.map((r) => ({ timestamp: r.timestamp, message: accessRecordLine(r) })));
    for (const t of result.templates) out.push(templateLine(t));
    if (log.unparsed.length > 0) {
      out.push('unparsed access-log lines:');
      for (const t of templater.template(log.unparsed).templates) out.push(templateLine(t));
    }
  }
  for (const log of evidence['logs.lambda'] ?? []) {
    out.push(
      `lambda log ${log.functionName} group=${log.logGroup} errors=${log.errors} timeouts=${log.timeouts} throttles=${log.throttles} lines=${log.lines.length}`,
    );
    // These lines were selected because they show a failure: each template keeps an example.
    for (const t of templater.template(log.lines).templates) {
      out.push(templateLine(t));
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

/** Section 7: healthy traffic — 2xx/3xx counts per route, and the common execution-log shapes. */
export function trafficLines(evidence: Evidence, templater: Templater = makeTemplater()): string[] {
  const out: string[] = [];
  for (const log of evidence['logs.access'] ?? []) {
    const routes = countByKey(log.records.filter(isHealthy), (r) => `${r.httpMethod ?? '?'} ${r.resourcePath ?? '?'} ${r.status}`);
    out.push(`access log stage=${log.stage} healthy routes=${routes.length}`);
    for (const g of routes) out.push(countedLine(g));
  }
  for (const log of evidence['logs.execution'] ?? []) {
    const result = templater.template(log.lines);
    const healthy = result.templates.filter((t) => !t.error);
    out.push(`execution log stage=${log.stage} non-error templates=${healthy.length}`);
    for (const t of healthy.slice(0, TRAFFIC_TEMPLATES)) out.push(templateLine(t));
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
