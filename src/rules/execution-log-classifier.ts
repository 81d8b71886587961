import type { AccessLogEvidence, AccessLogRecord, ExecutionLogEvidence, LambdaLogEvidence, LogLine } from '../core/evidence.js';

/**
 * Log classification in the manner of AWS's API Gateway troubleshooting runbook: an ordered list
 * of message signatures, most specific first, and the first match wins. The order matters where
 * one line carries two signatures, e.g. "Execution failed due to configuration error: Malformed
 * Lambda proxy response" is I3, not the generic configuration error.
 */
export interface Classification {
  /** Stable signature id, e.g. `integration-timeout`. */
  signature: string;
  /** Catalogue cause id, e.g. `I6`. */
  cause: string;
  label: string;
}

interface Signature extends Classification {
  pattern: RegExp;
}

const sig = (signature: string, cause: string, label: string, pattern: RegExp): Signature => ({ signature, cause, label, pattern });

export const EXECUTION_SIGNATURES: readonly Signature[] = [
  sig('waf-evaluation-error', 'A8', 'error evaluating the AWS WAF rules', /error evaluating the AWS WAF rules/i),
  sig('assume-role-denied', 'I2', 'API Gateway cannot assume the integration role', /does not have permission to assume the provided role/i),
  sig('authorizer-configuration-error', 'A4', 'authorizer cannot be invoked', /configuration error: Authorizer error|AUTHORIZER_CONFIGURATION_ERROR|AUTHORIZER_FAILURE/),
  sig('network-error', 'I7', 'network error communicating with endpoint', /[Nn]etwork error communicating with endpoint/),
  sig('invalid-endpoint', 'I8', 'invalid endpoint address', /Invalid endpoint address/),
  sig('integration-timeout', 'I6', 'integration timed out', /Execution failed due to a timeout error|Endpoint request timed out/i),
  sig('malformed-proxy-response', 'I3', 'malformed Lambda proxy response', /Malformed Lambda proxy response/i),
  sig('lambda-throttled', 'I5', 'Lambda throttled the invocation (429)', /Lambda invocation failed with status: 429|configuration error: Rate Exceeded/i),
  sig('function-error', 'I4', 'Lambda function error', /due to customer function error|X-Amz-Function-Error=(Unhandled|Handled)/),
  sig('lambda-invalid-permissions', 'I1', 'API Gateway may not invoke the Lambda function', /Invalid permissions on Lambda function/i),
  sig('api-key-no-usage-plan', 'A7', 'API key not associated with a usage plan for the stage', /not associated with a Usage Plan|No Usage Plan found/i),
  sig('invalid-api-key', 'A7', 'invalid or missing API key', /Invalid API Key identifier specified|API Key \S+ not authorized because method .* requires API Key/i),
  sig('quota-exceeded', 'T2', 'usage plan quota exceeded', /Limit Exceeded|QUOTA_EXCEEDED|quota exceeded/),
  sig('throttled', 'T1', 'request throttled', /throttle limit exceeded|Too Many Requests|Gateway response type: THROTTLED/i),
  sig('missing-authentication-token', 'R1', 'Missing Authentication Token (no such stage, path or method)', /Missing Authentication Token|MISSING_AUTHENTICATION_TOKEN/),
  sig('endpoint-policy-deny', 'P5', 'VPC endpoint policy does not allow execute-api:Invoke', /no VPC endpoint policy allows/i),
  sig('resource-policy-deny', 'P1', 'resource policy denies execute-api:Invoke', /not authorized to perform: execute-api:Invoke/i),
  sig('authorizer-deny', 'A1', 'authorizer denied the request', /not authorized to access this resource/i),
  sig('unauthorized', 'A2', 'authorizer identity missing or rejected (401)', /Gateway response type: UNAUTHORIZED|\b401 Unauthorized/),
  sig('bad-signature', 'A5', 'SigV4 signature or credentials rejected', /Signature expired|request signature we calculated does not match|security token included in the request is invalid/i),
  sig('status-502', 'I4', 'integration returned a bad gateway (502)', /Method completed with status: 502/),
  sig('configuration-error', 'I8', 'execution failed due to a configuration error', /Execution failed due to configuration error/i),
];

// One case-insensitive alternation of every signature: most lines of a healthy log match none,
// and one test per line rejects them before the ordered, exact pass.
const ANY_SIGNATURE = new RegExp(EXECUTION_SIGNATURES.map((s) => `(?:${s.pattern.source})`).join('|'), 'i');

export function classifyExecutionLine(message: string): Classification | undefined {
  if (!ANY_SIGNATURE.test(message)) return undefined;
  const hit = EXECUTION_SIGNATURES.find((s) => s.pattern.test(message));
  return hit ? { signature: hit.signature, cause: hit.cause, label: hit.label } : undefined;
}

/** `$context.error.responseType` values → cause. */
const RESPONSE_TYPES: Record<string, Classification> = {
  THROTTLED: { signature: 'throttled', cause: 'T1', label: 'request throttled' },
  QUOTA_EXCEEDED: { signature: 'quota-exceeded', cause: 'T2', label: 'usage plan quota exceeded' },
  WAF_FILTERED: { signature: 'waf-filtered', cause: 'A8', label: 'blocked by AWS WAF' },
  INVALID_API_KEY: { signature: 'invalid-api-key', cause: 'A7', label: 'invalid or missing API key' },
  AUTHORIZER_FAILURE: { signature: 'authorizer-configuration-error', cause: 'A4', label: 'authorizer cannot be invoked' },
  AUTHORIZER_CONFIGURATION_ERROR: { signature: 'authorizer-configuration-error', cause: 'A4', label: 'authorizer cannot be invoked' },
  ACCESS_DENIED: { signature: 'authorizer-deny', cause: 'A1', label: 'authorizer or policy denied the request' },
  UNAUTHORIZED: { signature: 'unauthorized', cause: 'A2', label: 'authorizer identity missing or rejected (401)' },
  MISSING_AUTHENTICATION_TOKEN: { signature: 'missing-authentication-token', cause: 'R1', label: 'Missing Authentication Token' },
  INTEGRATION_TIMEOUT: { signature: 'integration-timeout', cause: 'I6', label: 'integration timed out' },
  INTEGRATION_FAILURE: { signature: 'network-error', cause: 'I7', label: 'integration failure' },
  API_CONFIGURATION_ERROR: { signature: 'configuration-error', cause: 'I8', label: 'API configuration error' },
  INVALID_SIGNATURE: { signature: 'bad-signature', cause: 'A5', label: 'SigV4 signature rejected' },
  EXPIRED_TOKEN: { signature: 'bad-signature', cause: 'A5', label: 'security token expired' },
};

export function classifyResponseType(responseType: string): Classification | undefined {
  return RESPONSE_TYPES[responseType.trim().toUpperCase()];
}

/** Access-log field names vary with the user's format: compare them without `$context.` and punctuation. */
function normaliseKey(key: string): string {
  return key.replace(/^\$context\./, '').replace(/[^a-z0-9]/gi, '').toLowerCase();
}

// Field names repeat across every record of a log: normalise each distinct name once.
const normalisedKeys = new Map<string, string>();
function normalisedKey(key: string): string {
  let value = normalisedKeys.get(key);
  if (value === undefined) {
    value = normaliseKey(key);
    if (normalisedKeys.size < 10_000) normalisedKeys.set(key, value);
  }
  return value;
}

/** The first non-empty value among fields named (in any access-log naming) like `names`. */
export function accessField(record: AccessLogRecord, ...names: string[]): string | undefined {
  const wanted = names.map(normalisedKey);
  for (const [key, value] of Object.entries(record.fields)) {
    if (value !== '' && value !== '-' && wanted.includes(normalisedKey(key))) return value;
  }
  return undefined;
}

const RESPONSE_TYPE_FIELDS = ['error.responseType', 'errorResponseType', 'responseType', 'errorType'];
const MESSAGE_FIELDS = ['error.message', 'errorMessage', 'integration.error', 'integrationErrorMessage'];
const WAF_FIELDS = ['waf.status', 'wafStatus', 'wafResponseCode', 'waf'];

/** Classifies an access-log record by its error response type, WAF status, then HTTP status. */
export function classifyAccessRecord(record: AccessLogRecord): Classification | undefined {
  const responseType = accessField(record, ...RESPONSE_TYPE_FIELDS);
  const message = accessField(record, ...MESSAGE_FIELDS);
  const byMessage = message ? classifyExecutionLine(message) : undefined;
  // ACCESS_DENIED is both the authorizer's and the resource policy's type: the message tells them apart.
  if (responseType?.toUpperCase() === 'ACCESS_DENIED' && byMessage && ['P1', 'P5'].includes(byMessage.cause)) return byMessage;
  if (responseType) {
    const byType = classifyResponseType(responseType);
    if (byType) return byType;
  }
  const waf = accessField(record, ...WAF_FIELDS);
  if (waf && /BLOCK/i.test(waf)) return RESPONSE_TYPES.WAF_FILTERED;
  if (byMessage) return byMessage;
  switch (record.status) {
    case 429:
      return { signature: 'status-429', cause: 'T1', label: '429 Too Many Requests' };
    case 502:
      return { signature: 'status-502', cause: 'I4', label: 'integration returned a bad gateway (502)' };
    case 504:
      return { signature: 'integration-timeout', cause: 'I6', label: 'integration timed out (504)' };
    default:
      return undefined;
  }
}

/** How often one signature was seen, where, with a few verbatim examples. */
export interface SignatureCount extends Classification {
  source: 'logs.execution' | 'logs.access' | 'logs.lambda';
  stage?: string;
  /** Distinct requests (execution logs) or records (access logs) or lines (Lambda logs). */
  count: number;
  examples: string[];
  /** Epoch ms of the newest occurrence, when the lines carry times: is it still happening? */
  lastSeen?: number;
  /** Epoch ms of the oldest occurrence: since when is it happening? */
  firstSeen?: number;
  /** Occurrences per route (`GET /orders`), when the log names the route. */
  routes?: Record<string, number>;
  /** For Lambda-log counts: the function whose log it is. */
  functionName?: string;
}

export interface LogSummary {
  signatures: SignatureCount[];
  /** Access-log records per stage: the denominator for "what share of traffic failed". */
  accessRecordsByStage: Record<string, number>;
}

const MAX_EXAMPLES = 3;
const REQUEST_ID = /^\(([^)]+)\)\s*/;

function tally(
  counts: Map<string, SignatureCount>,
  source: SignatureCount['source'],
  stage: string | undefined,
  classification: Classification,
  example: string,
  seen?: { timestamp?: number; route?: string },
): void {
  const key = `${source}|${stage ?? ''}|${classification.signature}`;
  const entry = counts.get(key) ?? { ...classification, source, ...(stage ? { stage } : {}), count: 0, examples: [] };
  entry.count++;
  if (entry.examples.length < MAX_EXAMPLES) entry.examples.push(example);
  if (seen?.timestamp !== undefined && seen.timestamp > (entry.lastSeen ?? -Infinity)) entry.lastSeen = seen.timestamp;
  if (seen?.timestamp !== undefined && seen.timestamp < (entry.firstSeen ?? Infinity)) entry.firstSeen = seen.timestamp;
  if (seen?.route) (entry.routes ??= {})[seen.route] = (entry.routes[seen.route] ?? 0) + 1;
  counts.set(key, entry);
}

/** `HTTP Method: GET, Resource Path: /orders/7` in an INFO execution log names the request's route. */
export const EXECUTION_ROUTE = /HTTP Method: (\S+), Resource Path: (\S+)/;

/** The route key shared by every log: `METHOD /path`. */
export function routeKey(method: string | undefined, path: string | undefined): string | undefined {
  return method && path ? `${method.toUpperCase()} ${path}` : undefined;
}

/**
 * Counts execution-log signatures per stage, by request: each request counts once per signature.
 * "Invalid permissions on Lambda function" in a request that also failed its authorizer is A4
 * (the authorizer function), not I1.
 */
export function summariseExecutionLogs(logs: ExecutionLogEvidence[], counts = new Map<string, SignatureCount>()): Map<string, SignatureCount> {
  for (const log of logs) {
    const byRequest = new Map<string, { classification: Classification; line: LogLine }[]>();
    const routeOf = new Map<string, string>();
    log.lines.forEach((line, index) => {
      const route = line.message.includes('Resource Path: ') ? EXECUTION_ROUTE.exec(line.message) : null;
      if (route) {
        const id = REQUEST_ID.exec(line.message)?.[1];
        const key = routeKey(route[1], route[2]);
        if (id && key) routeOf.set(id, key);
        return;
      }
      const classification = classifyExecutionLine(line.message);
      if (!classification) return;
      const requestId = REQUEST_ID.exec(line.message)?.[1] ?? `line-${index}`;
      const list = byRequest.get(requestId) ?? [];
      list.push({ classification, line });
      byRequest.set(requestId, list);
    });
    for (const [requestId, hits] of byRequest) {
      const route = routeOf.get(requestId);
      const authorizerFailed = hits.some((h) => h.classification.signature === 'authorizer-configuration-error');
      const seen = new Set<string>();
      for (const hit of hits) {
        let classification = hit.classification;
        if (authorizerFailed && classification.signature === 'lambda-invalid-permissions') {
          classification = { signature: 'authorizer-invalid-permissions', cause: 'A4', label: 'API Gateway may not invoke the authorizer function' };
        }
        // A generic status line adds nothing when the request already has a specific cause.
        if (classification.signature === 'status-502' && hits.length > 1) continue;
        if (seen.has(classification.signature)) continue;
        seen.add(classification.signature);
        tally(counts, 'logs.execution', log.stage, classification, hit.line.message, { timestamp: hit.line.timestamp, ...(route ? { route } : {}) });
      }
    }
  }
  return counts;
}

export function summariseAccessLogs(logs: AccessLogEvidence[], counts = new Map<string, SignatureCount>()): Map<string, SignatureCount> {
  for (const log of logs) {
    for (const record of log.records) {
      const classification = classifyAccessRecord(record);
      if (!classification) continue;
      const example = `${record.status ?? '-'} ${record.httpMethod ?? ''} ${record.resourcePath ?? ''} ${accessField(record, ...RESPONSE_TYPE_FIELDS) ?? ''}`.replace(/\s+/g, ' ').trim();
      const route = routeKey(record.httpMethod, record.resourcePath);
      tally(counts, 'logs.access', log.stage, classification, example, { timestamp: record.timestamp, ...(route ? { route } : {}) });
    }
  }
  return counts;
}

export function summariseLambdaLogs(logs: LambdaLogEvidence[], counts = new Map<string, SignatureCount>()): Map<string, SignatureCount> {
  for (const log of logs) {
    const add = (n: number, classification: Classification, pattern: RegExp) => {
      if (n <= 0) return;
      const matching = log.lines.filter((l) => pattern.test(l.message));
      const examples = matching.slice(0, MAX_EXAMPLES).map((l) => l.message);
      const lastSeen = matching.reduce<number | undefined>((max, l) => (max === undefined || l.timestamp > max ? l.timestamp : max), undefined);
      const key = `logs.lambda|${log.functionName}|${classification.signature}`;
      counts.set(key, {
        ...classification,
        source: 'logs.lambda',
        functionName: log.functionName,
        count: n,
        examples: examples.length ? examples : [`${n} in ${log.logGroup}`],
        ...(lastSeen !== undefined ? { lastSeen } : {}),
        ...(matching.length ? { firstSeen: Math.min(...matching.map((l) => l.timestamp)) } : {}),
      });
    };
    add(log.errors, { signature: 'lambda-function-error', cause: 'I4', label: `function ${log.functionName} errors` }, /error|exception/i);
    add(log.timeouts, { signature: 'lambda-function-timeout', cause: 'I6', label: `function ${log.functionName} timed out` }, /timed out/i);
    add(log.throttles, { signature: 'lambda-function-throttled', cause: 'I5', label: `function ${log.functionName} throttled` }, /throttl|Rate Exceeded|TooManyRequests/i);
  }
  return counts;
}

/** One pass over all logs in the evidence; rules read the result by cause or signature. */
export function summariseLogs(evidence: {
  'logs.execution'?: ExecutionLogEvidence[];
  'logs.access'?: AccessLogEvidence[];
  'logs.lambda'?: LambdaLogEvidence[];
}): LogSummary {
  const counts = new Map<string, SignatureCount>();
  summariseExecutionLogs(evidence['logs.execution'] ?? [], counts);
  summariseAccessLogs(evidence['logs.access'] ?? [], counts);
  summariseLambdaLogs(evidence['logs.lambda'] ?? [], counts);
  const accessRecordsByStage: Record<string, number> = {};
  for (const log of evidence['logs.access'] ?? []) accessRecordsByStage[log.stage] = (accessRecordsByStage[log.stage] ?? 0) + log.records.length;
  return { signatures: [...counts.values()], accessRecordsByStage };
}

/** The summary entries for some causes (or signatures), optionally limited to some stages. */
export function signaturesFor(summary: LogSummary, match: { causes?: string[]; signatures?: string[]; stages?: string[] }): SignatureCount[] {
  return summary.signatures.filter(
    (s) =>
      (!match.causes || match.causes.includes(s.cause)) &&
      (!match.signatures || match.signatures.includes(s.signature)) &&
      (!match.stages || s.stage === undefined || match.stages.includes(s.stage)),
  );
}
