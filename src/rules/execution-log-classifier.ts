import type { AccessLogEvidence, AccessLogRecord, ExecutionLogEvidence, LambdaFunctionEvidence, LambdaLogEvidence, LogLine } from '../core/evidence.js';
import { fromTimes, minuteOf, type Minutes } from './counting/minutes.js';

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
  // mTLS on the custom domain (mTLS KC): the client certificate is refused before any method runs.
  sig('mtls-denied', 'R7', 'client certificate refused by the domain truststore (mTLS)', /Access denied\. Reason: (?:Client cert using an insecure Signature Algorithm|[^.]*certificate)/i),
  sig('authorizer-configuration-error', 'A4', 'authorizer cannot be invoked', /configuration error: Authorizer error|AUTHORIZER_CONFIGURATION_ERROR|AUTHORIZER_FAILURE/),
  sig('network-error', 'I7', 'network error communicating with endpoint', /[Nn]etwork error communicating with endpoint/),
  sig('invalid-endpoint', 'I8', 'invalid endpoint address', /Invalid endpoint address/),
  sig('transform-error', 'I8', 'request or response mapping template failed', /Unable to transform request|Unable to transform response|Invalid mapping expression|Execution failed due to configuration error: Invalid (?:JSON|mapping)/i),
  sig('integration-timeout', 'I6', 'integration timed out', /Execution failed due to a timeout error|Endpoint request timed out/i),
  sig('malformed-proxy-response', 'I3', 'malformed Lambda proxy response', /Malformed Lambda proxy response/i),
  sig('lambda-throttled', 'I5', 'Lambda throttled the invocation (429)', /Lambda invocation failed with status: 429|configuration error: Rate Exceeded/i),
  sig('function-error', 'I4', 'Lambda function error', /due to customer function error|X-Amz-Function-Error=Unhandled/),
  // A handled error is one the function returned on purpose; a mapping may turn it into a 4xx.
  sig('function-error-handled', 'I4', 'Lambda function returned a handled error', /X-Amz-Function-Error=Handled/),
  sig('lambda-invalid-permissions', 'I1', 'API Gateway may not invoke the Lambda function', /Invalid permissions on Lambda function/i),
  sig('api-key-no-usage-plan', 'A7', 'API key not associated with a usage plan for the stage', /not associated with a Usage Plan|No Usage Plan found/i),
  sig('invalid-api-key', 'A7', 'invalid or missing API key', /Invalid API Key identifier specified|API Key \S+ not authorized because method (?:(?!not authorized because method).)* requires API Key/i),
  sig('quota-exceeded', 'T2', 'usage plan quota exceeded', /Limit Exceeded|QUOTA_EXCEEDED|quota exceeded/),
  sig('throttled', 'T1', 'request throttled', /throttle limit exceeded|Too Many Requests|Gateway response type: THROTTLED/i),
  sig('request-too-large', 'T3', 'request larger than API Gateway accepts (413)', /Request Too Long|REQUEST_TOO_LARGE|Request entity too large|status code: 413/i),
  sig('missing-authentication-token', 'R1', 'Missing Authentication Token (no such stage, path or method)', /Missing Authentication Token|MISSING_AUTHENTICATION_TOKEN/),
  sig('endpoint-policy-deny', 'P5', 'VPC endpoint policy does not allow execute-api:Invoke', /no VPC endpoint policy allows/i),
  sig('identity-policy-deny', 'A5', 'caller\'s IAM policy does not allow execute-api:Invoke', /not authorized to perform: execute-api:Invoke(?:(?!not authorized to perform: execute-api:Invoke).)*(?:identity-based policy|permissions boundary|session policy)/i),
  sig('scp-deny', 'O1', 'a service control policy denies execute-api:Invoke', /not authorized to perform: execute-api:Invoke(?:(?!not authorized to perform: execute-api:Invoke).)*service control policy/i),
  sig('resource-policy-deny', 'P1', 'resource policy denies execute-api:Invoke', /not authorized to perform: execute-api:Invoke/i),
  // The execution log's line for an authorizer's Deny; the caller gets "… not authorized to access this resource".
  sig('authorizer-deny', 'A1', 'authorizer denied the request', /not authorized to access this resource|The client is not authorized to perform this operation/i),
  sig('unauthorized', 'A2', 'authorizer identity missing or rejected (401)', /Gateway response type: UNAUTHORIZED|\b401 Unauthorized|Unauthorized request: /),
  sig('bad-signature', 'A5', 'SigV4 signature or credentials rejected', /Signature expired|request signature we calculated does not match|security token included in the request is (?:invalid|expired)|Authorization header requires|INVALID_SIGNATURE|EXPIRED_TOKEN|IncompleteSignatureException/i),
  sig('status-502', 'I4', 'integration returned a bad gateway (502)', /Method completed with status: 502/),
  sig('configuration-error', 'I8', 'execution failed due to a configuration error', /Execution failed due to configuration error/i),
  // Markers: not causes, they say how a request ended so handled errors can be told apart.
  sig('completed-5xx', '', 'request ended with a 5xx', /Method completed with status: 5\d\d/),
];

// One case-insensitive alternation of every signature: most lines of a healthy log match none,
// and one test per line rejects them before the ordered, exact pass. Signatures that refine
// another one's text (a denial's suffix) are left to the exact pass: `.*` in the alternation would
// be tried at every position of every line.
const REFINEMENTS = new Set(['identity-policy-deny', 'scp-deny']);
// (Named so the ReDoS registry can name the alternation: each signature in it is a literal it proves.)
const ANY_SIGNATURE_SOURCE = EXECUTION_SIGNATURES.filter((s) => !REFINEMENTS.has(s.signature))
  .map((s) => `(?:${s.pattern.source})`)
  .join('|');
const ANY_SIGNATURE = new RegExp(ANY_SIGNATURE_SOURCE, 'i');

// The lines every request writes on its way through (catalogue 3.1): anchored, so a line is
// rejected after a few characters instead of scanning its whole length (headers, bodies) with
// every signature. Response headers are kept when they carry X-Amz-Function-Error.
const ROUTINE_LINE =
  /^(?:\([^)]*\)\s*)?(?:Extended Request Id:|Verifying Usage Plan|Usage Plan check succeeded|Starting execution for request|HTTP Method:|Method request |Endpoint request |Sending request to|Received response\. Status: 2|Method response |Successfully completed|Starting authorizer:|Incoming identity:|Authorizer result body before parsing|Using valid authorizer policy|Method completed with status: [1-4]\d\d$)/;

export function classifyExecutionLine(message: string): Classification | undefined {
  if (ROUTINE_LINE.test(message)) return undefined;
  if (message.startsWith('Endpoint response headers', message.indexOf(')') + 2) && !message.includes('X-Amz-Function-Error')) return undefined;
  if (!ANY_SIGNATURE.test(message)) return undefined;
  const hit = EXECUTION_SIGNATURES.find((s) => s.pattern.test(message));
  return hit ? { signature: hit.signature, cause: hit.cause, label: hit.label } : undefined;
}

/** `$context.error.responseType` values → cause. */
const RESPONSE_TYPES: Record<string, Classification> & { INTEGRATION_FAILURE: Classification; WAF_FILTERED: Classification; UNAUTHORIZED: Classification; REQUEST_TOO_LARGE: Classification; API_CONFIGURATION_ERROR: Classification } = {
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
  INTEGRATION_FAILURE: { signature: 'network-error', cause: 'I7', label: 'network error communicating with endpoint (504)' },
  REQUEST_TOO_LARGE: { signature: 'request-too-large', cause: 'T3', label: 'request larger than API Gateway accepts (413)' },
  // Shared by a refused Lambda invoke, a malformed proxy response, a bad URI...: only the message tells.
  API_CONFIGURATION_ERROR: { signature: 'api-configuration-error', cause: 'I', label: 'API configuration error (500)' },
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

// The same few name lists are asked for on every record: normalise each list once.
const wantedLists = new Map<string, string[]>();
function wantedKeys(names: string[]): string[] {
  const id = names.join('\u0000');
  let wanted = wantedLists.get(id);
  if (!wanted) {
    wanted = names.map(normalisedKey);
    if (wantedLists.size < 1_000) wantedLists.set(id, wanted);
  }
  return wanted;
}

/** The first non-empty value among fields named (in any access-log naming) like `names`. */
export function accessField(record: AccessLogRecord, ...names: string[]): string | undefined {
  const wanted = wantedKeys(names);
  for (const [key, value] of Object.entries(record.fields)) {
    if (value !== '' && value !== '-' && wanted.includes(normalisedKey(key))) return value;
  }
  return undefined;
}

const RESPONSE_TYPE_FIELDS = ['error.responseType', 'errorResponseType', 'responseType', 'errorType'];
const MESSAGE_FIELDS = ['error.message', 'errorMessage', 'error.messageString', 'integration.error', 'integrationErrorMessage', 'integrationError', 'authorizer.error', 'authorizerError'];
const WAF_FIELDS = ['waf.status', 'wafStatus', 'wafResponseCode', 'waf'];
const INTEGRATION_STATUS_FIELDS = ['integrationStatus', 'integration.integrationStatus'];

/** Every non-empty value among fields named (in any access-log naming) like `names`, in record order. */
export function accessFields(record: AccessLogRecord, ...names: string[]): string[] {
  const wanted = wantedKeys(names);
  const values: string[] = [];
  for (const [key, value] of Object.entries(record.fields)) {
    if (value !== '' && value !== '-' && wanted.includes(normalisedKey(key))) values.push(value);
  }
  return values;
}

// Response types that several causes share: the record's messages and statuses tell them apart.
const AMBIGUOUS_TYPES = new Set(['ACCESS_DENIED', 'INTEGRATION_FAILURE', 'API_CONFIGURATION_ERROR', 'DEFAULT_4XX', 'DEFAULT_5XX', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE', 'MISSING_AUTHENTICATION_TOKEN']);
const GENERIC_MESSAGE_SIGNATURES = new Set(['configuration-error', 'status-502', 'completed-5xx', 'authorizer-configuration-error']);

/**
 * Classifies an access-log record from the whole record: the error response type, the error and
 * integration messages, the integration status, WAF status, then HTTP status. A type several
 * causes share (INTEGRATION_FAILURE is a network error, a throttled or a failed Lambda alike) is
 * decided by the message: `INTEGRATION_FAILURE` with "Rate Exceeded." is Lambda throttling.
 */
export function classifyAccessRecord(record: AccessLogRecord): Classification | undefined {
  const result = classifyAccessRecordFully(record);
  return result?.classification;
}

/** Access-log classifications that a type or status only suggests: the execution log of the same request decides. */
const WEAK_ACCESS_SIGNATURES = new Set(['status-401', 'authorizer-deny', 'integration-timeout', 'status-502', 'status-429', 'api-configuration-error', 'integration-failure', 'network-error', 'unauthorized']);

function classifyAccessRecordFully(record: AccessLogRecord): { classification: Classification; weak: boolean } | undefined {
  // A response below 400 carries no error: most records of any log, skipped without reading fields.
  if (record.status !== undefined && record.status < 400) return undefined;
  const classification = classifyAccessRecordOnly(record);
  if (!classification) return undefined;
  const message = accessFields(record, ...MESSAGE_FIELDS).some((m) => classifyExecutionLine(m)?.signature === classification.signature);
  return { classification, weak: !message && WEAK_ACCESS_SIGNATURES.has(classification.signature) };
}

function classifyAccessRecordOnly(record: AccessLogRecord): Classification | undefined {
  const responseType = accessField(record, ...RESPONSE_TYPE_FIELDS)?.trim().toUpperCase();
  let byMessage: Classification | undefined;
  let generic: Classification | undefined;
  for (const message of accessFields(record, ...MESSAGE_FIELDS)) {
    const hit = classifyExecutionLine(message);
    if (!hit || !hit.cause) continue;
    if (GENERIC_MESSAGE_SIGNATURES.has(hit.signature)) generic ??= hit;
    else if (hit.signature !== 'function-error-handled') {
      byMessage = hit;
      break;
    }
  }
  const integrationStatus = Number(accessField(record, ...INTEGRATION_STATUS_FIELDS) ?? NaN);
  if (responseType && AMBIGUOUS_TYPES.has(responseType)) {
    if (byMessage) return byMessage;
    if (responseType === 'INTEGRATION_FAILURE' || responseType === 'API_CONFIGURATION_ERROR' || responseType === 'DEFAULT_5XX') {
      if (integrationStatus === 429) return { signature: 'lambda-throttled', cause: 'I5', label: 'Lambda throttled the invocation (429)' };
      if (integrationStatus === 403 && responseType === 'API_CONFIGURATION_ERROR') return { signature: 'lambda-invalid-permissions', cause: 'I1', label: 'API Gateway may not invoke the Lambda function' };
      const integrationError = accessFields(record, 'integration.error', 'integrationError').join(' ');
      if (/Unhandled/.test(integrationError) || (responseType === 'INTEGRATION_FAILURE' && record.status === 502)) return { signature: 'function-error', cause: 'I4', label: 'Lambda function error' };
      if (responseType === 'INTEGRATION_FAILURE' && record.status === 504) return RESPONSE_TYPES.INTEGRATION_FAILURE;
      if (responseType === 'INTEGRATION_FAILURE') return { signature: 'integration-failure', cause: 'I', label: 'integration failure (cause not in the record)' };
    }
  }
  if (responseType) {
    const byType = classifyResponseType(responseType);
    if (byType) return byType;
  }
  const waf = accessField(record, ...WAF_FIELDS);
  if (waf && /BLOCK/i.test(waf)) return RESPONSE_TYPES.WAF_FILTERED;
  if (byMessage) return byMessage;
  if (generic && (record.status ?? 500) >= 500) return generic.signature === 'configuration-error' ? RESPONSE_TYPES.API_CONFIGURATION_ERROR : generic;
  switch (record.status) {
    case 401:
      // A 401 the backend itself answered (an integration status is logged) is the API's own answer.
      // A bare 401 may be the backend's own answer: only the execution log (or an error type) can tell.
      return Number.isFinite(integrationStatus) ? undefined : { signature: 'status-401', cause: 'A2', label: '401 Unauthorized (status only)' };
    case 413:
      return RESPONSE_TYPES.REQUEST_TOO_LARGE;
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
  /** Occurrences per minute (minute start → count): the timeline onsets are read from. */
  minutes?: Minutes;
  /** Occurrences per route and minute. */
  routeMinutes?: Record<string, Minutes>;
  /** Access records: occurrences per response status, for the stage (key '') and per route. */
  statuses?: Record<string, Record<number, number>>;
  /** For Lambda-log counts: the function whose log it is. */
  functionName?: string;
}

export interface LogSummary {
  signatures: SignatureCount[];
  /** Access-log records per stage: the denominator for "what share of traffic failed". */
  accessRecordsByStage: Record<string, number>;
}

const MAX_EXAMPLES = 3;
const AUTHORIZER_FUNCTION_ERROR: Classification = { signature: 'authorizer-function-error', cause: 'A3', label: 'the Lambda authorizer function failed (threw or timed out)' };
const REQUEST_ID = /^\(([^)]+)\)\s*/;

function tally(
  counts: Map<string, SignatureCount>,
  source: SignatureCount['source'],
  stage: string | undefined,
  classification: Classification,
  example: string,
  seen?: { timestamp?: number; route?: string; status?: number },
): void {
  const key = `${source}|${stage ?? ''}|${classification.signature}`;
  const entry = counts.get(key) ?? { ...classification, source, ...(stage ? { stage } : {}), count: 0, examples: [] };
  entry.count++;
  if (entry.examples.length < MAX_EXAMPLES) entry.examples.push(example);
  if (seen?.timestamp !== undefined && seen.timestamp > (entry.lastSeen ?? -Infinity)) entry.lastSeen = seen.timestamp;
  if (seen?.timestamp !== undefined && seen.timestamp < (entry.firstSeen ?? Infinity)) entry.firstSeen = seen.timestamp;
  if (seen?.route) (entry.routes ??= {})[seen.route] = (entry.routes[seen.route] ?? 0) + 1;
  if (seen?.status !== undefined) {
    for (const key of seen.route ? ['', seen.route] : ['']) {
      const byStatus = ((entry.statuses ??= {})[key] ??= {});
      byStatus[seen.status] = (byStatus[seen.status] ?? 0) + 1;
    }
  }
  if (seen?.timestamp !== undefined) {
    const minute = minuteOf(seen.timestamp);
    const minutes = (entry.minutes ??= new Map());
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    if (seen.route) {
      const perRoute = ((entry.routeMinutes ??= {})[seen.route] ??= new Map());
      perRoute.set(minute, (perRoute.get(minute) ?? 0) + 1);
    }
  }
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
export function summariseExecutionLogs(
  logs: ExecutionLogEvidence[],
  counts = new Map<string, SignatureCount>(),
  /** Filled with each classified request's first specific cause, by request id. */
  requests?: Map<string, Classification>,
): Map<string, SignatureCount> {
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
      const has = (signature: string) => hits.some((h) => h.classification.signature === signature);
      const authorizerFailed = has('authorizer-configuration-error');
      // The authorizer function itself threw or timed out (A3), rather than being uninvokable (A4).
      const authorizerFunctionFailed = authorizerFailed && (has('function-error') || has('integration-timeout') || has('function-error-handled'));
      const ended5xx = has('completed-5xx') || has('status-502');
      const seen = new Set<string>();
      for (const hit of hits) {
        let classification = hit.classification;
        if (authorizerFailed && classification.signature === 'lambda-invalid-permissions') {
          classification = { signature: 'authorizer-invalid-permissions', cause: 'A4', label: 'API Gateway may not invoke the authorizer function' };
        }
        if (authorizerFunctionFailed && ['authorizer-configuration-error', 'function-error', 'integration-timeout', 'function-error-handled'].includes(classification.signature)) {
          classification = AUTHORIZER_FUNCTION_ERROR;
        }
        // A handled error mapped to a 4xx on purpose (X-Amz-Function-Error: Handled) is not a failure.
        if (classification.signature === 'function-error-handled') {
          if (!ended5xx) continue;
          classification = { signature: 'function-error', cause: 'I4', label: 'Lambda function error' };
        }
        if (!classification.cause) continue;
        // A generic status line adds nothing when the request already has a specific cause.
        if (classification.signature === 'status-502' && hits.some((h) => h.classification.cause && h.classification.signature !== 'status-502')) continue;
        if (seen.has(classification.signature)) continue;
        seen.add(classification.signature);
        if (classification.signature !== 'status-502' && !requests?.has(requestId)) requests?.set(requestId, classification);
        tally(counts, 'logs.execution', log.stage, classification, hit.line.message, { timestamp: hit.line.timestamp, ...(route ? { route } : {}) });
      }
    }
  }
  return counts;
}

/**
 * Access-log counts. A record whose type or status only suggests a cause (ACCESS_DENIED without a
 * message, a bare 504) takes the cause its own request shows in the execution log, when it has one.
 */
export function summariseAccessLogs(
  logs: AccessLogEvidence[],
  counts = new Map<string, SignatureCount>(),
  executionRequests: ReadonlyMap<string, Classification> = new Map(),
): Map<string, SignatureCount> {
  for (const log of logs) {
    for (const record of log.records) {
      const result = classifyAccessRecordFully(record);
      if (!result) continue;
      const fromExecution = result.weak && record.requestId ? executionRequests.get(record.requestId) : undefined;
      const classification = fromExecution ?? result.classification;
      const example = `${record.status ?? '-'} ${record.httpMethod ?? ''} ${record.resourcePath ?? ''} ${accessField(record, ...RESPONSE_TYPE_FIELDS) ?? ''}`.replace(/\s+/g, ' ').trim();
      const route = routeKey(record.httpMethod, record.resourcePath);
      tally(counts, 'logs.access', log.stage, classification, example, { timestamp: record.timestamp, ...(route ? { route } : {}), ...(record.status !== undefined ? { status: record.status } : {}) });
    }
  }
  return counts;
}

/**
 * Lambda-log counts per function. A function used only as an authorizer is counted under A3 (the
 * authorizer failed), not as an integration error, timeout or throttle.
 */
export function summariseLambdaLogs(
  logs: LambdaLogEvidence[],
  counts = new Map<string, SignatureCount>(),
  authorizerOnly: ReadonlySet<string> = new Set(),
): Map<string, SignatureCount> {
  for (const log of logs) {
    const authorizer = authorizerOnly.has(log.functionName);
    const add = (n: number, classification: Classification, pattern: RegExp) => {
      if (n <= 0) return;
      const matching = log.lines.filter((l) => pattern.test(l.message));
      const examples = matching.slice(0, MAX_EXAMPLES).map((l) => l.message);
      const lastSeen = matching.reduce<number | undefined>((max, l) => (max === undefined || l.timestamp > max ? l.timestamp : max), undefined);
      const key = `logs.lambda|${log.functionName}|${classification.signature}`;
      const previous = counts.get(key);
      const minutes = fromTimes(matching.map((l) => l.timestamp));
      counts.set(key, {
        ...classification,
        source: 'logs.lambda',
        functionName: log.functionName,
        count: n + (previous?.count ?? 0),
        examples: previous?.examples.length ? previous.examples : examples.length ? examples : [`${n} in ${log.logGroup}`],
        ...(lastSeen !== undefined ? { lastSeen } : {}),
        ...(matching.length ? { firstSeen: Math.min(...matching.map((l) => l.timestamp)) } : {}),
        ...(matching.length ? { minutes } : {}),
      });
    };
    if (authorizer) {
      const label = `authorizer function ${log.functionName} failed`;
      add(log.errors, { signature: 'authorizer-lambda-error', cause: 'A3', label }, /error|exception/i);
      add(log.timeouts, { signature: 'authorizer-lambda-error', cause: 'A3', label }, /timed out/i);
      continue;
    }
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
  'lambda.functions'?: LambdaFunctionEvidence[];
}): LogSummary {
  const counts = new Map<string, SignatureCount>();
  const authorizerOnly = new Set(
    (evidence['lambda.functions'] ?? []).filter((f) => f.usedBy.includes('authorizer') && !f.usedBy.includes('integration')).map((f) => f.functionName),
  );
  const requests = new Map<string, Classification>();
  summariseExecutionLogs(evidence['logs.execution'] ?? [], counts, requests);
  summariseAccessLogs(evidence['logs.access'] ?? [], counts, requests);
  summariseLambdaLogs(evidence['logs.lambda'] ?? [], counts, authorizerOnly);
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
