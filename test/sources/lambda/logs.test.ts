import { describe, expect, it } from 'vitest';
import type { LambdaFunctionEvidence } from '../../../src/core/evidence.js';
import { classifyLambdaLine, lambdaLogsSource } from '../../../src/sources/lambda/logs.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const HOME = '111111111111';
const OTHER = '222222222222';

const fn = (name: string, accountId = HOME, extra: Partial<LambdaFunctionEvidence> = {}): LambdaFunctionEvidence => ({
  functionArn: `arn:aws:lambda:us-east-1:${accountId}:function:${name}`,
  functionName: name,
  accountId,
  region: 'us-east-1',
  usedBy: ['integration'],
  layers: [],
  ...extra,
});

const ordersEvents = [
  { timestamp: '2026-11-20T09:10:00Z', message: '2026-11-20T09:10:00Z 1d2e Task timed out after 30.03 seconds' },
  { timestamp: '2026-11-20T09:11:00Z', message: '2026-11-20T09:11:00Z 1d2f ERROR Invoke Error {"errorType":"TypeError"}' },
  { timestamp: '2026-11-20T09:12:00Z', message: 'START RequestId: 1d30 Version: $LATEST' },
  { timestamp: '2026-11-20T09:13:00Z', message: 'RequestId: 1d31 Error: Runtime exited with error: exit status 1 Runtime.ExitError' },
  { timestamp: '2026-11-20T05:00:00Z', message: '2026-11-20T05:00:00Z old ERROR outside the window' },
];

function scenario(groups: unknown[] = [{ logGroupName: '/aws/lambda/orders', events: ordersEvents }], faults: unknown[] = []) {
  return {
    name: 'lambda-logs',
    apiId: 'a1b2c3d4e5',
    now: '2026-11-20T10:00:00Z',
    accounts: [{ accountId: HOME, logs: { groups } }, { accountId: OTHER }],
    faults,
  };
}

const deps = (functions: LambdaFunctionEvidence[]) => ({ before: [stubSource('lambda.functions', functions)] });

describe('classifyLambdaLine', () => {
  it('counts each line once, as its most specific kind', () => {
    expect(classifyLambdaLine('Task timed out after 3.00 seconds')).toBe('timeout');
    expect(classifyLambdaLine('ERROR Rate Exceeded.')).toBe('throttle');
    expect(classifyLambdaLine('Runtime.ExitError')).toBe('error');
    expect(classifyLambdaLine('INFO all good')).toBeUndefined();
  });

  it('counts failed invocations, not the lines a healthy function logs at ERROR level', () => {
    expect(classifyLambdaLine('2026-11-20T09:11:00.000Z\t1d2f\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"x"}')).toBe('error');
    expect(classifyLambdaLine("[ERROR] KeyError: 'id'\nTraceback (most recent call last):\n  File \"/var/task/app.py\"")).toBe('error');
    expect(classifyLambdaLine('{"errorMessage":"boom","errorType":"RuntimeException"}')).toBe('error');
    expect(classifyLambdaLine('2026-11-20T09:11:00.000Z\t1d2f\tERROR\tpayment declined for order 42')).toBeUndefined();
    expect(classifyLambdaLine('[ERROR]\t2026-11-20T09:11:00.000Z\t1d2f\tcould not reach inventory, retrying')).toBeUndefined();
  });
});

describe('logs.lambda', () => {
  it('counts errors and timeouts in the window and keeps their lines', async () => {
    const result = await runOnScenario(lambdaLogsSource, scenario(), deps([fn('orders')]));
    const row = rowOf(result, 'logs.lambda');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(3);
    expect(row.calls).toEqual(['logs:FilterLogEvents']);
    const [orders] = result.evidence['logs.lambda'] ?? [];
    expect(orders).toMatchObject({ functionName: 'orders', logGroup: '/aws/lambda/orders', errors: 2, timeouts: 1, throttles: 0 });
    expect(orders?.lines.map((l) => l.message).join('\n')).toContain('Task timed out');
    expect(orders?.lines.some((l) => l.message.includes('outside the window'))).toBe(false);
  });

  it('counts invocations (REPORT lines) as the denominator, without keeping them', async () => {
    const reports = Array.from({ length: 40 }, (_, i) => ({ timestamp: `2026-11-20T09:${String(10 + i).padStart(2, '0')}:30Z`, message: `REPORT RequestId: r${i}\tDuration: 12.00 ms\tBilled Duration: 12 ms` }));
    const result = await runOnScenario(lambdaLogsSource, scenario([{ logGroupName: '/aws/lambda/orders', events: [...ordersEvents, ...reports] }]), deps([fn('orders')]));
    const [evidence] = result.evidence['logs.lambda'] ?? [];
    expect(evidence).toMatchObject({ invocations: 40, invocationsExact: true, lastInvocation: Date.parse('2026-11-20T09:49:30Z'), accountId: HOME });
    expect(evidence?.lines.some((l) => l.message.startsWith('REPORT'))).toBe(false);
    expect(rowOf(result, 'logs.lambda').reason).toContain('of 40 invocations');
  });

  it('is empty, and says where it looked, when there are no failures', async () => {
    const groups = [{ logGroupName: '/aws/lambda/orders', events: [{ timestamp: '2026-11-20T09:30:00Z', message: 'START RequestId: 1' }] }];
    const row = rowOf(await runOnScenario(lambdaLogsSource, scenario(groups), deps([fn('orders'), fn('auth')])), 'logs.lambda');
    expect(row.status).toBe('empty');
    expect(row.reason).toContain('no errors, timeouts or throttles in 2 function log groups');
    expect(row.reason).toContain('no log group /aws/lambda/auth');
  });

  it('is not configured when no function log group can be read', async () => {
    const row = rowOf(await runOnScenario(lambdaLogsSource, scenario(), deps([fn('pay', OTHER, { unreadable: `no role for account ${OTHER}` })])), 'logs.lambda');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toContain(`no role for account ${OTHER}`);
    expect(row.hint).toContain(OTHER);
  });

  it('reads a function\u2019s log group in its own account through the role', async () => {
    const data = scenario();
    data.accounts[1] = {
      accountId: OTHER,
      roleArn: `arn:aws:iam::${OTHER}:role/firebreak-readonly`,
      logs: { groups: [{ logGroupName: '/aws/lambda/pay', events: [{ timestamp: '2026-11-20T09:45:00Z', message: 'ERROR Rate Exceeded.' }] }] },
    } as (typeof data.accounts)[number];
    const result = await runOnScenario(lambdaLogsSource, data, deps([fn('pay', OTHER)]));
    expect(result.evidence['logs.lambda']?.[0]).toMatchObject({ functionName: 'pay', throttles: 1, errors: 0 });
  });

  it('is not applicable when the API uses no function', async () => {
    expect(rowOf(await runOnScenario(lambdaLogsSource, scenario(), deps([])), 'logs.lambda').status).toBe('not_applicable');
  });

  it('reports truncation when capped, the failures of the window counted where they live', async () => {
    const result = await runOnScenario(lambdaLogsSource, scenario(), { ...deps([fn('orders')]), limits: { maxItems: 2 } });
    expect(rowOf(result, 'logs.lambda').truncated).toEqual({ kept: 2, total: 3, totalExact: true });
    // The newest two failure lines are kept, not the oldest.
    const lines = result.evidence['logs.lambda']?.[0]?.lines ?? [];
    expect(lines[lines.length - 1]?.timestamp).toBeGreaterThan(lines[0]?.timestamp ?? Infinity);
    const without = await runOnScenario(lambdaLogsSource, scenario(), { ...deps([fn('orders')]), limits: { maxItems: 2, logsInsights: false } });
    expect(rowOf(without, 'logs.lambda').truncated).toMatchObject({ kept: 2, totalExact: false });
  });

  it.each([
    ['AccessDeniedException', 'access_denied'],
    ['ThrottlingException', 'throttled'],
  ])('classifies %s', async (error, kind) => {
    const row = rowOf(await runOnScenario(lambdaLogsSource, scenario(undefined, [{ operation: 'logs:FilterLogEvents', error }]), deps([fn('orders')])), 'logs.lambda');
    expect(row.error?.kind).toBe(kind);
    if (kind === 'access_denied') expect(row.error?.action).toBe('logs:FilterLogEvents');
  });

  it('times out on a slow log read', async () => {
    const result = await runOnScenario(lambdaLogsSource, scenario(undefined, [{ operation: 'logs:FilterLogEvents', latencyMs: 5000 }]), {
      ...deps([fn('orders')]),
      sourceTimeoutMs: 200,
    });
    expect(rowOf(result, 'logs.lambda').error?.kind).toBe('timeout');
  });
});
