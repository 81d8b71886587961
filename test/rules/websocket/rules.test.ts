import { describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../../src/core/coverage.js';
import type { Evidence } from '../../../src/core/evidence.js';
import { SEVERITY_RANK, type Finding } from '../../../src/core/finding.js';
import { evaluateRules, rulesFor, WEBSOCKET_RULES } from '../../../src/rules/index.js';
import type { Rule } from '../../../src/rules/types.js';
import { wbAccessLogNotDiagnostic, wbAccessLogsOff, wbCloudtrailRefused, wbExecutionLoggingOff } from '../../../src/rules/websocket/blind-spots.js';
import { w17ManageConnectionsDenied } from '../../../src/rules/websocket/callbacks.js';
import { connectCause, messageCause } from '../../../src/rules/websocket/causes.js';
import { w1IdentitySourceMissing, w2AuthorizerDenies, w3AuthorizerFails } from '../../../src/rules/websocket/connect.js';
import { w11LambdaPermissionMissing, w12FunctionErrors, w14OneWayRoute, w15VpcLinkProblem } from '../../../src/rules/websocket/integrations.js';
import { w22Throttled } from '../../../src/rules/websocket/limits.js';
import { w10ApiMappingWrong, w6NoRouteMatched, w7ChangesNotDeployed, w8DefaultEndpointDisabled, w9RouteWithoutIntegration } from '../../../src/rules/websocket/routing.js';
import { coverage, events, evidence, input, lambdaLog, NOW, routes, withAccess, withExecution } from './fixtures.js';

const run = (rule: Rule, e: Evidence, rows?: CoverageRow[]): Finding[] => rule.evaluate({ ...input(e), ...(rows ? { coverage: rows } : {}) });
const above = (list: Finding[]) => list.filter((f) => !f.inconclusive && SEVERITY_RANK[f.severity] < SEVERITY_RANK.low);
const refused = (source: string): CoverageRow[] => coverage().map((r) => (r.source === source ? { ...r, status: 'error', error: { kind: 'access_denied', message: 'no', action: 'x:Y' } } : r));

function editRoutes(e: Evidence, change: (r: ReturnType<typeof routes>[number]) => ReturnType<typeof routes>[number] | undefined): Evidence {
  const current = e['apigwv2.routes'];
  return { ...e, 'apigwv2.routes': { routes: (current?.routes ?? []).map(change).filter((r): r is ReturnType<typeof routes>[number] => r !== undefined), integrations: current?.integrations ?? [] } };
}

describe('the WebSocket rule set', () => {
  it('runs for WebSocket APIs only, one id per rule in catalogue form', () => {
    expect(rulesFor('WEBSOCKET')).toBe(WEBSOCKET_RULES);
    const ids = WEBSOCKET_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(W(B|\d+)|B)\.[a-z0-9-]+$/);
  });

  it('is silent above low on a healthy API with background noise', () => {
    const records = [
      ...events('CONNECT', 400, 8, { status: '401', 'error.message': 'Unauthorized' }),
      ...events('MESSAGE', 1000, 5, { status: '500', routeKey: 'sendmessage', 'error.message': 'Internal server error', 'error.responseType': 'INTEGRATION_FAILURE' }, { routeKey: 'sendmessage' }),
    ];
    const findings = evaluateRules({ ...input(withAccess(evidence(), records)) });
    expect(above(findings).map((f) => `${f.rule}: ${f.detail}`)).toEqual([]);
  });
});

describe('which cause a failed event shows', () => {
  const base = { timestamp: NOW, texts: [] as string[] };
  it('decides in the order API Gateway does: throttle, credentials, authorizer, integration', () => {
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 429 })).toBe('W22');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 401 })).toBe('W1');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 403, responseType: 'INVALID_API_KEY' })).toBe('W1');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 403, texts: ['User: x is not authorized to perform: execute-api:Invoke on resource: y'] })).toBe('W5');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 500, authorizerError: 'Authorizer error', texts: ['Authorizer error'] })).toBe('W3');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 403, authorizerStatus: 403 })).toBe('W2');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 500, texts: ['Invalid permissions on Lambda function'] })).toBe('W11');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 504 })).toBe('W13');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 400, integrationStatus: 400 })).toBe('W4');
    expect(connectCause({ ...base, eventType: 'CONNECT', status: 200 })).toBeUndefined();
  });

  it('tells an unrouted message from a failing route', () => {
    const list = routes();
    expect(messageCause({ ...base, eventType: 'MESSAGE', status: 403 }, list)).toBe('W6');
    expect(messageCause({ ...base, eventType: 'MESSAGE', status: 500, routeKey: 'sendmessage', texts: ['Internal server error'] }, list)).toBe('W12');
    expect(messageCause({ ...base, eventType: 'MESSAGE', status: 500, routeKey: 'typing' }, [...list, { routeId: 'x', routeKey: 'typing', authorizationScopes: [] }])).toBe('W9');
    expect(messageCause({ ...base, eventType: 'MESSAGE', status: 400, routeKey: 'sendmessage', responseType: 'BAD_REQUEST_BODY' }, list)).toBe('other');
  });
});

describe('handshake rules', () => {
  it('W1 says browsers cannot send a header identity source, and cannot rule it out without logs', () => {
    const e = withAccess(evidence(), events('CONNECT', 100, 40, { status: '401' }));
    const header = { ...e, 'apigwv2.authorizers': [{ ...(e['apigwv2.authorizers']?.[0] as NonNullable<Evidence['apigwv2.authorizers']>[number]), identitySource: ['route.request.header.Authorization'] }] };
    const [f] = above(run(w1IdentitySourceMissing, header));
    expect(f?.detail).toContain('Browsers cannot set headers');
    expect(f?.severity).toBe('high');
    const blind = run(w1IdentitySourceMissing, evidence(), coverage().map((r) => (r.source.startsWith('logs.') ? { ...r, status: 'error', error: { kind: 'access_denied', message: 'no', action: 'logs:FilterLogEvents' } } : r)));
    expect(blind[0]?.inconclusive).toBe(true);
  });

  it('W2 names an Allow policy whose Resource misses $connect', () => {
    const lines = [{ timestamp: NOW - 1000, message: '(a=) Authorizer result body before parsing: {"principalId":"u","policyDocument":{"Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:111111111111:w5k2m8q4r1/production/*/*"}]}}' }];
    const e = withExecution(withAccess(evidence(), events('CONNECT', 100, 60, { status: '403', 'authorizer.status': '403' })), lines);
    expect(above(run(w2AuthorizerDenies, e))[0]?.detail).toContain('does not cover the $connect route ARN');
  });

  it('W3 decides from the authorizer function\u2019s permission alone, and from a missing function', () => {
    const e = evidence();
    const fns = (e['lambda.functions'] ?? []).map((f) =>
      f.functionName === 'chat-authorizer' && f.invokePermission
        ? { ...f, invokePermission: { ...f.invokePermission, policy: { Statement: [{ Effect: 'Allow' as const, Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:w5k2m8q4r1/authorizers/oldaut' } } }] } } }
        : f,
    );
    const [f] = above(run(w3AuthorizerFails, { ...e, 'lambda.functions': fns }));
    expect(f?.severity).toBe('critical');
    expect(f?.fix).toContain('/authorizers/wauth1');
    const gone = (e['lambda.functions'] ?? []).map((fn) => (fn.functionName === 'chat-authorizer' ? { ...fn, state: 'NotFound', unreadable: 'not found' } : fn));
    expect(above(run(w3AuthorizerFails, { ...e, 'lambda.functions': gone }))[0]?.detail).toContain('does not exist');
  });
});

describe('routing rules', () => {
  it('W6 needs a missing $default, and steps aside (low) when W7 explains the refusals', () => {
    const failing = events('MESSAGE', 100, 40, { status: '403', 'error.message': 'Forbidden' }, { routeKey: 'sendmessage' });
    expect(run(w6NoRouteMatched, withAccess(evidence(), failing))).toEqual([]);
    const noDefault = editRoutes(withAccess(evidence(), failing), (r) => (r.routeKey === '$default' ? undefined : r));
    expect(above(run(w6NoRouteMatched, noDefault))[0]?.detail).toContain('no $default route');
    const changed = { ...noDefault, 'cloudtrail.changes': [{ eventId: 'e1', eventName: 'CreateRoute', eventTime: '2024-05-01T09:41:00Z', eventSource: 'apigateway.amazonaws.com', requestParameters: { apiId: 'w5k2m8q4r1', routeKey: 'typing' }, resources: [] }] };
    const [deferred] = run(w6NoRouteMatched, changed);
    expect(deferred?.severity).toBe('low');
    expect(deferred?.title).toContain('explained by W7');
    expect(above(run(w7ChangesNotDeployed, changed))[0]?.detail).toContain('CreateRoute');
  });

  it('W7 says a stage without a deployment lets no client connect', () => {
    const e = evidence();
    const stages = (e['apigwv2.stages'] ?? []).map((s) => ({ stageName: s.stageName, autoDeploy: false, routeSettings: {} }));
    const [f] = above(run(w7ChangesNotDeployed, { ...e, 'apigwv2.stages': stages }));
    expect(f?.severity).toBe('critical');
    expect(f?.detail).toContain('403 at the handshake');
  });

  it('W8 fires on a disabled default endpoint with no working domain; W10 on a mapping to a missing stage', () => {
    const e = { ...evidence(), 'apigwv2.api': { ...(evidence()['apigwv2.api'] as NonNullable<Evidence['apigwv2.api']>), disableExecuteApiEndpoint: true }, 'apigwv2.domains': [{ domainName: 'chat.example.com', endpointTypes: ['REGIONAL'], mappings: [{ basePath: '(none)', restApiId: 'w5k2m8q4r1', stage: 'gone' }], mapsToThisApi: true }] };
    expect(above(run(w8DefaultEndpointDisabled, e))[0]?.severity).toBe('critical');
    expect(above(run(w10ApiMappingWrong, e))[0]?.detail).toContain('stage gone');
  });

  it('W9 is high on configuration and critical once messages fail on the route (or it is $connect)', () => {
    const noTarget = editRoutes(evidence(), (r) => (r.routeKey === 'sendmessage' ? { routeId: r.routeId, routeKey: r.routeKey, authorizationScopes: [] } : r));
    expect(above(run(w9RouteWithoutIntegration, noTarget))[0]?.severity).toBe('high');
    const failing = withAccess(noTarget, events('MESSAGE', 20, 1, { status: '500', routeKey: 'sendmessage', 'error.message': 'Internal server error' }, { routeKey: 'sendmessage' }));
    const [f] = above(run(w9RouteWithoutIntegration, failing));
    expect(f?.severity).toBe('critical');
    expect(f?.figures?.[0]?.numerator).toBe(1);
    const connect = editRoutes(evidence(), (r) => (r.routeKey === '$connect' ? { ...r, target: 'integrations/gone', integrationId: 'gone' } : r));
    expect(above(run(w9RouteWithoutIntegration, connect))[0]?.detail).toContain('no client can connect');
  });
});

describe('integration rules', () => {
  it('W11 names the route whose source ARN the policy misses, unless the integration has a role', () => {
    const e = evidence();
    const fns = (e['lambda.functions'] ?? []).map((f) =>
      f.functionName === 'chat-sendmessage' && f.invokePermission
        ? { ...f, invokePermission: { ...f.invokePermission, policy: { Statement: [{ Effect: 'Allow' as const, Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:111111111111:q9r8s7t6u5/*/sendmessage' } } }] } } }
        : f,
    );
    const [f] = above(run(w11LambdaPermissionMissing, { ...e, 'lambda.functions': fns }));
    expect(f?.detail).toContain('Route sendmessage');
    expect(f?.fix).toContain('/*/sendmessage');
    const withRole = { ...e, 'lambda.functions': fns, 'apigwv2.routes': { routes: routes(), integrations: (e['apigwv2.routes']?.integrations ?? []).map((i) => (i.integrationId === 'i4' ? { ...i, credentialsArn: 'arn:aws:iam::111111111111:role/apigw-invoke' } : i)) } };
    expect(above(run(w11LambdaPermissionMissing, withRole))).toEqual([]);
  });

  it('W12 counts a function\u2019s failures apart from its @connections failures', () => {
    const e = { ...evidence(), 'logs.lambda': [lambdaLog('chat-sendmessage', 100, 1)] };
    expect(above(run(w12FunctionErrors, e))).toEqual([]);
  });

  it('W14 fires on a trafficked one-way route whose backend cannot post back, not on the async-reply design', () => {
    const e = evidence();
    const roles = (e['iam.manage-connections'] ?? []).map((r) => (r.functionName === 'chat-sendmessage' ? { ...r, statements: [] } : r));
    const traffic = events('MESSAGE', 30, 0, {}, { routeKey: 'sendmessage' });
    const [f] = above(run(w14OneWayRoute, withAccess({ ...e, 'iam.manage-connections': roles }, traffic)));
    expect(f?.detail).toContain('sendmessage');
    expect(above(run(w14OneWayRoute, withAccess(e, traffic)))).toEqual([]);
    // A route nobody sends to in the window is not what the clients are missing.
    expect(above(run(w14OneWayRoute, withAccess({ ...e, 'iam.manage-connections': roles }, events('MESSAGE', 30, 0, {}, { routeKey: '$default' }))))).toEqual([]);
  });

  it('W15 fires on a link that is not AVAILABLE, and (medium) on a VPC-link backend not told the connection id', () => {
    const e = evidence();
    const integrations = [...(e['apigwv2.routes']?.integrations ?? []), { integrationId: 'i9', integrationType: 'HTTP_PROXY', connectionType: 'VPC_LINK', connectionId: 'vl1' }];
    const linked = { ...e, 'apigwv2.routes': { routes: routes(), integrations }, 'apigwv2.vpc-links': [{ vpcLinkId: 'vl1', version: 'V1' as const, status: 'FAILED', statusMessage: 'NLB deleted', subnetIds: [], securityGroupIds: [], usedBy: ['i9'] }] };
    const found = run(w15VpcLinkProblem, linked);
    expect(found.map((f) => f.severity).sort()).toEqual(['critical', 'medium']);
    const mapped = { ...linked, 'apigwv2.routes': { routes: routes(), integrations: integrations.map((i) => (i.integrationId === 'i9' ? { ...i, requestParameters: { 'integration.request.header.ConnectionId': 'context.connectionId' } } : i)) }, 'apigwv2.vpc-links': [] };
    expect(run(w15VpcLinkProblem, mapped)).toEqual([]);
  });
});

describe('callback rules', () => {
  it('W17 judges a posting backend\u2019s role against POST on the stage\u2019s @connections', () => {
    const e = evidence();
    const scoped = (resource: string) => ({ ...e, 'iam.manage-connections': (e['iam.manage-connections'] ?? []).map((r) => (r.functionName === 'chat-sendmessage' ? { ...r, statements: [{ Effect: 'Allow' as const, Action: 'execute-api:ManageConnections', Resource: resource, policy: 'inline' }] } : r)) });
    expect(above(run(w17ManageConnectionsDenied, scoped('arn:aws:execute-api:us-east-1:111111111111:q9r8s7t6u5/production/*/@connections/*')))[0]?.severity).toBe('high');
    expect(above(run(w17ManageConnectionsDenied, scoped('arn:aws:execute-api:us-east-1:111111111111:w5k2m8q4r1/production/DELETE/@connections/*')))).toHaveLength(1);
    expect(above(run(w17ManageConnectionsDenied, scoped('arn:aws:execute-api:*:*:*')))).toEqual([]);
    const denied = { ...scoped('arn:aws:execute-api:*:*:*'), 'iam.manage-connections': [{ functionName: 'chat-sendmessage', roleArn: 'r', policies: [], statements: [{ Effect: 'Allow' as const, Action: 'execute-api:*', Resource: '*', policy: 'a' }, { Effect: 'Deny' as const, Action: 'execute-api:ManageConnections', Resource: '*', policy: 'b' }] }] };
    expect(above(run(w17ManageConnectionsDenied, denied))).toHaveLength(1);
  });
});

describe('limits', () => {
  it('W22 fires critical on a zero throttle, without logs', () => {
    const e = evidence();
    const stages = (e['apigwv2.stages'] ?? []).map((s) => ({ ...s, routeSettings: { sendmessage: { throttlingRateLimit: 0, throttlingBurstLimit: 0 } } }));
    const [f] = run(w22Throttled, { ...e, 'apigwv2.stages': stages });
    expect(f?.severity).toBe('critical');
    expect(f?.detail).toContain('every connection or message');
  });
});

describe('ERROR-level execution logs without an access log', () => {
  it('weigh the failures against the route functions\u2019 invocations', () => {
    const e = evidence();
    const stages = (e['apigwv2.stages'] ?? []).map((s) => ({ stageName: s.stageName, autoDeploy: false, deploymentId: 'd1', routeSettings: {}, defaultRouteSettings: { loggingLevel: 'ERROR' } }));
    const lines = Array.from({ length: 12 }, (_, i) => [
      { timestamp: NOW - 1000 * (i + 1), message: `(r${i}=) Unauthorized request: r${i}=` },
      { timestamp: NOW - 1000 * (i + 1), message: `(r${i}=) Gateway response type: UNAUTHORIZED with status code: 401` },
    ]).flat();
    const quiet = { ...withExecution({ ...e, 'apigwv2.stages': stages }, lines), 'logs.lambda': [lambdaLog('chat-connect', 1000, 0)] };
    const notes = run(w1IdentitySourceMissing, quiet);
    expect(above(notes)).toEqual([]);
    expect(notes[0]?.figures?.[0]).toMatchObject({ numerator: 12, denominator: 1012 });
    const busy = { ...quiet, 'logs.lambda': [lambdaLog('chat-connect', 50, 0)] };
    expect(above(run(w1IdentitySourceMissing, busy))).toHaveLength(1);
  });
});

describe('blind spots', () => {
  it('say which logs are missing or lack fields, and that CloudTrail was refused', () => {
    const e = evidence();
    const bare = { ...e, 'apigwv2.stages': (e['apigwv2.stages'] ?? []).map((s) => ({ stageName: s.stageName, autoDeploy: false, routeSettings: {} })) };
    expect(run(wbExecutionLoggingOff, bare)[0]?.severity).toBe('low');
    expect(run(wbAccessLogsOff, bare)[0]?.severity).toBe('low');
    expect(run(wbExecutionLoggingOff, e)).toEqual([]);
    const lacking = { ...e, 'logs.access': [{ stage: 'production', logGroup: '/ws', format: 'json' as const, records: [], unparsed: [], missingDiagnostics: ['$context.eventType'] }] };
    expect(run(wbAccessLogNotDiagnostic, lacking)[0]?.detail).toContain('$context.eventType');
    expect(run(wbCloudtrailRefused, e, refused('cloudtrail.changes'))[0]?.detail).toContain('W7');
  });
});
