import type { AccessLogEvidence, AccessLogRecord, HttpRouteEvidence, HttpStageEvidence } from '../../core/evidence.js';
import type { EvidenceRef } from '../../core/finding.js';
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

/** The records of the stages in scope that match, with the stage's total for proportions. */
export interface Matched {
  stage: string;
  total: number;
  records: AccessLogRecord[];
}

export function matching(input: RuleInput, predicate: (record: AccessLogRecord) => boolean): Matched[] {
  return accessLogs(input)
    .map((log) => ({ stage: log.stage, total: log.records.length, records: log.records.filter(predicate) }))
    .filter((m) => m.records.length > 0);
}

/** Below these a failure is background noise in healthy traffic, not a cause (as for REST). */
export const MIN_EVENTS = 3;
export const MIN_SHARE = 0.02;

export function significantMatches(matches: Matched[], minEvents = MIN_EVENTS, minShare = MIN_SHARE): Matched[] {
  return matches.filter((m) => m.records.length >= minEvents && m.records.length / Math.max(1, m.total) >= minShare);
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

/** One line per stage: `12 of 400 requests on $default: 500 …`, quoting one example record. */
export function accessRefs(matches: Matched[], label: string, quoteNames: string[] = [...INTEGRATION_ERROR, ...ERROR_MESSAGE, ...AUTHORIZER_ERROR]): EvidenceRef[] {
  return matches.map((m) => {
    const example = m.records[0];
    const text = example ? contextValue(example, ...quoteNames) : undefined;
    const route = example ? contextValue(example, 'routeKey') : undefined;
    return {
      source: 'logs.access',
      key: m.stage,
      quote: clip(`${m.records.length} of ${m.total} requests ${label}${route ? ` (e.g. ${route}` : ''}${text ? `${route ? ': ' : ' ('}${text}` : ''}${route || text ? ')' : ''}`),
    };
  });
}

export function describeMatches(matches: Matched[], label: string): string {
  return matches.map((m) => `${m.records.length} of ${m.total} requests on stage ${m.stage} ${label}`).join('; ');
}

