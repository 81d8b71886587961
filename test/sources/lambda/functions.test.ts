import { describe, expect, it } from 'vitest';
import type { AuthorizerEvidence, MethodEvidence } from '../../../src/core/evidence.js';
import { lambdaFunctionsSource } from '../../../src/sources/lambda/functions.js';
import { defineSource } from '../../../src/sources/types.js';
import { rowOf, runOnScenario } from '../../support/run-source.js';
import { stubSource } from '../../support/stub-sources.js';

const API = 'a1b2c3d4e5';
const HOME = '111111111111';
const OTHER = '222222222222';
const fnArn = (name: string, account = HOME) => `arn:aws:lambda:us-east-1:${account}:function:${name}`;
const uriOf = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

function method(path: string, httpMethod: string, arn: string): MethodEvidence {
  return { resourceId: path, path, httpMethod, apiKeyRequired: false, integration: { type: 'AWS_PROXY', uri: uriOf(arn), lambdaArn: arn } };
}

const authorizer: AuthorizerEvidence = { id: 'au1', name: 'jwt', type: 'TOKEN', authorizerUri: uriOf(fnArn('auth')), lambdaArn: fnArn('auth') };

const allowFrom = (sourceArn: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'apigw',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: fnArn('orders'),
      Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
    },
  ],
});

function scenario(extra: { functions?: unknown[]; faults?: unknown[]; other?: Record<string, unknown>; stage?: string | null } = {}) {
  return {
    name: 'lambda-functions',
    apiId: API,
    ...(extra.stage === null ? {} : { stage: extra.stage ?? 'prod' }),
    now: '2026-11-20T10:00:00Z',
    accounts: [
      {
        accountId: HOME,
        lambda: {
          functions: extra.functions ?? [
            { FunctionName: 'orders', Runtime: 'nodejs20.x', Timeout: 30, MemorySize: 256, policy: allowFrom(`arn:aws:execute-api:us-east-1:${HOME}:${API}/*/GET/orders`), reservedConcurrency: 0 },
            { FunctionName: 'auth', Runtime: 'python3.12', Timeout: 5, Layers: [{ Arn: 'arn:aws:lambda:us-east-1:111111111111:layer:otel:3' }] },
          ],
        },
      },
      { accountId: OTHER, ...(extra.other ?? {}) },
    ],
    faults: extra.faults ?? [],
  };
}

const deps = (methods: MethodEvidence[], authorizers: AuthorizerEvidence[] = []) => ({
  before: [stubSource('apigw.resources', methods), stubSource('apigw.authorizers', authorizers)],
});

describe('lambda.functions', () => {
  it('still reads the integration functions when the authorizer list failed (it only adds functions), and says so', async () => {
    const refused = defineSource({ id: 'apigw.authorizers', title: 'refused', dependsOn: [], calls: { chain: 0 }, run: async () => ({ status: 'error', error: { kind: 'access_denied', message: 'denied', action: 'apigateway:GET' } }) });
    const result = await runOnScenario(lambdaFunctionsSource, scenario(), { before: [stubSource('apigw.resources', [method('/orders', 'GET', fnArn('orders'))]), refused] });
    const row = rowOf(result, 'lambda.functions');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain('authorizer functions not known: apigw.authorizers failed (access_denied)');
    expect(result.evidence['lambda.functions']?.map((f) => f.functionName)).toEqual(['orders']);
  });

  it('reads configuration, concurrency and whether API Gateway may invoke each function', async () => {
    const result = await runOnScenario(lambdaFunctionsSource, scenario(), deps([method('/orders', 'GET', fnArn('orders'))], [authorizer]));
    const row = rowOf(result, 'lambda.functions');
    expect(row.status).toBe('ok');
    expect(row.count).toBe(2);
    expect(row.calls).toEqual(expect.arrayContaining(['lambda:GetFunctionConfiguration', 'lambda:GetFunctionConcurrency', 'lambda:GetPolicy']));
    const [orders, auth] = result.evidence['lambda.functions'] ?? [];
    expect(orders).toMatchObject({ functionName: 'orders', usedBy: ['integration'], runtime: 'nodejs20.x', timeout: 30, reservedConcurrency: 0, state: 'Active' });
    expect(orders?.invokePermission).toMatchObject({ allowsThisApi: true, matchingStatements: ['apigw'] });
    expect(auth).toMatchObject({ functionName: 'auth', usedBy: ['authorizer'], layers: ['arn:aws:lambda:us-east-1:111111111111:layer:otel:3'] });
    expect(auth?.invokePermission).toMatchObject({ allowsThisApi: false, reason: 'no resource-based policy' });
    expect(row.reason).toContain('API Gateway may not invoke auth');
    expect(row.reason).toContain('0 reserved concurrency');
  });

  it('finds a permission scoped to another API', async () => {
    const functions = [{ FunctionName: 'orders', policy: allowFrom(`arn:aws:execute-api:us-east-1:${HOME}:zzzzzzzzzz/*/GET/orders`) }];
    const result = await runOnScenario(lambdaFunctionsSource, scenario({ functions }), deps([method('/orders', 'GET', fnArn('orders'))]));
    const [orders] = result.evidence['lambda.functions'] ?? [];
    expect(orders?.invokePermission?.allowsThisApi).toBe(false);
    expect(orders?.invokePermission?.reason).toContain(`${API}/prod/GET/orders`);
  });

  it('accepts a permission for one stage when every stage is examined, not one for another method', async () => {
    const functions = [{ FunctionName: 'orders', policy: allowFrom(`arn:aws:execute-api:us-east-1:${HOME}:${API}/prod/GET/orders`) }];
    const methods = [method('/orders', 'GET', fnArn('orders')), method('/orders/{id}', 'DELETE', fnArn('orders'))];
    const result = await runOnScenario(lambdaFunctionsSource, scenario({ functions, stage: null }), deps(methods));
    const permission = result.evidence['lambda.functions']?.[0]?.invokePermission;
    expect(permission?.allowsThisApi).toBe(false);
    expect(permission?.reason).toContain(`${API}/*/DELETE/orders/sample`);
    expect(permission?.reason).not.toContain('GET');
  });

  it('reports a function the integration points at that does not exist', async () => {
    const result = await runOnScenario(lambdaFunctionsSource, scenario({ functions: [] }), deps([method('/orders', 'GET', fnArn('orders'))]));
    const row = rowOf(result, 'lambda.functions');
    expect(row.status).toBe('ok');
    expect(result.evidence['lambda.functions']?.[0]).toMatchObject({ state: 'NotFound' });
    expect(row.reason).toContain('orders not found');
  });

  it('is not applicable when nothing uses Lambda', async () => {
    const http: MethodEvidence = { resourceId: 'r', path: '/x', httpMethod: 'GET', apiKeyRequired: false, integration: { type: 'HTTP_PROXY', uri: 'https://example.com' } };
    const row = rowOf(await runOnScenario(lambdaFunctionsSource, scenario(), deps([http])), 'lambda.functions');
    expect(row.status).toBe('not_applicable');
    expect(row.calls).toEqual([]);
  });

  it('says which account has no role instead of skipping its function', async () => {
    const result = await runOnScenario(lambdaFunctionsSource, scenario(), deps([method('/pay', 'POST', fnArn('pay', OTHER))]));
    const row = rowOf(result, 'lambda.functions');
    expect(row.status).toBe('not_configured');
    expect(row.reason).toBe(`no role for account ${OTHER}`);
    expect(row.hint).toContain(OTHER);
    expect(result.evidence['lambda.functions']?.[0]).toMatchObject({ functionName: 'pay', accountId: OTHER, unreadable: `no role for account ${OTHER} (seen in a Lambda ARN in an integration)` });
  });

  it('names the unread function when others could be read', async () => {
    const result = await runOnScenario(
      lambdaFunctionsSource,
      scenario(),
      deps([method('/orders', 'GET', fnArn('orders')), method('/pay', 'POST', fnArn('pay', OTHER))]),
    );
    const row = rowOf(result, 'lambda.functions');
    expect(row.status).toBe('ok');
    expect(row.reason).toContain(`not read: pay (no role for account ${OTHER} (seen in a Lambda ARN in an integration))`);
  });

  it('reads a function in another account through its role', async () => {
    const other = {
      roleArn: `arn:aws:iam::${OTHER}:role/firebreak-readonly`,
      lambda: { functions: [{ FunctionName: 'pay', Runtime: 'java21', policy: allowFrom(`arn:aws:execute-api:us-east-1:${HOME}:${API}/prod/POST/pay`) }] },
    };
    const result = await runOnScenario(lambdaFunctionsSource, scenario({ other }), deps([method('/pay', 'POST', fnArn('pay', OTHER))]));
    expect(rowOf(result, 'lambda.functions').status).toBe('ok');
    expect(result.evidence['lambda.functions']?.[0]).toMatchObject({ runtime: 'java21', accountId: OTHER, invokePermission: { allowsThisApi: true } });
  });

  it('names the refused IAM action', async () => {
    const faults = [{ operation: 'lambda:GetFunctionConfiguration', error: 'AccessDeniedException' }];
    const row = rowOf(await runOnScenario(lambdaFunctionsSource, scenario({ faults }), deps([method('/orders', 'GET', fnArn('orders'))])), 'lambda.functions');
    expect(row.status).toBe('error');
    expect(row.error).toMatchObject({ kind: 'access_denied', action: 'lambda:GetFunctionConfiguration' });
  });

  it('reports throttling that outlasts the SDK retries', async () => {
    const faults = [{ operation: 'lambda:GetPolicy', error: 'ThrottlingException' }];
    const row = rowOf(await runOnScenario(lambdaFunctionsSource, scenario({ faults }), deps([method('/orders', 'GET', fnArn('orders'))])), 'lambda.functions');
    expect(row.error?.kind).toBe('throttled');
  });

  it('times out when Lambda does not answer in time', async () => {
    const faults = [{ operation: 'lambda:GetFunctionConfiguration', latencyMs: 5000 }];
    const result = await runOnScenario(lambdaFunctionsSource, scenario({ faults }), { ...deps([method('/orders', 'GET', fnArn('orders'))]), sourceTimeoutMs: 200 });
    expect(rowOf(result, 'lambda.functions').error?.kind).toBe('timeout');
  });
});
