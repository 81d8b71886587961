import type { AccessLogEvidence, LogLine } from '../../core/evidence.js';
import type { CapturedCall, RecordedLogEvent, ScenarioWriter } from '../../core/recording.js';
import { itemsOf, text } from '../record.js';

/**
 * How a log source is written into a scenario. The lines its evidence kept (the newest, every
 * error line) are copied verbatim into their log group; every FilterLogEvents answer it read is
 * replayed page for page, the lines it did not keep counted rather than copied, so a replay reads
 * the same pages, counts the same events and keeps the same lines; every Logs Insights query is
 * answered again as it came back, so the totals replay exactly although most lines are not kept.
 */
export type KeptLine = (event: RecordedLogEvent, logGroupName: string) => boolean;

function eventOf(raw: Record<string, unknown>): RecordedLogEvent {
  return {
    timestamp: typeof raw.timestamp === 'number' ? raw.timestamp : 0,
    message: String(raw.message ?? '').replace(/\n$/, ''),
    ...(text(raw.logStreamName) ? { logStreamName: String(raw.logStreamName) } : {}),
  };
}

const groupOf = (call: CapturedCall) => String(call.input.logGroupName ?? call.input.logGroupIdentifier ?? '').replace(/:\*$/, '').replace(/^arn:[^:]*:logs:[^:]*:\d*:log-group:/, '');

/** The lines kept, the FilterLogEvents pages and the Insights queries of one source's reads. */
export function recordLogReads(calls: readonly CapturedCall[], kept: KeptLine, w: ScenarioWriter): void {
  for (const call of calls) {
    if (call.service !== 'logs' || call.operation !== 'FilterLogEvents' || !call.output) continue;
    const group = groupOf(call);
    const events = itemsOf(call.output, 'events').map(eventOf).filter((event) => kept(event, group));
    if (events.length) w.logEvents(call.accountId, group, events);
    w.filterLogEvents(call);
  }
  recordInsightsQueries(calls, w);
}

/** Each StartQuery with the GetQueryResults answers to its id (and whether it was stopped). */
export function recordInsightsQueries(calls: readonly CapturedCall[], w: ScenarioWriter): void {
  const logs = calls.filter((c) => c.service === 'logs');
  for (const start of logs) {
    const id = start.operation === 'StartQuery' ? text(start.output?.queryId) : undefined;
    if (!id) continue;
    const polls = logs.filter((c) => c.operation === 'GetQueryResults' && c.input.queryId === id);
    const stopped = logs.some((c) => c.operation === 'StopQuery' && c.input.queryId === id && c.output?.success === true);
    w.insightsQuery(start, polls, stopped);
  }
}

const lineKey = (line: { timestamp: number; message: string }) => `${line.timestamp}\u0000${line.message}`;

/** Kept: one of these lines (execution and Lambda logs, unparsed access lines). */
export function keptLines(lines: readonly LogLine[]): KeptLine {
  const keys = new Set(lines.map(lineKey));
  return (event) => keys.has(lineKey(event));
}

/**
 * Kept: the line behind one of these access records (by its time and request id), or one left
 * unparsed; and every line of a group whose window was counted line by line (`filter`: the
 * buckets and the route table came from each line read, also those older than the records kept),
 * so the replay counts the same.
 */
export function keptAccessLines(logs: readonly AccessLogEvidence[]): KeptLine {
  const unparsed = keptLines(logs.flatMap((log) => log.unparsed));
  const countedByLine = new Set(logs.filter((log) => log.counts?.method === 'filter').map((log) => log.logGroup));
  const requests = new Map<number, string[]>();
  for (const log of logs) for (const r of log.records) requests.set(r.timestamp, [...(requests.get(r.timestamp) ?? []), r.requestId ?? '']);
  return (event, group) => countedByLine.has(group) || unparsed(event, group) || (requests.get(event.timestamp) ?? []).some((id) => event.message.includes(id));
}

/** The record step of a source whose evidence keeps log lines per group or stage (execution, Lambda logs). */
export function recordLineReads(read: { calls: readonly CapturedCall[]; evidence: readonly { lines: readonly LogLine[] }[] | undefined }, w: ScenarioWriter): void {
  recordLogReads(read.calls, keptLines((read.evidence ?? []).flatMap((e) => e.lines)), w);
}
