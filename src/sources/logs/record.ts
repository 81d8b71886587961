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
export type KeptLine = (event: RecordedLogEvent) => boolean;

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
    const events = itemsOf(call.output, 'events').map(eventOf).filter(kept);
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
 * unparsed; every line when a log's whole window was read and counted from its records (its
 * route table is built from all of them, not only from the records kept as evidence).
 */
export function keptAccessLines(logs: readonly AccessLogEvidence[]): KeptLine {
  if (logs.some((log) => log.counts?.method === 'filter' && log.counts.routes)) return () => true;
  const unparsed = keptLines(logs.flatMap((log) => log.unparsed));
  const requests = new Map<number, string[]>();
  for (const log of logs) for (const r of log.records) requests.set(r.timestamp, [...(requests.get(r.timestamp) ?? []), r.requestId ?? '']);
  return (event) => unparsed(event) || (requests.get(event.timestamp) ?? []).some((id) => event.message.includes(id));
}
