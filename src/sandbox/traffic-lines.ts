import type { AccessLogValues } from './access-log.js';
import type { TrafficKind } from './scenario.js';

/**
 * What API Gateway and Lambda write for one request of each kind (catalogue §2 and §3.1). Each
 * line carries its log level: a stage at ERROR level keeps only the `error` lines. Offsets are ms
 * after the request arrived, so lines of one request stay together and in order.
 */
export interface RequestFacts {
  requestId: string;
  extendedRequestId: string;
  lambdaRequestId: string;
  time: number;
  method: string;
  path: string;
  resourcePath: string;
  status: number;
  kind: TrafficKind;
  apiId: string;
  stage: string;
  region: string;
  apiAccountId: string;
  sourceIp: string;
  /** The Lambda integration, when the route has one. */
  functionArn?: string;
  functionTimeoutSeconds: number;
  authorizer?: { id: string; functionArn?: string };
  apiKeyRequired: boolean;
  dataTrace: boolean;
  integrationLatencyMs: number;
  durationMs: number;
  vpceId?: string;
  /** The integration's `credentials` role, when it has one. */
  integrationRole?: string;
  callerArn?: string;
  canary?: boolean;
  /** The API key sent: its id (`$context.identity.apiKeyId`) and value (masked to its last 4 in execution logs). */
  apiKey?: { id: string; value?: string };
}

export interface LogLine {
  offsetMs: number;
  text: string;
}

export interface ExecutionLine extends LogLine {
  level: 'info' | 'error';
}

export interface RequestLines {
  execution: ExecutionLine[];
  lambda: LogLine[];
  /** Lines for the authorizer function's own log group. */
  authorizerLambda: LogLine[];
  access: AccessLogValues;
}

interface GatewayError {
  responseType: string;
  message: string;
}

function invokeArn(f: RequestFacts): string {
  return `arn:aws:execute-api:${f.region}:${f.apiAccountId}:${f.apiId}/${f.stage}/${f.method}${f.resourcePath === '/' ? '/' : f.resourcePath}`;
}

const denyMessage = (f: RequestFacts) => `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${invokeArn(f)}`;

/** An IAM caller refused: cross-account callers lack the resource policy's Allow, same-account ones have an identity-policy deny. */
function iamDenyMessage(f: RequestFacts): string {
  const caller = f.callerArn ?? `arn:aws:sts::${f.apiAccountId}:assumed-role/client/session`;
  const sameAccount = caller.split(':')[4] === f.apiAccountId;
  const why = sameAccount ? 'with an explicit deny in an identity-based policy' : 'because no resource-based policy allows the execute-api:Invoke action';
  return `User: ${caller} is not authorized to perform: execute-api:Invoke on resource: ${invokeArn(f)} ${why}`;
}

/** An SCP of the caller's own account denies: the bare "explicit deny" form (catalogue §0.8, §2.7: whether it names the SCP is unverified). */
function scpDenyMessage(f: RequestFacts): string {
  const caller = f.callerArn ?? `arn:aws:sts::${f.apiAccountId}:assumed-role/client/session`;
  return `User: ${caller} is not authorized to perform: execute-api:Invoke on resource: ${invokeArn(f)} with an explicit deny`;
}

const RATE_EXCEEDED = 'Execution failed due to configuration error: Rate Exceeded.';
const MTLS_REASON = 'Access denied. Reason: Could not find issuer for certificate';

function gatewayError(f: RequestFacts): GatewayError | undefined {
  switch (f.kind) {
    case 'ok':
      return undefined;
    case 'integration_timeout':
      return { responseType: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' };
    case 'lambda_error':
    case 'lambda_throttled':
      return { responseType: 'INTEGRATION_FAILURE', message: 'Internal server error' };
    case 'malformed_response':
    case 'missing_permission':
      return { responseType: 'API_CONFIGURATION_ERROR', message: 'Internal server error' };
    case 'authorizer_deny':
      return { responseType: 'ACCESS_DENIED', message: 'User is not authorized to access this resource with an explicit deny' };
    case 'authorizer_error':
      return { responseType: 'AUTHORIZER_CONFIGURATION_ERROR', message: 'Internal server error' };
    case 'missing_auth_token':
      return { responseType: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' };
    case 'throttled':
      return { responseType: 'THROTTLED', message: 'Too Many Requests' };
    case 'quota_exceeded':
      return { responseType: 'QUOTA_EXCEEDED', message: 'Limit Exceeded' };
    case 'waf_blocked':
      return { responseType: 'WAF_FILTERED', message: 'Forbidden' };
    case 'api_key_invalid':
      return { responseType: 'INVALID_API_KEY', message: 'Forbidden' };
    case 'resource_policy_deny':
      return { responseType: 'ACCESS_DENIED', message: denyMessage(f) };
    case 'unauthorized':
      return { responseType: 'UNAUTHORIZED', message: 'Unauthorized' };
    case 'authorizer_failure':
      return { responseType: 'AUTHORIZER_CONFIGURATION_ERROR', message: 'Internal server error' };
    case 'assume_role_denied':
    case 'invalid_endpoint':
      return { responseType: 'API_CONFIGURATION_ERROR', message: 'Internal server error' };
    case 'network_error':
      return { responseType: 'INTEGRATION_FAILURE', message: 'Network error communicating with endpoint' };
    case 'request_too_large':
      return { responseType: 'REQUEST_TOO_LARGE', message: 'Request Too Long' };
    case 'iam_denied':
      return { responseType: 'ACCESS_DENIED', message: iamDenyMessage(f) };
    case 'scp_denied':
      return { responseType: 'ACCESS_DENIED', message: scpDenyMessage(f) };
    case 'bad_signature':
      return { responseType: 'INVALID_SIGNATURE', message: 'Signature expired: 20240501T100000Z is now earlier than 20240501T100500Z (20240501T110500Z - 1 hour.)' };
    case 'mtls_denied':
      return { responseType: 'ACCESS_DENIED', message: MTLS_REASON };
    case 'handled_error':
      return undefined;
  }
}

/** Execution-log lines of one request, with their offsets and levels (REST and WebSocket alike). */
export class Writer {
  readonly lines: ExecutionLine[] = [];
  private offset = 0;
  info(text: string, stepMs = 0) {
    this.offset += stepMs;
    this.lines.push({ offsetMs: this.offset, text, level: 'info' });
  }
  error(text: string, stepMs = 0) {
    this.offset += stepMs;
    this.lines.push({ offsetMs: this.offset, text, level: 'error' });
  }
}

export const lambdaUri = (region: string, functionArn: string) => `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${functionArn}/invocations`;

/** How execution logs show a key: masked but its last four characters. */
function maskedKey(f: RequestFacts): string {
  return `**********${(f.apiKey?.value ?? 'abcd').slice(-4)}`;
}

function usagePlanLines(w: Writer, f: RequestFacts): boolean {
  const apiStage = `${f.apiId}/${f.stage}`;
  const route = `${f.method} ${f.resourcePath}`;
  w.info(`Verifying Usage Plan for request: ${f.requestId}. API Key:  API Stage: ${apiStage}`);
  if (f.kind === 'api_key_invalid') {
    w.error(`API Key  not authorized because method '${route}' requires API Key and API Key is not associated with a Usage Plan for API Stage ${apiStage}: Invalid API Key identifier specified`);
    return false;
  }
  if (f.kind === 'quota_exceeded') {
    w.error(`Usage Plan check failed for API Key ${maskedKey(f)} and API Stage ${apiStage}: Limit Exceeded`);
    return false;
  }
  if (f.kind === 'throttled') {
    w.error(`Key throttle limit exceeded for RestApi ${f.apiId}, Stage: ${f.stage}, Resource: ${f.resourcePath}, HttpMethod: ${f.method}. Limit: 100.00 Burst: 50`);
    return false;
  }
  if (f.apiKeyRequired) w.info(`Usage Plan check succeeded for API Key ${maskedKey(f)} and API Stage ${apiStage}`);
  else {
    w.info(`API Key  authorized because method '${route}' does not require API Key. Request will not contribute to throttle or quota limits`);
    w.info(`Usage Plan check succeeded for API Key  and API Stage ${apiStage}`);
  }
  return true;
}

const AUTHORIZER_ERROR = 'connect ETIMEDOUT 10.0.12.40:443';

function authorizerLines(w: Writer, f: RequestFacts): boolean {
  const authorizer = f.authorizer;
  if (!authorizer) {
    // A Cognito authorizer (no function) refusing the token: 401 before any method runs.
    if (f.kind !== 'unauthorized') return true;
    w.error(`Unauthorized request: ${f.requestId}`, 1);
    return false;
  }
  if (f.kind === 'unauthorized') {
    // The identity source is missing: API Gateway answers 401 without invoking the authorizer.
    w.info(`Starting authorizer: ${authorizer.id} for request: ${f.requestId}`, 1);
    w.error(`Unauthorized request: ${f.requestId}`);
    return false;
  }
  const outcome = f.kind === 'authorizer_failure' ? 'throws' : f.kind === 'authorizer_error' ? 'unusable' : f.kind === 'authorizer_deny' ? 'deny' : 'allow';
  return authorizerCallLines(w, { ...authorizer, requestId: f.requestId, region: f.region, apiId: f.apiId, apiAccountId: f.apiAccountId, resource: invokeArn(f), lambdaRequestId: f.lambdaRequestId, outcome, principal: 'user-1234', thrown: AUTHORIZER_ERROR });
}

/** One Lambda authorizer call as the execution log shows it; false when it stopped the request. */
export function authorizerCallLines(
  w: Writer,
  a: { id: string; functionArn?: string; requestId: string; region: string; apiId: string; apiAccountId: string; resource: string; lambdaRequestId: string; outcome: 'allow' | 'deny' | 'throws' | 'unusable'; principal: string; thrown: string },
): boolean {
  w.info(`Starting authorizer: ${a.id} for request: ${a.requestId}`, 1);
  w.info('Incoming identity: **********abcd');
  if (a.functionArn) {
    w.info(`Endpoint request URI: ${lambdaUri(a.region, a.functionArn)}`);
    w.info(
      `Endpoint request headers: {x-amzn-apigateway-api-id=${a.apiId}, Accept=application/json, User-Agent=AmazonAPIGateway_${a.apiId}, X-Amz-Source-Arn=arn:aws:execute-api:${a.region}:${a.apiAccountId}:${a.apiId}/authorizers/${a.id}}`,
    );
    w.info(`Sending request to ${lambdaUri(a.region, a.functionArn)}`);
  }
  if (a.outcome === 'throws') {
    w.error(`Lambda execution failed with status 200 due to customer function error: ${a.thrown}. Lambda request id: ${a.lambdaRequestId}`, 20);
    w.error('Execution failed due to configuration error: Authorizer error');
    w.error('AuthorizerConfigurationException');
    return false;
  }
  if (a.outcome === 'unusable') {
    w.error('Execution failed due to configuration error: Authorizer error', 20);
    w.error('AuthorizerConfigurationException');
    return false;
  }
  const effect = a.outcome === 'deny' ? 'Deny' : 'Allow';
  w.info(
    `Authorizer result body before parsing: {"principalId":"${a.principal}","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"${effect}","Resource":"${a.resource}"}]}}`,
    20,
  );
  w.info(`Using valid authorizer policy for principal: ${a.principal}`);
  w.info('Successfully completed authorizer execution');
  if (a.outcome === 'deny') {
    w.error('The client is not authorized to perform this operation.');
    return false;
  }
  return true;
}

function integrationLines(w: Writer, f: RequestFacts): void {
  w.info(`Starting execution for request: ${f.requestId}`, 1);
  w.info(`HTTP Method: ${f.method}, Resource Path: ${f.path}`);
  w.info('Method request path: {}');
  w.info('Method request query string: {}');
  if (f.dataTrace) {
    w.info(`Method request headers: {Accept=application/json, Host=${f.apiId}.execute-api.${f.region}.amazonaws.com, User-Agent=curl/8.4.0, X-Forwarded-For=${f.sourceIp}}`);
    w.info('Method request body before transformations: ');
  }
  const target = f.functionArn ? lambdaUri(f.region, f.functionArn) : `https://backend.example.com${f.path}`;
  w.info(`Endpoint request URI: ${target}`);
  w.info(
    `Endpoint request headers: {x-amzn-lambda-integration-tag=${f.requestId}, x-amzn-apigateway-api-id=${f.apiId}, Accept=application/json, User-Agent=AmazonAPIGateway_${f.apiId}, X-Amz-Source-Arn=${invokeArn(f)}}`,
  );
  if (f.dataTrace) w.info(`Endpoint request body after transformations: {"resource":"${f.resourcePath}","path":"${f.path}","httpMethod":"${f.method}"}`);
  if (f.kind === 'assume_role_denied') {
    w.error(`Execution failed due to configuration error: API Gateway does not have permission to assume the provided role ${f.integrationRole ?? `arn:aws:iam::${f.apiAccountId}:role/apigw-integration`}`, 2);
    return;
  }
  if (f.kind === 'invalid_endpoint') {
    w.error('Execution failed due to configuration error: Invalid endpoint address', 2);
    return;
  }
  w.info(`Sending request to ${target}`);
  const latency = f.integrationLatencyMs;
  switch (f.kind) {
    case 'network_error':
      w.error(`Execution failed due to a network error communicating with endpoint: ${target}`, 10_000);
      break;
    case 'handled_error':
      w.info(`Received response. Status: 200, Integration latency: ${latency} ms`, latency);
      w.info(`Endpoint response body before transformations: {"errorMessage":"${HANDLED_ERROR}"}`);
      w.info(`Endpoint response headers: {x-amzn-Remapped-Content-Length=0, x-amzn-RequestId=${f.lambdaRequestId}, Connection=keep-alive, Content-Length=61, X-Amz-Function-Error=Handled, Content-Type=application/json}`);
      w.info(`Method response body after transformations: {"errorMessage":"${HANDLED_ERROR}"}`);
      w.info('Method response headers: {Content-Type=application/json}');
      w.info('Successfully completed execution');
      break;
    case 'integration_timeout':
      w.error('Execution failed due to a timeout error', 29_000);
      break;
    case 'missing_permission':
      w.error('Execution failed due to configuration error: Invalid permissions on Lambda function', 5);
      break;
    case 'lambda_throttled':
      w.error(`Lambda invocation failed with status: 429. Lambda request id: ${f.lambdaRequestId}`, 5);
      w.error('Execution failed due to configuration error: Rate Exceeded.');
      break;
    case 'lambda_error':
      w.info(`Received response. Status: 200, Integration latency: ${latency} ms`, latency);
      w.info(`Endpoint response headers: {Content-Type=application/json, X-Amz-Executed-Version=$LATEST, X-Amz-Function-Error=Unhandled, x-amzn-RequestId=${f.lambdaRequestId}}`);
      w.error(`Lambda execution failed with status 200 due to customer function error: ${LAMBDA_ERROR.errorMessage}. Lambda request id: ${f.lambdaRequestId}`);
      break;
    case 'malformed_response':
      w.info(`Received response. Status: 200, Integration latency: ${latency} ms`, latency);
      w.info(`Endpoint response headers: {Content-Type=application/json, X-Amz-Executed-Version=$LATEST, x-amzn-RequestId=${f.lambdaRequestId}}`);
      w.info('Endpoint response body before transformations: {"status":"ok","items":[]}');
      w.error('Execution failed due to configuration error: Malformed Lambda proxy response');
      break;
    default:
      w.info(`Received response. Status: 200, Integration latency: ${latency} ms`, latency);
      w.info(`Endpoint response headers: {Content-Type=application/json, X-Amz-Executed-Version=$LATEST, x-amzn-RequestId=${f.lambdaRequestId}}`);
      if (f.dataTrace) {
        w.info(`Endpoint response body before transformations: {"statusCode":${f.status},"body":"{}"}`);
        w.info('Method response body after transformations: {}');
        w.info('Method response headers: {Content-Type=application/json}');
      }
      w.info('Successfully completed execution');
  }
}

// The error a function returns on purpose, mapped to 400 by an integration response (seen in
// rotemtam/serverless-aws-logs-parser tests/mocks/file.mock.js, a real 2016 execution log).
const HANDLED_ERROR = 'Error: Request failed with status code 422';

const LAMBDA_ERROR = {
  errorType: 'TypeError',
  errorMessage: "Cannot read properties of undefined (reading 'id')",
};

/**
 * One Lambda invocation in its log group: START, the function's own lines, END and REPORT (with
 * `Status: timeout` when it ran out of time), offsets from `start` ms after the request arrived.
 */
export function invocationLines(id: string, start: number, durationMs: number, body: LogLine[], timedOut = false): LogLine[] {
  return [
    { offsetMs: start, text: `START RequestId: ${id} Version: $LATEST` },
    ...body,
    { offsetMs: start + durationMs, text: `END RequestId: ${id}` },
    { offsetMs: start + durationMs, text: `${report(id, durationMs)}${timedOut ? 'Status: timeout' : ''}` },
  ];
}

/** A function that ran out of time (its own log's words). */
export function timeoutLines(id: string, start: number, time: number, timeoutSeconds: number): LogLine[] {
  const d = timeoutSeconds * 1000;
  return invocationLines(id, start, d, [{ offsetMs: start + d, text: `${new Date(time + start + d).toISOString()} ${id} Task timed out after ${timeoutSeconds.toFixed(2)} seconds` }], true);
}

/** An unhandled error as Node's runtime logs it: `ERROR\tInvoke Error \t{errorType, errorMessage, stack}`. */
export function invokeErrorLine(time: number, offsetMs: number, id: string, error: { errorType: string; errorMessage: string; stack: string[] }): LogLine {
  return { offsetMs, text: `${new Date(time + offsetMs).toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(error)}` };
}

function lambdaLines(f: RequestFacts): LogLine[] {
  if (!f.functionArn) return [];
  const id = f.lambdaRequestId;
  const start = 2;
  const iso = (offset: number) => new Date(f.time + offset).toISOString();
  const d = f.durationMs;
  switch (f.kind) {
    case 'ok':
    case 'malformed_response':
      return invocationLines(id, start, d, [{ offsetMs: start + 1, text: `${iso(start + 1)}\t${id}\tINFO\t${f.method} ${f.path} -> ${f.status}` }]);
    case 'lambda_error':
      return invocationLines(id, start, d, [invokeErrorLine(f.time, start + d - 1, id, { ...LAMBDA_ERROR, stack: [`TypeError: ${LAMBDA_ERROR.errorMessage}`, '    at Runtime.handler (file:///var/task/index.mjs:12:27)'] })]);
    case 'handled_error':
      return invocationLines(id, start, d, [{ offsetMs: start + d - 1, text: `${iso(start + d - 1)}\t${id}\t{"errorMessage":"${HANDLED_ERROR}"}` }]);
    case 'integration_timeout':
      return timeoutLines(id, start, f.time, f.functionTimeoutSeconds);
    default:
      // Stopped before the function ran: nothing in its log group.
      return [];
  }
}

function report(id: string, durationMs: number): string {
  const billed = Math.max(1, Math.ceil(durationMs));
  return `REPORT RequestId: ${id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t`;
}

/** Kinds that stop the request before a method runs: no execution log at all (catalogue §0.1). */
const NO_EXECUTION_LOG: ReadonlySet<TrafficKind> = new Set(['waf_blocked', 'missing_auth_token', 'request_too_large', 'bad_signature']);

/** The authorizer function's own log lines for a request whose authorizer threw. */
function authorizerLambdaLines(f: RequestFacts): LogLine[] {
  if (f.kind !== 'authorizer_failure' || !f.authorizer?.functionArn) return [];
  const error = { errorType: 'Error', errorMessage: AUTHORIZER_ERROR, stack: [`Error: ${AUTHORIZER_ERROR}`, '    at TCPConnectWrap.afterConnect (node:net:1555:16)'] };
  return invocationLines(f.lambdaRequestId, 2, 9, [invokeErrorLine(f.time, 10, f.lambdaRequestId, error)]);
}

export function linesFor(f: RequestFacts): RequestLines {
  const w = new Writer();
  const error = gatewayError(f);
  if (!NO_EXECUTION_LOG.has(f.kind)) {
    w.info(`Extended Request Id: ${f.extendedRequestId}`);
    let proceed = true;
    if (f.kind === 'resource_policy_deny') {
      w.error(denyMessage(f));
      proceed = false;
    }
    if (f.kind === 'iam_denied' || f.kind === 'scp_denied') {
      w.error(gatewayError(f)?.message ?? '');
      proceed = false;
    }
    if (f.kind === 'mtls_denied') {
      w.error(MTLS_REASON);
      proceed = false;
    }
    if (proceed) proceed = authorizerLines(w, f);
    if (proceed) proceed = usagePlanLines(w, f);
    if (proceed) integrationLines(w, f);
    if (error) w.error(`Gateway response type: ${error.responseType} with status code: ${f.status}`);
    w.info(`Method completed with status: ${f.status}`);
    // A failed request's completion line is logged at ERROR too: it is what ERROR-level stages show.
    const last = w.lines[w.lines.length - 1];
    if (last && f.status >= 500) last.level = 'error';
  }
  const lastOffset = w.lines[w.lines.length - 1]?.offsetMs ?? 1;
  const reachedIntegration = ['ok', 'lambda_error', 'malformed_response', 'integration_timeout', 'missing_permission', 'lambda_throttled', 'handled_error', 'network_error'].includes(f.kind);
  const callerAccount = f.callerArn?.split(':')[4];
  const access: AccessLogValues = {
    requestId: f.requestId,
    extendedRequestId: f.extendedRequestId,
    'identity.sourceIp': f.sourceIp,
    'identity.userAgent': 'curl/8.4.0',
    'identity.vpceId': f.vpceId,
    requestTime: '',
    requestTimeEpoch: f.time,
    httpMethod: f.method,
    resourcePath: f.kind === 'missing_auth_token' ? undefined : f.resourcePath,
    path: `/${f.stage}${f.path}`,
    protocol: 'HTTP/1.1',
    status: f.status,
    responseLength: error ? error.message.length + 14 : 2 + (f.status % 7) * 31,
    stage: f.stage,
    apiId: f.apiId,
    accountId: f.apiAccountId,
    domainName: `${f.apiId}.execute-api.${f.region}.amazonaws.com`,
    'error.responseType': error?.responseType,
    'error.message': error?.message,
    'error.messageString': error ? JSON.stringify(error.message) : undefined,
    'integration.status': reachedIntegration && f.kind !== 'lambda_throttled' && f.kind !== 'missing_permission' ? 200 : undefined,
    integrationStatus: reachedIntegration ? (f.kind === 'lambda_throttled' ? 429 : f.kind === 'missing_permission' ? 403 : 200) : undefined,
    'integration.error': f.kind === 'lambda_error' ? 'Unhandled' : f.kind === 'lambda_throttled' ? RATE_EXCEEDED : undefined,
    // As logged by a real API (DataBiosphere/azul PR #6624): INTEGRATION_FAILURE, "Internal server error", and this.
    integrationErrorMessage: f.kind === 'lambda_throttled' ? RATE_EXCEEDED : f.kind === 'network_error' ? 'Network error communicating with endpoint' : undefined,
    'identity.caller': f.callerArn,
    'identity.userArn': f.callerArn,
    'identity.accountId': callerAccount,
    'identity.apiKeyId': f.apiKey?.id,
    isCanaryRequest: f.canary === undefined ? undefined : String(f.canary),
    'integration.latency': reachedIntegration ? f.integrationLatencyMs : undefined,
    integrationLatency: reachedIntegration ? f.integrationLatencyMs : undefined,
    responseLatency: lastOffset,
    'waf.status': f.kind === 'waf_blocked' ? 403 : undefined,
    wafResponseCode: f.kind === 'waf_blocked' ? 'WAF_BLOCK' : undefined,
    'authorizer.error': f.kind === 'authorizer_error' || f.kind === 'authorizer_failure' ? 'Authorizer error' : undefined,
    'authorize.status': f.kind === 'authorizer_deny' ? 403 : f.authorizer ? 200 : undefined,
  };
  return { execution: w.lines, lambda: lambdaLines(f), authorizerLambda: authorizerLambdaLines(f), access };
}
