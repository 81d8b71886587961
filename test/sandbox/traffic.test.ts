import { FilterLogEventsCommand, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sandbox/load.js';
import { createRandom } from '../../src/sandbox/prng.js';
import { generateTraffic } from '../../src/sandbox/traffic.js';
import { baseScenario, environmentFor, HOME } from './fixture.js';

const EXECUTION = 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod';

function withTraffic(traffic: Record<string, unknown>[], mutate?: (data: Record<string, unknown>) => void) {
  const data = baseScenario({ traffic });
  mutate?.(data);
  return data;
}

const spec = (overrides: Record<string, unknown> = {}) => ({
  stage: 'prod',
  requests: 50,
  seed: 7,
  routes: [{ method: 'GET', path: '/users' }],
  outcomes: [{ weight: 1, status: 200 }],
  ...overrides,
});

function linesOf(data: Record<string, unknown>, group: string): string[] {
  const batch = generateTraffic(parseScenario(data, 'test')).find((b) => b.logGroupName === group);
  return batch?.events.map((e) => e.message) ?? [];
}

describe('traffic generator', () => {
  it('is deterministic: the same seed gives the same lines, another seed others', () => {
    const a = generateTraffic(parseScenario(withTraffic([spec()]), 'test'));
    const b = generateTraffic(parseScenario(withTraffic([spec()]), 'test'));
    const c = generateTraffic(parseScenario(withTraffic([spec({ seed: 8 })]), 'test'));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('writes the §3.1 execution sequence, (requestId)-prefixed, inside the window before now', () => {
    const data = withTraffic([spec({ requests: 3 })]);
    const batch = generateTraffic(parseScenario(data, 'test')).find((b) => b.logGroupName === EXECUTION);
    const messages = batch?.events.map((e) => e.message) ?? [];
    expect(messages.every((m) => /^\([0-9a-f-]{36}\) /.test(m))).toBe(true);
    const first = messages.slice(0, 16).map((m) => m.replace(/^\([^)]+\) /, ''));
    expect(first[0]).toMatch(/^Extended Request Id: /);
    expect(first).toContain('HTTP Method: GET, Resource Path: /users');
    expect(first.some((l) => l.startsWith(`Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:${HOME}:function:users/invocations`))).toBe(true);
    expect(first).toContain('Method completed with status: 200');
    const times = batch?.events.map((e) => e.timestamp) ?? [];
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2024-05-01T10:00:00Z'));
  });

  it('writes the lines AWS writes for each failure kind', () => {
    const kinds: [string, number, RegExp][] = [
      ['integration_timeout', 504, /Execution failed due to a timeout error/],
      ['lambda_error', 502, /Lambda execution failed with status 200 due to customer function error: /],
      ['malformed_response', 502, /Execution failed due to configuration error: Malformed Lambda proxy response/],
      ['missing_permission', 500, /Execution failed due to configuration error: Invalid permissions on Lambda function/],
      ['lambda_throttled', 500, /Lambda invocation failed with status: 429/],
      ['resource_policy_deny', 403, /User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5\/prod\/GET\/users/],
      ['authorizer_deny', 403, /Gateway response type: ACCESS_DENIED with status code: 403/],
      ['api_key_invalid', 403, /Invalid API Key identifier specified/],
    ];
    for (const [kind, status, line] of kinds) {
      const lines = linesOf(withTraffic([spec({ requests: 2, outcomes: [{ weight: 1, status, kind }] })]), EXECUTION);
      expect(lines.some((l) => line.test(l)), kind).toBe(true);
      expect(lines.some((l) => l.endsWith(`Method completed with status: ${status}`)), kind).toBe(true);
    }
  });

  it('writes Lambda START/END/REPORT lines, and errors and timeouts where the function failed', () => {
    const ok = linesOf(withTraffic([spec({ requests: 1 })]), '/aws/lambda/users');
    expect(ok[0]).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    expect(ok.some((l) => /^END RequestId: /.test(l))).toBe(true);
    expect(ok.some((l) => /^REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms/.test(l))).toBe(true);
    const failed = linesOf(withTraffic([spec({ requests: 1, outcomes: [{ weight: 1, status: 502, kind: 'lambda_error' }] })]), '/aws/lambda/users');
    expect(failed.some((l) => /\tERROR\tInvoke Error \t\{"errorType":"TypeError"/.test(l))).toBe(true);
    const timeout = linesOf(withTraffic([spec({ requests: 1, outcomes: [{ weight: 1, status: 504, kind: 'integration_timeout' }] })]), '/aws/lambda/users');
    expect(timeout.some((l) => l.endsWith('Task timed out after 10.00 seconds'))).toBe(true);
    const throttled = linesOf(withTraffic([spec({ requests: 1, outcomes: [{ weight: 1, status: 500, kind: 'lambda_throttled' }] })]), '/aws/lambda/users');
    expect(throttled).toEqual([]);
  });

  it('writes access logs in the stage format (JSON preset, CLF preset, extra $context fields)', () => {
    const json = linesOf(withTraffic([spec({ requests: 1, outcomes: [{ weight: 1, status: 504, kind: 'integration_timeout' }] })]), 'access');
    expect(JSON.parse(json[0] ?? '')).toMatchObject({ httpMethod: 'GET', resourcePath: '/users', status: '504', protocol: 'HTTP/1.1' });
    const setFormat = (format: string) => (data: Record<string, unknown>) => {
      const api = ((data.accounts as Record<string, unknown>[])[0] as { apigateway: { restApis: { stages: { accessLogSettings: { format: string } }[] }[] } }).apigateway.restApis[0];
      const stage = api?.stages[0];
      if (stage) stage.accessLogSettings.format = format;
    };
    const clf = linesOf(withTraffic([spec({ requests: 1 })], setFormat('CLF')), 'access');
    expect(clf[0]).toMatch(/^203\.0\.113\.\d+ - - \[01\/May\/2024:1\d:\d\d:\d\d \+0000\] "GET \/users HTTP\/1\.1" 200 \d+ [0-9a-f-]{36} \S+=$/);
    const extra = linesOf(
      withTraffic([spec({ requests: 1, outcomes: [{ weight: 1, status: 504, kind: 'integration_timeout' }] })], setFormat('$context.requestId $context.error.responseType $context.identity.vpceId $context.waf.status')),
      'access',
    );
    expect(extra[0]).toMatch(/^[0-9a-f-]{36} INTEGRATION_TIMEOUT vpce-0aaa -$/);
  });

  it('honours the logging level: ERROR keeps only error lines, OFF or no CloudWatch role writes none', () => {
    const setLevel = (level: string, role = true) => (data: Record<string, unknown>) => {
      const account = (data.accounts as Record<string, unknown>[])[0] as { apigateway: { account: object; restApis: { stages: { methodSettings: Record<string, { loggingLevel: string }> }[] }[] } };
      const stage = account.apigateway.restApis[0]?.stages[0];
      if (stage) stage.methodSettings['*/*'] = { loggingLevel: level };
      if (!role) account.apigateway.account = {};
    };
    const outcomes = [
      { weight: 1, status: 200 },
      { weight: 1, status: 504, kind: 'integration_timeout' },
    ];
    const errorOnly = linesOf(withTraffic([spec({ requests: 20, outcomes })], setLevel('ERROR')), EXECUTION);
    expect(errorOnly.length).toBeGreaterThan(0);
    expect(errorOnly.some((l) => l.includes('Starting execution'))).toBe(false);
    expect(errorOnly.some((l) => l.includes('Execution failed due to a timeout error'))).toBe(true);
    expect(linesOf(withTraffic([spec()], setLevel('OFF')), EXECUTION)).toEqual([]);
    expect(linesOf(withTraffic([spec()], setLevel('INFO', false)), EXECUTION)).toEqual([]);
    expect(linesOf(withTraffic([spec()], setLevel('INFO', false)), 'access')).toEqual([]);
  });

  it('writes nothing for a stage that does not exist', () => {
    expect(generateTraffic(parseScenario(withTraffic([spec({ stage: 'nope' })]), 'test'))).toEqual([]);
  });

  it('expands thousands of requests into 100k+ lines, answered through FilterLogEvents pages', async () => {
    const data = withTraffic([spec({ requests: 8000, routes: [{ method: 'GET', path: '/users' }], outcomes: [{ weight: 95, status: 200 }, { weight: 5, status: 504, kind: 'integration_timeout' }] })]);
    const batches = generateTraffic(parseScenario(data, 'test'));
    const total = batches.reduce((sum, b) => sum + b.events.length, 0);
    expect(total).toBeGreaterThan(100_000);
    const logs = environmentFor(data).factory.forAccount().logs;
    let timeouts = 0;
    for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName: EXECUTION, filterPattern: '"timeout error"' })) timeouts += page.events?.length ?? 0;
    expect(timeouts).toBeGreaterThan(300);
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: EXECUTION, limit: 5 }));
    expect(first.nextToken).toBeDefined();
  });
});

describe('seeded PRNG', () => {
  it('repeats for a seed and stays in range', () => {
    const a = createRandom(1);
    const b = createRandom(1);
    const drawn = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(drawn);
    expect(drawn.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRandom(2).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
