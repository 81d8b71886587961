import type { AccessLogRecord, LogLine } from '../../core/evidence.js';

/**
 * Access log formats are templates of `$context` variables (catalogue §3.2). This module turns a
 * stage's `accessLogSettings.format` into a parser for the lines it produces, and (for the
 * sandbox and tests) renders lines from a template. JSON templates are parsed as JSON; any other
 * template (the CLF preset, CSV, XML, custom) is matched against the template itself.
 */
export type AccessLogFormatKind = 'json' | 'clf' | 'unknown';

export interface AccessLogParser {
  kind: AccessLogFormatKind;
  /** The `$context` variables the template carries, without the `$context.` prefix. */
  variables: string[];
  /** A record, or undefined when the line does not fit the format. */
  parse(line: LogLine): AccessLogRecord | undefined;
}

const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g;

/** Variables that have a typed field on AccessLogRecord; everything else goes to `fields`. */
const KNOWN_VARIABLES: Record<string, 'requestId' | 'ip' | 'httpMethod' | 'resourcePath' | 'status'> = {
  requestId: 'requestId',
  'identity.sourceIp': 'ip',
  httpMethod: 'httpMethod',
  resourcePath: 'resourcePath',
  status: 'status',
};

/** The same, for JSON keys a template-less line may use (the JSON preset's own keys). */
const KNOWN_KEYS: Record<string, string> = {
  requestId: 'requestId',
  ip: 'identity.sourceIp',
  httpMethod: 'httpMethod',
  resourcePath: 'resourcePath',
  status: 'status',
};

function variablesOf(format: string): string[] {
  return [...format.matchAll(VARIABLE)].map((m) => m[1] ?? '');
}

function detectKind(format: string | undefined): AccessLogFormatKind {
  if (!format || variablesOf(format).length === 0) return 'unknown';
  return format.trim().startsWith('{') ? 'json' : 'clf';
}

/** Builds a record from (variable or key, value) pairs; `-` is API Gateway's "no value". */
function toRecord(timestamp: number, pairs: [string, string][]): AccessLogRecord {
  const record: AccessLogRecord = { timestamp, fields: {} };
  for (const [name, value] of pairs) {
    const known = KNOWN_VARIABLES[name];
    if (!known) {
      record.fields[name] = value;
      continue;
    }
    if (value === '-' || value === '') continue;
    if (known === 'status') {
      const status = Number(value);
      if (Number.isInteger(status)) record.status = status;
      else record.fields[name] = value;
    } else {
      record[known] = value;
    }
  }
  return record;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as number | boolean);
}

function jsonParser(format: string): AccessLogParser {
  // Key → variable, from `"key": "$context.var"` (quotes around the value are optional).
  const keyToVariable = new Map<string, string>();
  for (const m of format.matchAll(/"([^"]+)"\s*:\s*(?:"\s*)?\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g)) {
    if (m[1] && m[2]) keyToVariable.set(m[1], m[2]);
  }
  return {
    kind: 'json',
    variables: variablesOf(format),
    parse(line) {
      let value: unknown;
      try {
        value = JSON.parse(line.message);
      } catch {
        return undefined;
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
      const pairs = Object.entries(value as Record<string, unknown>).map(([key, v]): [string, string] => [
        keyToVariable.get(key) ?? KNOWN_KEYS[key] ?? key,
        stringify(v),
      ]);
      return toRecord(line.timestamp, pairs);
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A variable's value runs up to the first character of the literal separator after it: linear in
 * the line, where lazy `(.*?)` groups re-split the line between every pair of variables when it
 * does not match (polynomial in the number of variables). The last variable takes the rest; two
 * variables with nothing between them cannot be told apart, and the first takes nothing, as the
 * lazy group did.
 */
function valueGroup(separator: string, last: boolean): string {
  if (last) return '(.*)';
  if (separator === '') return '()';
  const first = separator[0] as string;
  return /\s/.test(first) ? '(\\S*)' : `([^${first.replace(/[\\\]^-]/g, '\\$&')}]*)`;
}

function templateParser(format: string): AccessLogParser {
  const variables: string[] = [];
  let pattern = '^';
  let last = 0;
  const template = format.trim();
  const matches = [...template.matchAll(VARIABLE)];
  matches.forEach((m, index) => {
    const literal = template.slice(last, m.index);
    // Runs of spaces in the template match any run of whitespace in the line.
    pattern += literal.split(/\s+/).map(escapeRegExp).join('\\s+');
    const end = (m.index ?? 0) + m[0].length;
    const next = index === matches.length - 1 ? template.slice(end) : template.slice(end, matches[index + 1]?.index);
    pattern += valueGroup(next, end === template.length);
    variables.push(m[1] ?? '');
    last = end;
  });
  pattern += template.slice(last).split(/\s+/).map(escapeRegExp).join('\\s+') + '$';
  const regex = new RegExp(pattern);
  return {
    kind: 'clf',
    variables,
    parse(line) {
      const match = regex.exec(line.message.trim());
      if (!match) return undefined;
      return toRecord(
        line.timestamp,
        variables.map((name, i): [string, string] => [name, match[i + 1] ?? '']),
      );
    },
  };
}

/** A parser for lines written with this stage format (`accessLogSettings.format`). */
export function compileAccessLogFormat(format: string | undefined): AccessLogParser {
  const kind = detectKind(format);
  if (kind === 'json' && format) return jsonParser(format);
  if (kind === 'clf' && format) return templateParser(format);
  return { kind: 'unknown', variables: [], parse: () => undefined };
}

/**
 * Renders one access log line from a template, as API Gateway would: each `$context.x` replaced
 * by `values['x']`, or `-` when absent. Values are JSON-escaped in JSON templates.
 */
export function renderAccessLogLine(format: string, values: Record<string, string | number | undefined>): string {
  const json = detectKind(format) === 'json';
  return format.replace(VARIABLE, (_whole, name: string) => {
    const value = values[name];
    const text = value === undefined ? '-' : String(value);
    return json ? JSON.stringify(text).slice(1, -1) : text;
  });
}

/** The console's presets (catalogue §3.2), for tests, scenarios and hints. */
export const ACCESS_LOG_PRESETS = {
  clf: '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId',
  json: '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
} as const;

/** The variables worth adding to the JSON preset for troubleshooting (the not_configured hint). */
export const DIAGNOSTIC_VARIABLES = ['$context.error.responseType', '$context.error.message', '$context.integrationStatus', '$context.integration.error', '$context.authorizer.error'];
