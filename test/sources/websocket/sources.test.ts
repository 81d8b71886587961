import { describe, expect, it } from 'vitest';
import { apiAccountSource } from '../../../src/sources/apigw/account.js';
import { websocketAccessLogsSource } from '../../../src/sources/apigwv2/access-logs.js';
import { websocketApiSource } from '../../../src/sources/apigwv2/api.js';
import { httpAuthorizersSource } from '../../../src/sources/apigwv2/authorizers.js';
import { httpStagesSource } from '../../../src/sources/apigwv2/stages.js';
import { httpWebAclSource } from '../../../src/sources/apigwv2/waf.js';
import { websocketExecutionLogsSource } from '../../../src/sources/websocket/execution-logs.js';
import { websocketLambdaFunctionsSource } from '../../../src/sources/websocket/lambda-functions.js';
import { classifyCallbackLine, websocketLambdaLogsSource } from '../../../src/sources/websocket/lambda-logs.js';
import { manageConnectionsSource } from '../../../src/sources/websocket/manage-connections.js';
import { websocketRoutesSource } from '../../../src/sources/websocket/routes.js';
import { websocketVpcLinksSource } from '../../../src/sources/websocket/vpc-links.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { WS_API_ID, wsAccount, wsApi, wsFunction, wsScenario, wsStage } from './fixture.js';

const WS = { apiType: 'WEBSOCKET' as const };

describe('apigwv2.api on a WebSocket API', () => {
  it('reads the route selection and API key selection expressions and the wss:// endpoint', async () => {
    const result = await runOnScenario(websocketApiSource, wsScenario(), WS);
    const row = rowOf(result, 'apigwv2.api');
    expect(row.title).toBe('WebSocket API');
    expect(row.reason).toContain('routes selected by $request.body.action');
    expect(result.evidence['apigwv2.api']).toMatchObject({
      protocolType: 'WEBSOCKET',
      routeSelectionExpression: '$request.body.action',
      apiKeySelectionExpression: '$request.header.x-api-key',
      apiEndpoint: `wss://${WS_API_ID}.execute-api.us-east-1.amazonaws.com`,
    });
    expect(result.evidence['apigwv2.api']?.cors).toBeUndefined();
  });

  it('says a WebSocket API that does not exist is not found', async () => {
    const row = rowOf(await runOnScenario(websocketApiSource, wsScenario((s) => (wsAccount(s).apigatewayv2.apis = [])), WS), 'apigwv2.api');
    expect(row.error?.kind).toBe('not_found');
    expect(row.reason).toContain(`WebSocket API ${WS_API_ID} not found`);
  });
});

describe('apigwv2.stages on a WebSocket API', () => {
  it('keeps execution logging per route and the stage variables', async () => {
    const scenario = wsScenario((s) => {
      wsStage(s).RouteSettings = { sendmessage: { LoggingLevel: 'ERROR', ThrottlingRateLimit: 50 } };
      wsStage(s).StageVariables = { vpcLinkId: 'vl1abc' };
    });
    const result = await runOnScenario(httpStagesSource, scenario, WS);
    const [stage] = result.evidence['apigwv2.stages'] ?? [];
    expect(stage?.defaultRouteSettings).toMatchObject({ loggingLevel: 'INFO', dataTraceEnabled: false });
    expect(stage?.routeSettings.sendmessage).toMatchObject({ loggingLevel: 'ERROR', throttlingRateLimit: 50 });
    expect(stage?.stageVariables).toEqual({ vpcLinkId: 'vl1abc' });
    expect(rowOf(result, 'apigwv2.stages').reason).toContain('execution logging INFO');
  });

  it('says what a WebSocket API without stages means', async () => {
    const row = rowOf(await runOnScenario(httpStagesSource, wsScenario((s) => (wsApi(s).stages = [])), WS), 'apigwv2.stages');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain('no client can connect');
  });
});

describe('apigwv2.routes on a WebSocket API', () => {
  it('reads route responses for routes that select one, integration responses for non-proxy integrations', async () => {
    const scenario = wsScenario((s) => {
      wsApi(s).integrations.push({ IntegrationId: 'wmock', IntegrationType: 'MOCK', TemplateSelectionExpression: '\\$default', integrationResponses: [{ IntegrationResponseKey: '$default' }] });
      wsApi(s).routes.push({ RouteKey: 'echo', Target: 'integrations/wmock', RouteResponseSelectionExpression: '$default', routeResponses: [{ RouteResponseKey: '$default' }] });
    });
    const result = await runOnScenario(websocketRoutesSource, scenario, WS);
    const row = rowOf(result, 'apigwv2.routes');
    expect(row.calls).toEqual(expect.arrayContaining(['apigatewayv2:GetRoutes', 'apigatewayv2:GetIntegrations', 'apigatewayv2:GetRouteResponses', 'apigatewayv2:GetIntegrationResponses']));
    const evidence = result.evidence['apigwv2.routes'];
    expect(evidence?.routes.find((r) => r.routeKey === '$default')?.routeResponses).toEqual([{ responseKey: '$default' }]);
    expect(evidence?.routes.find((r) => r.routeKey === 'sendmessage')?.routeResponses).toBeUndefined();
    expect(evidence?.integrations.find((i) => i.integrationId === 'wmock')?.integrationResponses).toEqual([{ responseKey: '$default' }]);
    expect(evidence?.integrations.find((i) => i.integrationId === 'wint04')).toMatchObject({ passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 10000, lambdaArn: 'arn:aws:lambda:us-east-1:111111111111:function:chat-sendmessage' });
    expect(row.reason).toContain('2 of 3 message routes two-way');
  });

  it('says when messages that match no route are refused', async () => {
    const scenario = wsScenario((s) => (wsApi(s).routes = wsApi(s).routes.filter((r: { RouteKey: string }) => r.RouteKey !== '$default')));
    expect(rowOf(await runOnScenario(websocketRoutesSource, scenario, WS), 'apigwv2.routes').reason).toContain('no $default route');
  });
});

describe('apigwv2.vpc-links on a WebSocket API (v1 links)', () => {
  const linked = (connectionId: string, vars?: Record<string, string>) =>
    wsScenario((s) => {
      wsApi(s).integrations.push({ IntegrationId: 'wvpc', IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://nlb.internal/x', ConnectionType: 'VPC_LINK', ConnectionId: connectionId });
      wsAccount(s).apigateway.vpcLinks = [{ id: 'vl1abc', name: 'history', status: 'AVAILABLE', targetArns: ['arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/h/1'] }];
      if (vars) wsStage(s).StageVariables = vars;
    });

  it('reads the link with API Gateway (v1) GetVpcLink, resolving a stage variable', async () => {
    const result = await runOnScenario(websocketVpcLinksSource, linked('${stageVariables.link}', { link: 'vl1abc' }), { ...WS, before: [websocketRoutesSource, httpStagesSource] });
    const row = rowOf(result, 'apigwv2.vpc-links');
    expect(row.calls).toEqual(['apigateway:GetVpcLink']);
    expect(result.evidence['apigwv2.vpc-links']?.[0]).toMatchObject({ vpcLinkId: 'vl1abc', version: 'V1', status: 'AVAILABLE', usedBy: ['wvpc'], targetArns: [expect.stringContaining('loadbalancer/net/h/1')] });
  });

  it('reports a stage variable the stage does not set, and a link that is gone', async () => {
    const unset = await runOnScenario(websocketVpcLinksSource, linked('${stageVariables.link}'), { ...WS, before: [websocketRoutesSource, httpStagesSource] });
    expect(unset.evidence['apigwv2.vpc-links']?.[0]?.unreadable).toContain('does not set stage variable link');
    const gone = await runOnScenario(websocketVpcLinksSource, linked('vlgone1'), { ...WS, before: [websocketRoutesSource, httpStagesSource] });
    expect(gone.evidence['apigwv2.vpc-links']?.[0]).toMatchObject({ status: 'NOT_FOUND' });
  });
});

describe('logs.execution on a WebSocket API', () => {
  const before = [apiAccountSource, httpStagesSource];

  it('reads the stage execution log group, with the error lines of the whole window', async () => {
    const result = await runOnScenario(websocketExecutionLogsSource, wsScenario(), { ...WS, before });
    const row = rowOf(result, 'logs.execution');
    expect(row.status).toBe('ok');
    const [log] = result.evidence['logs.execution'] ?? [];
    expect(log?.logGroup).toBe(`API-Gateway-Execution-Logs_${WS_API_ID}/production`);
    expect(log?.lines.some((l) => l.message.includes('WebSocket Request Route: ['))).toBe(true);
  });

  it('is not_configured when logging is off (unless a route logs), or without the account CloudWatch role', async () => {
    const off = await runOnScenario(websocketExecutionLogsSource, wsScenario((s) => (wsStage(s).DefaultRouteSettings.LoggingLevel = 'OFF')), { ...WS, before });
    expect(rowOf(off, 'logs.execution')).toMatchObject({ status: 'not_configured', hint: expect.stringContaining('enable execution logging') });
    const routeOnly = await runOnScenario(
      websocketExecutionLogsSource,
      wsScenario((s) => {
        wsStage(s).DefaultRouteSettings.LoggingLevel = 'OFF';
        wsStage(s).RouteSettings = { sendmessage: { LoggingLevel: 'ERROR' } };
      }),
      { ...WS, before },
    );
    expect(rowOf(routeOnly, 'logs.execution').reason).toContain('logging only for sendmessage');
    const noRole = await runOnScenario(websocketExecutionLogsSource, wsScenario((s) => delete wsAccount(s).apigateway.account.cloudwatchRoleArn), { ...WS, before });
    expect(rowOf(noRole, 'logs.execution').reason).toContain('no CloudWatch Logs role');
  });
});

describe('logs.access on a WebSocket API', () => {
  it('reads CONNECT, MESSAGE and DISCONNECT records, counted per event type and route over the window', async () => {
    const result = await runOnScenario(websocketAccessLogsSource, wsScenario(), { ...WS, before: [apiAccountSource, httpStagesSource] });
    const [log] = result.evidence['logs.access'] ?? [];
    expect(new Set(log?.records.map((r) => r.fields.eventType))).toEqual(new Set(['CONNECT', 'MESSAGE', 'DISCONNECT']));
    expect(log?.missingDiagnostics).toBeUndefined();
  });

  it('names the WebSocket variables a format lacks, and needs the account CloudWatch role', async () => {
    const thin = await runOnScenario(websocketAccessLogsSource, wsScenario((s) => (wsStage(s).AccessLogSettings.Format = '{"requestId":"$context.requestId","status":"$context.status"}')), { ...WS, before: [apiAccountSource, httpStagesSource] });
    expect(thin.evidence['logs.access']?.[0]?.missingDiagnostics).toEqual(expect.arrayContaining(['$context.eventType', '$context.connectionId', '$context.routeKey', '$context.connectedAt']));
    const noRole = await runOnScenario(websocketAccessLogsSource, wsScenario((s) => delete wsAccount(s).apigateway.account.cloudwatchRoleArn), { ...WS, before: [apiAccountSource, httpStagesSource] });
    expect(rowOf(noRole, 'logs.access').status).toBe('not_configured');
  });
});

describe('lambda.functions on a WebSocket API', () => {
  it('judges each route function\u2019s permission against …/<stage>/<routeKey>, and keeps its role', async () => {
    const scenario = wsScenario((s) => (wsFunction(s, 'chat-sendmessage').policy.Statement[0].Condition.ArnLike['AWS:SourceArn'] = 'arn:aws:execute-api:us-east-1:111111111111:w5k2m8q4r1/*/sendMessage'));
    const result = await runOnScenario(websocketLambdaFunctionsSource, scenario, { ...WS, before: [websocketRoutesSource, httpAuthorizersSource] });
    const fns = result.evidence['lambda.functions'] ?? [];
    expect(fns.find((f) => f.functionName === 'chat-connect')?.invokePermission?.allowsThisApi).toBe(true);
    expect(fns.find((f) => f.functionName === 'chat-authorizer')?.invokePermission?.allowsThisApi).toBe(true);
    const send = fns.find((f) => f.functionName === 'chat-sendmessage');
    expect(send?.invokePermission?.reason).toContain('w5k2m8q4r1/*/sendmessage');
    expect(send?.role).toBe('arn:aws:iam::111111111111:role/chat-backend-role');
  });
});

describe('logs.lambda on a WebSocket API', () => {
  it('counts failed @connections calls apart from the function\u2019s own failures', async () => {
    const scenario = wsScenario((s) => (s.websocketTraffic[0].callbacks = [{ weight: 1, kind: 'gone' }]));
    const result = await runOnScenario(websocketLambdaLogsSource, scenario, { ...WS, before: [websocketRoutesSource, httpAuthorizersSource, websocketLambdaFunctionsSource] });
    const send = result.evidence['logs.lambda']?.find((l) => l.functionName === 'chat-sendmessage');
    expect(send?.callbackFailures?.[0]).toMatchObject({ kind: 'gone', example: expect.stringContaining('GoneException: UnknownError') });
    expect(send?.callbackFailures?.[0]?.count).toBeGreaterThan(400);
    expect(send?.errors).toBeLessThan(50);
    expect(rowOf(result, 'logs.lambda').reason).toMatch(/failed @connections calls: \d+ gone/);
  });

  it('reads the runtimes\u2019 own texts for each kind of @connections failure', () => {
    expect(classifyCallbackLine('2024-05-01T11:00:00.000Z\tid\tERROR\tpostToConnection X= failed: GoneException: UnknownError')).toBe('gone');
    expect(classifyCallbackLine('{"errorType":"GoneException","errorMessage":"410","code":"GoneException","statusCode":410}')).toBe('gone');
    expect(classifyCallbackLine('[ERROR] GoneException: An error occurred (GoneException) when calling the PostToConnection operation: ')).toBe('gone');
    expect(
      classifyCallbackLine(
        '[ERROR] ClientError: An error occurred (AccessDeniedException) when calling the PostToConnection operation: User: arn:aws:sts::111111111111:assumed-role/r/f is not authorized to perform: execute-api:ManageConnections on resource: arn:aws:execute-api:us-east-1:********1111:abc/Prod/POST/@connections/{connectionId}',
      ),
    ).toBe('access_denied');
    expect(classifyCallbackLine('{"message": "No method found matching route prod/@connections/abc%3D for http method POST."}')).toBe('wrong_endpoint');
    expect(classifyCallbackLine('operation error ApiGatewayManagementApi: PostToConnection, https response error StatusCode: 403, RequestID: x, ForbiddenException')).toBe('wrong_endpoint');
    expect(classifyCallbackLine('PayloadTooLargeException: UnknownError')).toBe('too_large');
    expect(classifyCallbackLine('LimitExceededException: UnknownError')).toBe('limit_exceeded');
    expect(classifyCallbackLine('ERROR payment declined')).toBeUndefined();
  });
});

describe('iam.manage-connections', () => {
  const before = [websocketRoutesSource, httpAuthorizersSource, websocketLambdaFunctionsSource];

  it('keeps the statements of inline, customer and AWS managed policies that could grant ManageConnections', async () => {
    const scenario = wsScenario((s) => {
      wsAccount(s).iam.roles.push({ RoleName: 'chat-default-role', attachedPolicies: ['arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess', 'arn:aws:iam::111111111111:policy/broadcast'] });
      wsAccount(s).iam.policies = [{ Arn: 'arn:aws:iam::111111111111:policy/broadcast', DefaultVersionId: 'v3', Document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: 's3:*', Resource: '*' }] } }];
      wsFunction(s, 'chat-default').Role = 'arn:aws:iam::111111111111:role/chat-default-role';
    });
    const result = await runOnScenario(manageConnectionsSource, scenario, { ...WS, before });
    const row = rowOf(result, 'iam.manage-connections');
    expect(row.calls).toEqual(expect.arrayContaining(['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:GetPolicy', 'iam:GetPolicyVersion']));
    const roles = result.evidence['iam.manage-connections'] ?? [];
    expect(roles.find((r) => r.functionName === 'chat-sendmessage')?.statements).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 'execute-api:ManageConnections', policy: 'post-to-connections' }),
    ]);
    const statements = roles.find((r) => r.functionName === 'chat-default')?.statements ?? [];
    expect(statements.map((st) => [st.Effect, st.policy])).toEqual([
      ['Allow', 'arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess'],
      ['Deny', 'arn:aws:iam::111111111111:policy/broadcast'],
    ]);
    expect(roles.find((r) => r.functionName === 'chat-connect')?.statements).toEqual([]);
  });

  it('names the refused IAM read, and an unreadable policy apart', async () => {
    const refused = await runOnScenario(manageConnectionsSource, wsScenario((s) => (s.faults = [{ operation: 'iam:ListRolePolicies', error: 'AccessDenied', httpStatusCode: 403 }])), { ...WS, before });
    expect(rowOf(refused, 'iam.manage-connections').error).toMatchObject({ kind: 'access_denied', action: 'iam:ListRolePolicies' });
    const missing = await runOnScenario(manageConnectionsSource, wsScenario((s) => wsAccount(s).iam.roles[1].attachedPolicies.push('arn:aws:iam::111111111111:policy/deleted')), { ...WS, before });
    expect(result(missing).find((r) => r.functionName === 'chat-sendmessage')?.unreadable?.[0]).toContain('policy/deleted: not_found');
  });
});

const result = (r: Awaited<ReturnType<typeof runOnScenario>>) => r.evidence['iam.manage-connections'] ?? [];

describe('waf.web-acl on a WebSocket API', () => {
  it('says WebSocket APIs have no web ACL', async () => {
    expect(rowOf(await runOnScenario(httpWebAclSource, wsScenario(), WS), 'waf.web-acl').reason).toContain('WebSocket APIs do not support AWS WAF');
  });
});
