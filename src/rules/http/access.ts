import type { AccessLogEvidence, AccessLogRecord, HttpRouteEvidence, HttpStageEvidence } from '../../core/evidence.js';
import type { EvidenceRef } from '../../core/finding.js';
import { countFailures, fromRecords, type Count, type Family } from '../counting/index.js';
import { clip, evidenceOf } from '../helpers.js';
import type { RuleInput } from '../types.js';

/**
 * Shared reading of HTTP API evidence for the H rules: the stages and routes in scope, and the
 * access log records (the only request log an HTTP API has) with their `$context` values.
 */

/** The stages in scope: only the target stage when one is named. */
export function httpStages(input: RuleInput): HttpStageEvidence[] {
  const stages = evidenceOf(input, 'apigwv2.stages') ?? [];
  return input.target.stage ? stages.filter((s) => s.stageName === input.target.stage) : stages;
}

export function httpRoutes(input: RuleInput): HttpRouteEvidence[] {
  return evidenceOf(input, 'apigwv2.routes')?.routes ?? [];
}

/** Access logs of the stages in scope. */
export function accessLogs(input: RuleInput): AccessLogEvidence[] {
  const logs = evidenceOf(input, 'logs.access') ?? [];
  return input.target.stage ? logs.filter((l) => l.stage === input.target.stage) : logs;
}

/** A `$context` value of a record by variable name (first of the alternatives present); `-` is no value. */
export function contextValue(record: AccessLogRecord, ...names: string[]): string | undefined {
  for (const name of names) {
    if (name === 'status' && record.status !== undefined) return String(record.status);
    if (name === 'httpMethod' && record.httpMethod) return record.httpMethod;
    if (name === 'requestId' && record.requestId) return record.requestId;
    const value = record.fields[name];
    if (value !== undefined && value !== '-' && value !== '') return value;
  }
  return undefined;
}

export const ERROR_MESSAGE = ['error.message', 'error.messageString'];
export const INTEGRATION_ERROR = ['integrationErrorMessage', 'integration.error'];
export const AUTHORIZER_ERROR = ['authorizer.error'];

/** The records of one stage that match. */
export interface Matched {
  stage: string;
  records: AccessLogRecord[];
}

export interface RecordCount {
  /** Weighed by the one counting model: per stage and route, against their traffic over the window. */
  count: Count;
  /** The matching records read, per stage: for examples and the most frequent values. */
  matches: Matched[];
}

/**
 * Counts the access records of the stages in scope that match, with the counting model every
 * count rule uses (REST and HTTP alike): the family's threshold, the whole window's traffic as the
 * denominator, the onset and the severity.
 */
export function countRecords(input: RuleInput, spec: { what: string; family: Family }, predicate: (record: AccessLogRecord) => boolean): RecordCount {
  const logs = accessLogs(input);
  const matches = logs.map((log) => ({ stage: log.stage, records: log.records.filter(predicate) })).filter((m) => m.records.length > 0);
  return { count: countFailures(input, { ...spec, tallies: fromRecords(input, predicate, logs) }), matches };
}

/** The most frequent values of one `$context` variable among the records, most frequent first. */
export function topValues(records: readonly AccessLogRecord[], names: string[], max = 3): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    const value = contextValue(record, ...names);
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, max).map(([value, count]) => ({ value, count }));
}

/** One line per stage quoting an example record: `got 500 (e.g. GET /orders: …)`; the counts are the figures'. */
export function accessRefs(matches: Matched[], label: string, quoteNames: string[] = [...INTEGRATION_ERROR, ...ERROR_MESSAGE, ...AUTHORIZER_ERROR]): EvidenceRef[] {
  return matches.map((m) => {
    const example = m.records[0];
    const text = example ? contextValue(example, ...quoteNames) : undefined;
    const route = example ? contextValue(example, 'routeKey') : undefined;
    return {
      source: 'logs.access',
      key: m.stage,
      quote: clip(`requests ${label}${route ? ` (e.g. ${route}` : ''}${text ? `${route ? ': ' : ' ('}${text}` : ''}${route || text ? ')' : ''}`),
    };
  });
}
