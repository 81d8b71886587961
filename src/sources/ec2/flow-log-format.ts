import type { FlowRecordEvidence } from '../../core/evidence.js';

/** Version 2, the format AWS uses when a flow log has no custom LogFormat. */
export const DEFAULT_FLOW_LOG_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** Field names of a LogFormat, in order (`${srcaddr}` → `srcaddr`). */
export function flowLogFields(logFormat: string | undefined): string[] {
  const format = logFormat && logFormat.trim() !== '' ? logFormat : DEFAULT_FLOW_LOG_FORMAT;
  return [...format.matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1] ?? '');
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value === '-') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function text(value: string | undefined): string | undefined {
  return value === undefined || value === '-' ? undefined : value;
}

/**
 * One flow log record, read by its flow log's own field order (custom formats reorder fields).
 * Returns undefined for a line with the wrong number of fields.
 */
export function parseFlowRecord(line: string, fields: readonly string[], eventTimestamp: number): FlowRecordEvidence | undefined {
  const values = line.trim().split(/\s+/);
  if (values.length !== fields.length) return undefined;
  const get = (name: string) => {
    const index = fields.indexOf(name);
    return index === -1 ? undefined : values[index];
  };
  const start = num(get('start'));
  const record: FlowRecordEvidence = { timestamp: start !== undefined ? start * 1000 : eventTimestamp, raw: line };
  const assign = <K extends keyof FlowRecordEvidence>(key: K, value: FlowRecordEvidence[K] | undefined) => {
    if (value !== undefined) record[key] = value;
  };
  assign('interfaceId', text(get('interface-id')));
  assign('srcaddr', text(get('srcaddr')));
  assign('dstaddr', text(get('dstaddr')));
  assign('srcport', num(get('srcport')));
  assign('dstport', num(get('dstport')));
  assign('protocol', num(get('protocol')));
  assign('action', text(get('action')));
  return record;
}
