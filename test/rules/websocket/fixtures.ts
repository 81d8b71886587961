import type { CoverageRow } from '../../../src/core/coverage.js';
import type { AccessLogRecord, CallbackFailureEvidence, Evidence, HttpRouteEvidence, LambdaLogEvidence, LogLine } from '../../../src/core/evidence.js';
import type { RuleInput } from '../../../src/rules/types.js';

/**
 * A WebSocket API's evidence built by hand for the W rules: one stage (production, INFO execution
 * logs, a JSON access log), routes $connect (REQUEST authorizer), $disconnect, $default (two-way)
 * and sendmessage (one-way, its backend may post to connections), each with a Lambda function.
 */
export const API_ID = 'w5k2m8q4r1';
export const NOW = Date.parse('2024-05-01T12:00:00Z');
export const WINDOW = { since: new Date(NOW - 2 * 3600_000), until: new Date(NOW) };
const REGION = 'us-east-1';
const ACCOUNT = '111111111111';

const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export function routes(): HttpRouteEvidence[] {
  return [
    { routeId: 'r1', routeKey: '$connect', authorizationType: 'CUSTOM', authorizerId: 'wauth1', authorizationScopes: [], target: 'integrations/i1', integrationId: 'i1' },
    { routeId: 'r2', routeKey: '$disconnect', authorizationType: 'NONE', authorizationScopes: [], target: 'integrations/i2', integrationId: 'i2' },
    { routeId: 'r3', routeKey: '$default', authorizationType: 'NONE', authorizationScopes: [], target: 'integrations/i3', integrationId: 'i3', routeResponseSelectionExpression: '$default', routeResponses: [{ responseKey: '$default' }] },
    { routeId: 'r4', routeKey: 'sendmessage', authorizationType: 'NONE', authorizationScopes: [], target: 'integrations/i4', integrationId: 'i4' },
  ];
}

const FUNCTIONS = { i1: 'chat-connect', i2: 'chat-disconnect', i3: 'chat-default', i4: 'chat-sendmessage' } as const;

function allowPolicy(name: string, sourceArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'apigw', Effect: 'Allow' as const, Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: fnArn(name), Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } } }],
  };
}

export function evidence(): Evidence {
  const prefix = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}`;
  return {
    'apigwv2.api': { apiId: API_ID, name: 'chat-ws', protocolType: 'WEBSOCKET', accountId: ACCOUNT, disableExecuteApiEndpoint: false, routeSelectionExpression: '$request.body.action', apiEndpoint: `wss://${API_ID}.execute-api.${REGION}.amazonaws.com` },
    'apigw.account': { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw` },
    'apigwv2.stages': [
      {
        stageName: 'production',
        autoDeploy: false,
        deploymentId: 'd1',
        deploymentCreatedDate: '2024-04-28T10:00:00.000Z',
        defaultRouteSettings: { loggingLevel: 'INFO', throttlingRateLimit: 500, throttlingBurstLimit: 1000 },
        routeSettings: {},
        accessLog: { destinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ws`, format: '{"eventType":"$context.eventType"}' },
      },
    ],
    'apigwv2.routes': {
      routes: routes(),
      integrations: Object.entries(FUNCTIONS).map(([integrationId, name]) => ({ integrationId, integrationType: 'AWS_PROXY', lambdaArn: fnArn(name), timeoutInMillis: 10000 })),
    },
    'apigwv2.authorizers': [{ authorizerId: 'wauth1', name: 'token-check', authorizerType: 'REQUEST', identitySource: ['route.request.querystring.token'], jwtAudience: [], lambdaArn: fnArn('chat-authorizer') }],
    'lambda.functions': [
      ...Object.entries(FUNCTIONS).map(([id, name]) => {
        const routeKey = routes().find((r) => r.integrationId === id)?.routeKey ?? '';
        return {
          functionArn: fnArn(name),
          functionName: name,
          accountId: ACCOUNT,
          usedBy: ['integration' as const],
          layers: [],
          timeout: 10,
          role: `arn:aws:iam::${ACCOUNT}:role/${name === 'chat-sendmessage' ? 'backend' : 'basic'}`,
          invokePermission: { allowsThisApi: true, matchingStatements: ['apigw'], policy: allowPolicy(name, `${prefix}/*/${routeKey}`) },
        };
      }),
      { functionArn: fnArn('chat-authorizer'), functionName: 'chat-authorizer', accountId: ACCOUNT, usedBy: ['authorizer' as const], layers: [], invokePermission: { allowsThisApi: true, matchingStatements: ['apigw'], policy: allowPolicy('chat-authorizer', `${prefix}/authorizers/wauth1`) } },
    ],
    'iam.manage-connections': Object.values(FUNCTIONS).map((name) => ({
      functionName: name,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${name === 'chat-sendmessage' ? 'backend' : 'basic'}`,
      policies: ['inline'],
      statements: name === 'chat-sendmessage' ? [{ Effect: 'Allow' as const, Action: 'execute-api:ManageConnections', Resource: `${prefix}/production/*/@connections/*`, policy: 'inline' }] : [],
    })),
    'logs.lambda': [],
    'cloudtrail.changes': [],
  };
}

const SOURCES = ['apigwv2.api', 'apigw.account', 'apigwv2.stages', 'apigwv2.routes', 'apigwv2.authorizers', 'logs.execution', 'logs.access', 'lambda.functions', 'logs.lambda', 'iam.manage-connections', 'cloudtrail.changes', 'cloudtrail.denies'];

export function coverage(): CoverageRow[] {
  return SOURCES.map((source) => ({ source, title: source, status: 'ok', calls: [], durationMs: 1 }) as CoverageRow);
}

let sequence = 0;

/** One access-log record of a WebSocket event (fields as `$context` names), `ago` ms before the window's end. */
export function event(eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT', fields: Record<string, string>, ago: number): AccessLogRecord {
  sequence += 1;
  const { status, ...rest } = fields;
  return {
    timestamp: NOW - ago,
    requestId: `r${sequence}`,
    status: Number(status ?? 200),
    fields: { eventType, connectionId: `c${sequence}=`, ...(eventType === 'CONNECT' ? { routeKey: '$connect' } : eventType === 'DISCONNECT' ? { routeKey: '$disconnect' } : {}), ...rest },
  };
}

/**
 * `total` events of a type, the last `failing` of them failing (in the window's last minutes,
 * so still happening), the others healthy and spread over the window.
 */
export function events(eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT', total: number, failing: number, failure: Record<string, string>, healthy: Record<string, string> = {}): AccessLogRecord[] {
  const out: AccessLogRecord[] = [];
  for (let i = 0; i < total - failing; i++) out.push(event(eventType, { status: '200', ...healthy }, 600_000 + Math.floor((i * (WINDOW.until.getTime() - WINDOW.since.getTime() - 700_000)) / Math.max(1, total - failing))));
  for (let i = 0; i < failing; i++) out.push(event(eventType, failure, 1_000 + i * 1_000));
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

export function withAccess(base: Evidence, records: AccessLogRecord[]): Evidence {
  return { ...base, 'logs.access': [{ stage: 'production', logGroup: '/ws', format: 'json', records, unparsed: [] }] };
}

export function withExecution(base: Evidence, lines: LogLine[]): Evidence {
  return { ...base, 'logs.execution': [{ stage: 'production', logGroup: `API-Gateway-Execution-Logs_${API_ID}/production`, lines }] };
}

/** A function's log: `invocations` invocations, `errors` failed ones, and failed `@connections` calls. */
export function lambdaLog(functionName: string, invocations: number, errors: number, callbacks: CallbackFailureEvidence[] = []): LambdaLogEvidence {
  const lines = Array.from({ length: errors }, (_, i) => ({ timestamp: NOW - 1_000 - i * 1_000, message: `2024-05-01T11:59:00.000Z\tid${i}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"boom"}` }));
  return {
    functionName,
    logGroup: `/aws/lambda/${functionName}`,
    errors,
    timeouts: 0,
    throttles: 0,
    lines,
    invocations,
    invocationsExact: true,
    lastInvocation: NOW - 500,
    ...(callbacks.length ? { callbackFailures: callbacks } : {}),
  };
}

export function callback(kind: CallbackFailureEvidence['kind'], count: number, example = `${kind} failure`): CallbackFailureEvidence {
  return { kind, count, firstSeen: NOW - 60_000, lastSeen: NOW - 1_000, example };
}

export function input(evidenceMap: Evidence, stage?: string): RuleInput {
  return { target: { kind: 'api-gw', restApiId: API_ID, region: REGION, apiType: 'WEBSOCKET', ...(stage ? { stage } : {}) }, window: WINDOW, evidence: evidenceMap, coverage: coverage() };
}
