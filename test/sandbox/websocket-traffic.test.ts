import { GetIntegrationResponsesCommand, GetRouteResponsesCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { GetPolicyVersionCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createSandboxEnvironment } from '../../src/sandbox/environment.js';
import { parseScenario } from '../../src/sandbox/load.js';
import type { GeneratedEvent } from '../../src/sandbox/traffic.js';
import { websocketMinuteCounts, websocketTrafficSources } from '../../src/sandbox/websocket-traffic.js';
import { wsAccount, wsApi, wsScenario } from '../sources/websocket/fixture.js';

type Obj = ReturnType<typeof wsScenario>;

function sources(change: (s: Obj) => void = () => undefined) {
  const scenario = parseScenario(wsScenario(change), 'test');
  return { scenario, sources: websocketTrafficSources(scenario) };
}

function all(group: string, change?: (s: Obj) => void): GeneratedEvent[] {
  const source = sources(change).sources.find((s) => s.logGroupName === group);
  const out: GeneratedEvent[] = [];
  source?.eventsIn(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, out);
  return out.sort((a, b) => a.timestamp - b.timestamp || a.order - b.order);
}

const ACCESS = '/aws/websocket/chat-ws/production';
const records = (change?: (s: Obj) => void) => all(ACCESS, change).map((e) => JSON.parse(e.message) as Record<string, string>);

describe('WebSocket traffic', () => {
  it('writes the execution log, the access log and each route function\u2019s log', () => {
    const groups = sources().sources.map((s) => s.logGroupName).sort();
    expect(groups).toEqual([
      '/aws/lambda/chat-authorizer',
      '/aws/lambda/chat-connect',
      '/aws/lambda/chat-default',
      '/aws/lambda/chat-disconnect',
      '/aws/lambda/chat-sendmessage',
      ACCESS,
      'API-Gateway-Execution-Logs_w5k2m8q4r1/production',
    ]);
  });

  it('gives one record per CONNECT, MESSAGE and DISCONNECT, with the connection and route', () => {
    const list = records();
    const count = (type: string) => list.filter((r) => r.eventType === type).length;
    expect(count('CONNECT')).toBe(200);
    expect(count('MESSAGE')).toBe(1000);
    // One disconnect per accepted connection (98% of the connects are accepted).
    expect(count('DISCONNECT')).toBe(196);
    const message = list.find((r) => r.eventType === 'MESSAGE' && r.routeKey === 'sendmessage');
    expect(message).toMatchObject({ status: '200', connectionId: expect.stringMatching(/^[A-Za-z0-9+/]{15}=$/), messageId: expect.stringMatching(/=$/) });
    // A key that matches no route goes to $default.
    expect(list.some((r) => r.eventType === 'MESSAGE' && r.routeKey === '$default')).toBe(true);
  });

  it('is the same whichever slices are asked for', () => {
    const whole = all(ACCESS);
    const source = sources().sources.find((s) => s.logGroupName === ACCESS);
    const sliced: GeneratedEvent[] = [];
    const start = Date.parse('2024-05-01T09:59:00Z');
    for (let t = start; t < Date.parse('2024-05-01T12:01:00Z'); t += 7 * 60_000) source?.eventsIn(t, t + 7 * 60_000, sliced);
    expect(sliced.map((e) => e.message).sort()).toEqual(whole.map((e) => e.message).sort());
  });

  it('refuses a message that matches no route when there is no $default, and fails one to a route without integration', () => {
    const list = records((s) => {
      wsApi(s).routes = wsApi(s).routes.filter((r: { RouteKey: string }) => r.RouteKey !== '$default');
      delete wsApi(s).routes.find((r: { RouteKey: string }) => r.RouteKey === 'sendmessage').Target;
    });
    const unrouted = list.filter((r) => r.eventType === 'MESSAGE' && r.routeKey === '-');
    expect(unrouted.length).toBeGreaterThan(150);
    expect(unrouted[0]).toMatchObject({ status: '403', errorMessage: 'Forbidden' });
    expect(list.filter((r) => r.routeKey === 'sendmessage').every((r) => r.status === '500')).toBe(true);
  });

  it('writes idle and 2-hour closes with the connection\u2019s open time', () => {
    const list = records((s) => (s.websocketTraffic[0].disconnect = [{ weight: 1, kind: 'idle_timeout' }, { weight: 1, kind: 'max_duration' }]));
    const durations = list.filter((r) => r.eventType === 'DISCONNECT').map((r) => Date.parse((r.requestTime ?? '').replace(/(\d+)\/(\w+)\/(\d+):(\d+:\d+:\d+) \+0000/, '$2 $1 $3 $4 UTC')) - Number(r.connectedAt));
    expect(durations.every((d) => (d >= 599_000 && d <= 603_000) || (d >= 7_199_000 && d <= 7_201_000))).toBe(true);
  });

  it('posts to connections only from one-way routes, each failure in the function\u2019s own words', () => {
    const send = all('/aws/lambda/chat-sendmessage', (s) => (s.websocketTraffic[0].callbacks = [{ weight: 1, kind: 'access_denied' }]));
    const denied = send.filter((e) => e.message.includes('ManageConnections'));
    expect(denied.length).toBeGreaterThan(400);
    expect(denied[0]?.message).toMatch(/is not authorized to perform: execute-api:ManageConnections on resource: arn:aws:execute-api:us-east-1:\*{8}1111:w5k2m8q4r1\/production\/POST\/@connections\/\{connectionId\}/);
    expect(all('/aws/lambda/chat-default', (s) => (s.websocketTraffic[0].callbacks = [{ weight: 1, kind: 'access_denied' }])).some((e) => e.message.includes('ManageConnections'))).toBe(false);
  });

  it('logs nothing without the account\u2019s CloudWatch role', () => {
    const groups = sources((s) => delete wsAccount(s).apigateway.account.cloudwatchRoleArn).sources.map((s) => s.logGroupName);
    expect(groups.filter((g) => !g.startsWith('/aws/lambda/'))).toEqual([]);
  });

  it('says how many connects, messages and disconnects each minute holds (the metrics\u2019 truth)', () => {
    const { scenario } = sources();
    const minutes = websocketMinuteCounts(scenario.websocketTraffic[0] as NonNullable<typeof scenario.websocketTraffic[0]>, scenario);
    expect(minutes).toHaveLength(120);
    expect(minutes.reduce((n, m) => n + m.connects, 0)).toBe(200);
    expect(minutes.reduce((n, m) => n + m.messages, 0)).toBe(1000);
    // Evenly spread: under 2 connects and about 8 messages a minute.
    expect(Math.max(...minutes.map((m) => m.connects))).toBeLessThanOrEqual(3);
    const accessPerMinute = new Map<number, number>();
    for (const e of all(ACCESS)) if (JSON.parse(e.message).eventType === 'MESSAGE') accessPerMinute.set(e.timestamp - (e.timestamp % 60_000), (accessPerMinute.get(e.timestamp - (e.timestamp % 60_000)) ?? 0) + 1);
    const differences = minutes.map((m) => Math.abs((accessPerMinute.get(m.minute) ?? 0) - m.messages));
    expect(Math.max(...differences)).toBeLessThanOrEqual(1);
  });
});

describe('the sandbox\u2019s WebSocket and IAM answers', () => {
  const env = createSandboxEnvironment(parseScenario(wsScenario(), 'test'));
  const aws = env.factory.forAccount();

  it('answers route responses and integration responses, and NotFound for an unknown route', async () => {
    const routes = await aws.apigatewayv2.send(new GetRoutesCommand({ ApiId: 'w5k2m8q4r1' }));
    const $default = routes.Items?.find((r) => r.RouteKey === '$default');
    expect($default?.RouteResponseSelectionExpression).toBe('$default');
    const responses = await aws.apigatewayv2.send(new GetRouteResponsesCommand({ ApiId: 'w5k2m8q4r1', RouteId: $default?.RouteId }));
    expect(responses.Items?.[0]).toMatchObject({ RouteResponseKey: '$default', RouteResponseId: expect.any(String) });
    await expect(aws.apigatewayv2.send(new GetRouteResponsesCommand({ ApiId: 'w5k2m8q4r1', RouteId: 'nope' }))).rejects.toMatchObject({ name: 'NotFoundException' });
    expect((await aws.apigatewayv2.send(new GetIntegrationResponsesCommand({ ApiId: 'w5k2m8q4r1', IntegrationId: 'wint04' }))).Items).toEqual([]);
  });

  it('answers role policies URL-encoded, and AWS managed policies it knows', async () => {
    const inline = await aws.iam.send(new GetRolePolicyCommand({ RoleName: 'chat-backend-role', PolicyName: 'post-to-connections' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? '')).Statement[0].Action).toBe('execute-api:ManageConnections');
    const attached = await aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'chat-basic-role' }));
    expect(attached.AttachedPolicies?.[0]?.PolicyArn).toBe('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    const version = await aws.iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess', VersionId: 'v1' }));
    expect(decodeURIComponent(version.PolicyVersion?.Document ?? '')).toContain('execute-api:ManageConnections');
    await expect(aws.iam.send(new GetRolePolicyCommand({ RoleName: 'nobody', PolicyName: 'x' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});
