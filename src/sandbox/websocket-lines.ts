import type { AccessLogValues } from './access-log.js';
import type { CALLBACK_KINDS, WEBSOCKET_CLOSE_KINDS, WEBSOCKET_CONNECT_KINDS, WEBSOCKET_MESSAGE_KINDS } from './scenario.js';
import { authorizerCallLines, invocationLines, invokeErrorLine, lambdaUri, timeoutLines, Writer, type ExecutionLine, type LogLine } from './traffic-lines.js';

/**
 * What API Gateway and Lambda write for one WebSocket event (websocket-api-failure-catalogue.md).
 * Texts and their sources:
 * - execution-log lines that REST APIs share (integration request, "Execution failed due to …",
 *   "Lambda execution failed with status 200 due to customer function error") are REST's texts
 *   (apigw-failure-catalogue §3.1): WebSocket integrations invoke Lambda the same way (inferred);
 * - the WebSocket-only lines ("WebSocket Request Route: [...]", "Client [...] is connecting…",
 *   "… disconnected from API [...] … Close reason: [1001: Going away]") follow the form of an
 *   API Gateway emulator's WebSocket execution log (reported; AWS does not document them);
 * - gateway error frames: "Forbidden" for no route, "Internal server error", "Endpoint request timed
 *   out" (catalogue §1.2, reported); close codes 1009/1003 (DG-2023);
 * - `@connections` failures in the backend's log: "GoneException: UnknownError" (SDK v3),
 *   "An error occurred (GoneException) when calling the PostToConnection operation: " (boto3), and
 *   the ManageConnections denial with the account masked in the resource ARN (aws/aws-cdk#18410 and
 *   public Lambda logs).
 */
export type ConnectKind = (typeof WEBSOCKET_CONNECT_KINDS)[number];
export type MessageKind = (typeof WEBSOCKET_MESSAGE_KINDS)[number] | 'no_route' | 'no_integration';
export type CloseKind = (typeof WEBSOCKET_CLOSE_KINDS)[number];
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

export interface WsEventFacts {
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  kind: ConnectKind | MessageKind | CloseKind;
  status: number;
  requestId: string;
  connectionId: string;
  messageId?: string;
  time: number;
  connectedAt: number;
  /** The route that ran (`$connect`, `sendmessage`, `$default`); absent when none matched. */
  routeKey?: string;
  apiId: string;
  stage: string;
  region: string;
  apiAccountId: string;
  sourceIp: string;
  functionArn?: string;
  /** The function's timeout and the integration's, whichever API Gateway hits first. */
  functionTimeoutSeconds: number;
  integrationTimeoutMs: number;
  python: boolean;
  authorizer?: { id: string; functionArn?: string };
  lambdaRequestId: string;
  authorizerRequestId: string;
  integrationLatencyMs: number;
  durationMs: number;
  callerArn?: string;
  /** The backend's `@connections` call after handling a message, and the role it runs as. */
  callback?: { kind: CallbackKind; roleArn: string; functionName: string };
}

export interface WsEventLines {
  execution: ExecutionLine[];
  access: AccessLogValues;
  /** The route function's own log. */
  lambda: LogLine[];
  authorizerLambda: LogLine[];
}

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

interface GatewayError {
  responseType: string;
  message: string;
}

function gatewayError(f: WsEventFacts): GatewayError | undefined {
  switch (f.kind) {
    case 'unauthorized':
      return { responseType: 'UNAUTHORIZED', message: 'Unauthorized' };
    case 'authorizer_deny':
      return { responseType: 'ACCESS_DENIED', message: 'Forbidden' };
    case 'authorizer_error':
      return { responseType: 'AUTHORIZER_CONFIGURATION_ERROR', message: 'Internal server error' };
    case 'iam_denied':
      return { responseType: 'ACCESS_DENIED', message: iamDenyMessage(f) };
    case 'api_key_invalid':
      return { responseType: 'INVALID_API_KEY', message: 'Forbidden' };
    case 'lambda_error':
      return { responseType: 'INTEGRATION_FAILURE', message: 'Internal server error' };
    case 'missing_permission':
    case 'no_integration':
      return { responseType: 'API_CONFIGURATION_ERROR', message: 'Internal server error' };
    case 'integration_timeout':
      return { responseType: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' };
    case 'throttled':
      return { responseType: 'THROTTLED', message: 'Too Many Requests' };
    case 'bad_request_body':
      return { responseType: 'BAD_REQUEST_BODY', message: 'Bad request body' };
    // No route and no $default: the client gets a "Forbidden" frame; the response type is undocumented.
    case 'no_route':
      return { responseType: '', message: 'Forbidden' };
    default:
      return undefined;
  }
}

function routeArn(f: WsEventFacts): string {
  return `arn:aws:execute-api:${f.region}:${f.apiAccountId}:${f.apiId}/${f.stage}/${f.routeKey ?? '$connect'}`;
}

function iamDenyMessage(f: WsEventFacts): string {
  const caller = f.callerArn ?? `arn:aws:sts::${f.apiAccountId}:assumed-role/device/session`;
  return `User: ${caller} is not authorized to perform: execute-api:Invoke on resource: ${routeArn(f)} because no identity-based policy allows the execute-api:Invoke action`;
}

const CLOSE: Record<CloseKind, [number, string]> = {
  client: [1001, 'Going away'],
  idle_timeout: [1001, 'Going away'],
  max_duration: [1001, 'Going away'],
  too_large: [1009, 'Message too big'],
  binary_frame: [1003, 'Unsupported data'],
};

function authorizerLines(w: Writer, f: WsEventFacts): boolean {
  const authorizer = f.authorizer;
  if (!authorizer) return true;
  if (f.kind === 'unauthorized') {
    // An identity source is missing: 401 without calling the authorizer.
    w.error(`Unauthorized request: ${f.requestId}`, 1);
    return false;
  }
  // The same authorizer machinery as REST's: the function throws, denies or allows the method ARN.
  const outcome = f.kind === 'authorizer_error' ? 'throws' : f.kind === 'authorizer_deny' ? 'deny' : 'allow';
  return authorizerCallLines(w, { ...authorizer, requestId: f.requestId, region: f.region, apiId: f.apiId, apiAccountId: f.apiAccountId, resource: routeArn(f), lambdaRequestId: f.authorizerRequestId, outcome, principal: 'device-4711', thrown: AUTHORIZER_ERROR });
}

function integrationLines(w: Writer, f: WsEventFacts): void {
  if (!f.functionArn) {
    if (f.kind === 'no_integration') w.error('Execution failed due to configuration error: No integration defined for route', 1);
    return;
  }
  const target = lambdaUri(f.region, f.functionArn);
  w.info(`Endpoint request URI: ${target}`, 1);
  w.info(`Endpoint request headers: {x-amzn-lambda-integration-tag=${f.requestId}, Accept=application/json, User-Agent=AmazonAPIGateway_${f.apiId}, X-Amz-Source-Arn=${routeArn(f)}}`);
  if (f.kind === 'missing_permission') {
    w.error('Execution failed due to configuration error: Invalid permissions on Lambda function', 5);
    return;
  }
  w.info(`Sending request to ${target}`);
  const latency = f.integrationLatencyMs;
  switch (f.kind) {
    case 'integration_timeout':
      w.error('Execution failed due to a timeout error', f.integrationTimeoutMs);
      return;
    case 'lambda_error':
      w.info(`Received response. Status: 200, Integration latency: ${latency} ms`, latency);
      w.info(`Endpoint response headers: {Content-Type=application/json, X-Amz-Executed-Version=$LATEST, X-Amz-Function-Error=Unhandled, x-amzn-RequestId=${f.lambdaRequestId}}`);
      w.error(`Lambda execution failed with status 200 due to customer function error: ${FUNCTION_ERROR}. Lambda request id: ${f.lambdaRequestId}`);
      return;
    default:
      w.info(`Received response. Status: 200, Integration latency: ${latency} ms`, latency);
      w.info(`Endpoint response headers: {Content-Type=application/json, X-Amz-Executed-Version=$LATEST, x-amzn-RequestId=${f.lambdaRequestId}}`);
      w.info(`Endpoint response body before transformations: {"statusCode":${f.status}}`);
      w.info(`AWS Integration Endpoint RequestId : ${f.lambdaRequestId}`);
  }
}

const FUNCTION_ERROR = "Cannot read properties of undefined (reading 'connectionId')";
const AUTHORIZER_ERROR = 'jwt malformed';
/** Kinds decided before any route runs: throttles and too-large frames leave no execution log. */
const NO_EXECUTION: ReadonlySet<string> = new Set(['throttled']);

function executionLines(f: WsEventFacts, error: GatewayError | undefined): ExecutionLine[] {
  const w = new Writer();
  if (NO_EXECUTION.has(f.kind)) return w.lines;
  w.info(`Extended Request Id: ${f.requestId}`);
  w.info(`Starting execution for request: ${f.requestId}`);
  if (f.routeKey) w.info(`WebSocket Request Route: [${f.routeKey}]`);
  let proceed = true;
  if (f.eventType === 'CONNECT') {
    w.info(`Client [UserAgent: ${USER_AGENT}, SourceIp: ${f.sourceIp}] is connecting to WebSocket API [${f.apiId}].`);
    if (f.kind === 'iam_denied') {
      w.error(iamDenyMessage(f));
      proceed = false;
    }
    if (f.kind === 'api_key_invalid') {
      w.error(`API Key not authorized because route '$connect' requires API Key: Invalid API Key identifier specified`);
      proceed = false;
    }
    if (proceed) proceed = authorizerLines(w, f);
  } else if (f.eventType === 'MESSAGE') {
    w.info(`WebSocket API [${f.apiId}] received message from client [Connection Id: ${f.connectionId}].`);
    if (f.kind === 'bad_request_body') {
      w.error('Request body does not match model schema for content type application/json');
      proceed = false;
    }
  }
  if (!f.routeKey) return w.lines;
  if (proceed) integrationLines(w, f);
  if (error) w.error(`Gateway response type: ${error.responseType || 'DEFAULT_4XX'} with status code: ${f.status}`);
  if (f.eventType === 'CONNECT' && f.status < 300) w.info(`Client [Connection Id: ${f.connectionId}] connected to API [${f.apiId}] successfully.`);
  if (f.eventType === 'MESSAGE' && f.functionArn && proceed) w.info(`Message from client [Connection Id: ${f.connectionId}] sent to API [${f.apiId}] with response status code [${f.status}].`);
  if (f.eventType === 'DISCONNECT') {
    const [code, reason] = CLOSE[f.kind as CloseKind] ?? CLOSE.client;
    w.info(`Client [Connection Id: ${f.connectionId}] disconnected from API [${f.apiId}] with integration response status code [${f.status}]. Close reason: [${code}: ${reason}]`);
  }
  return w.lines;
}

/** The backend's `@connections` failure as its log shows it (SDK v3 in Node, boto3 in Python). */
function callbackText(f: WsEventFacts): string | undefined {
  const callback = f.callback;
  if (!callback || callback.kind === 'ok') return undefined;
  const connection = f.connectionId;
  const masked = `********${f.apiAccountId.slice(-4)}`;
  const at = callback.roleArn.indexOf(':role/');
  const role = at >= 0 && at + 6 < callback.roleArn.length ? callback.roleArn.slice(at + 6) : 'backend';
  const caller = `arn:aws:sts::${f.apiAccountId}:assumed-role/${role}/${callback.functionName}`;
  const resource = `arn:aws:execute-api:${f.region}:${masked}:${f.apiId}/${f.stage}/POST/@connections/{connectionId}`;
  const denied = `User: ${caller} is not authorized to perform: execute-api:ManageConnections on resource: ${resource}`;
  if (f.python) {
    const error = { gone: 'GoneException', access_denied: 'AccessDeniedException', wrong_endpoint: 'ForbiddenException', too_large: 'PayloadTooLargeException', limit_exceeded: 'LimitExceededException' }[callback.kind];
    return `An error occurred (${error}) when calling the PostToConnection operation: ${callback.kind === 'access_denied' ? denied : callback.kind === 'wrong_endpoint' ? 'Forbidden' : ''}`;
  }
  switch (callback.kind) {
    case 'gone':
      return `postToConnection ${connection} failed: GoneException: UnknownError`;
    case 'access_denied':
      return `postToConnection ${connection} failed: AccessDeniedException: ${denied}`;
    case 'wrong_endpoint':
      return `postToConnection ${connection} failed: ForbiddenException: Forbidden`;
    case 'too_large':
      return `postToConnection ${connection} failed: PayloadTooLargeException: UnknownError`;
    case 'limit_exceeded':
      return `postToConnection ${connection} failed: LimitExceededException: UnknownError`;
  }
}

const NOT_INVOKED: ReadonlySet<string> = new Set(['no_route', 'missing_permission', 'throttled', 'no_integration', 'unauthorized', 'authorizer_deny', 'authorizer_error', 'iam_denied', 'api_key_invalid', 'bad_request_body']);
const AUTHORIZER_NOT_INVOKED: ReadonlySet<string> = new Set(['unauthorized', 'throttled', 'iam_denied', 'api_key_invalid']);

/** Whether the event invoked its route's function (its log then has the invocation), and the authorizer's. */
export function functionInvoked(f: WsEventFacts): boolean {
  return f.functionArn !== undefined && !NOT_INVOKED.has(f.kind);
}
export function authorizerInvoked(f: WsEventFacts): boolean {
  return f.authorizer?.functionArn !== undefined && f.eventType === 'CONNECT' && !AUTHORIZER_NOT_INVOKED.has(f.kind);
}

function lambdaLines(f: WsEventFacts): LogLine[] {
  if (!functionInvoked(f)) return [];
  const id = f.lambdaRequestId;
  const start = 2;
  const iso = (offset: number) => new Date(f.time + offset).toISOString();
  const log = (offset: number, level: 'INFO' | 'ERROR', text: string) => ({
    offsetMs: offset,
    text: f.python ? `[${level}]\t${iso(offset)}\t${id}\t${text}` : `${iso(offset)}\t${id}\t${level}\t${text}`,
  });
  if (f.kind === 'integration_timeout') return timeoutLines(id, start, f.time, f.functionTimeoutSeconds);
  const d = f.durationMs;
  const body: LogLine[] = [log(start + 1, 'INFO', `${f.eventType} ${f.routeKey ?? '-'} connection ${f.connectionId}`)];
  if (f.kind === 'lambda_error') body.push(invokeErrorLine(f.time, start + d - 1, id, { errorType: 'TypeError', errorMessage: FUNCTION_ERROR, stack: [`TypeError: ${FUNCTION_ERROR}`, '    at Runtime.handler (file:///var/task/index.mjs:21:40)'] }));
  const callback = callbackText(f);
  if (callback) body.push(log(start + d - 1, 'ERROR', callback));
  return invocationLines(id, start, d, body);
}

function authorizerLambdaLines(f: WsEventFacts): LogLine[] {
  if (!authorizerInvoked(f)) return [];
  const id = f.authorizerRequestId;
  const error = { errorType: 'JsonWebTokenError', errorMessage: AUTHORIZER_ERROR, stack: [`JsonWebTokenError: ${AUTHORIZER_ERROR}`, '    at module.exports (/var/task/node_modules/jsonwebtoken/verify.js:70:17)'] };
  return invocationLines(id, 2, 9, f.kind === 'authorizer_error' ? [invokeErrorLine(f.time, 10, id, error)] : []);
}

const REACHED_INTEGRATION = new Set(['ok', 'connect_rejected', 'lambda_error', 'integration_timeout', 'client', 'idle_timeout', 'max_duration', 'too_large', 'binary_frame']);

export function websocketLinesFor(f: WsEventFacts): WsEventLines {
  const error = gatewayError(f);
  const reached = REACHED_INTEGRATION.has(f.kind) && f.functionArn !== undefined;
  const latency = f.kind === 'integration_timeout' ? f.integrationTimeoutMs : f.integrationLatencyMs;
  const authorizerRan = f.authorizer !== undefined && f.eventType === 'CONNECT' && !AUTHORIZER_NOT_INVOKED.has(f.kind);
  const access: AccessLogValues = {
    requestId: f.requestId,
    extendedRequestId: f.requestId,
    eventType: f.eventType,
    connectionId: f.connectionId,
    connectedAt: f.connectedAt,
    routeKey: f.routeKey,
    messageId: f.messageId,
    status: f.status,
    apiId: f.apiId,
    stage: f.stage,
    domainName: `${f.apiId}.execute-api.${f.region}.amazonaws.com`,
    requestTime: '',
    requestTimeEpoch: f.time,
    'identity.sourceIp': f.sourceIp,
    'identity.userAgent': USER_AGENT,
    'identity.userArn': f.callerArn,
    'identity.caller': f.callerArn,
    'error.message': error?.message,
    'error.messageString': error ? JSON.stringify(error.message) : undefined,
    'error.responseType': error?.responseType || undefined,
    // What the function answered (a rejected $connect's own status), and Lambda's status for the call.
    'integration.status': reached && f.kind !== 'lambda_error' && f.kind !== 'integration_timeout' ? (f.kind === 'connect_rejected' ? f.status : 200) : undefined,
    'integration.integrationStatus': reached || f.kind === 'missing_permission' ? (f.kind === 'missing_permission' ? 403 : 200) : undefined,
    integrationStatus: reached ? 200 : undefined,
    'integration.error': f.kind === 'lambda_error' ? 'Unhandled' : undefined,
    integrationErrorMessage: f.kind === 'lambda_error' ? 'Unhandled' : f.kind === 'missing_permission' ? 'Invalid permissions on Lambda function' : undefined,
    'integration.latency': reached ? latency : undefined,
    integrationLatency: reached ? latency : undefined,
    'integration.requestId': reached ? f.lambdaRequestId : undefined,
    awsEndpointRequestId: reached ? f.lambdaRequestId : undefined,
    'authorizer.status': authorizerRan ? (f.kind === 'authorizer_deny' ? 403 : f.kind === 'authorizer_error' ? 500 : 200) : f.kind === 'unauthorized' && f.authorizer ? 401 : undefined,
    'authorizer.integrationStatus': authorizerRan && f.authorizer?.functionArn ? 200 : undefined,
    'authorizer.error': f.kind === 'authorizer_error' ? 'Authorizer error' : f.kind === 'unauthorized' && f.authorizer ? 'Unauthorized' : undefined,
    'authorizer.principalId': authorizerRan && f.kind !== 'authorizer_error' ? 'device-4711' : undefined,
    'authorizer.requestId': authorizerRan && f.authorizer?.functionArn ? f.authorizerRequestId : undefined,
  };
  return { execution: executionLines(f, error), access, lambda: lambdaLines(f), authorizerLambda: authorizerLambdaLines(f) };
}
