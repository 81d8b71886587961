import { expect, it } from 'vitest';
import type { Source } from '../../src/sources/types.js';
import { rowOf, runOnScenario, type RunOnScenarioOptions } from '../support/run-source.js';

/** Inline sandbox scenarios for the API Gateway and API Gateway log sources. */
export const API_ID = 'a1b2c3d4e5';
export const ACCOUNT = '111111111111';
export const NOW = '2026-11-20T10:00:00Z';
export const LAMBDA_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`;
export const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${LAMBDA_ARN}/invocations`;
export const ACCESS_LOG_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:orders-access`;

type Obj = Record<string, unknown>;

export function healthyStage(overrides: Obj = {}): Obj {
  return {
    stageName: 'prod',
    deploymentId: 'dep1',
    methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false } },
    accessLogSettings: { destinationArn: ACCESS_LOG_ARN, format: '{ "requestId":"$context.requestId", "status":"$context.status" }' },
    ...overrides,
  };
}

export function healthyApi(overrides: Obj = {}): Obj {
  return {
    id: API_ID,
    name: 'orders',
    endpointConfiguration: { types: ['REGIONAL'] },
    stages: [healthyStage()],
    deployments: [{ id: 'dep1', createdDate: '2026-11-19T08:00:00Z' }],
    resources: [
      { id: 'root', path: '/' },
      {
        id: 'r1',
        path: '/orders',
        resourceMethods: {
          GET: {
            httpMethod: 'GET',
            authorizationType: 'NONE',
            apiKeyRequired: false,
            methodIntegration: { type: 'AWS_PROXY', uri: LAMBDA_URI, timeoutInMillis: 29000 },
          },
        },
      },
    ],
    ...overrides,
  };
}

export interface ScenarioParts {
  api?: Obj;
  /** Extra `apigateway` fields of the home account (domainNames, usagePlans, account). */
  apigateway?: Obj;
  logGroups?: Obj[];
  faults?: Obj[];
  /** The targeted stage; null targets every stage. */
  stage?: string | null;
  pageSize?: number;
  accounts?: Obj[];
}

export function scenario(parts: ScenarioParts = {}): Obj {
  const stage = parts.stage === undefined ? 'prod' : parts.stage;
  return {
    name: 'inline',
    apiId: API_ID,
    ...(stage === null ? {} : { stage }),
    region: 'us-east-1',
    now: NOW,
    ...(parts.pageSize ? { pageSize: parts.pageSize } : {}),
    accounts: [
      {
        accountId: ACCOUNT,
        apigateway: {
          account: { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-logs`, throttleSettings: { burstLimit: 5000, rateLimit: 10000 } },
          restApis: [parts.api ?? healthyApi()],
          ...parts.apigateway,
        },
        logs: { groups: parts.logGroups ?? [] },
      },
      ...(parts.accounts ?? []),
    ],
    faults: parts.faults ?? [],
  };
}

/** `count` log events, one a minute, ending 10 minutes before NOW (inside the default 2 h window). */
export function events(count: number, message: (i: number) => string): Obj[] {
  const end = Date.parse(NOW) - 10 * 60_000;
  return Array.from({ length: count }, (_, i) => ({ timestamp: end - (count - i) * 60_000, message: message(i) }));
}

/**
 * The three error kinds every source must report the same way: a refused call names the IAM
 * action, throttling that outlasts the SDK retries is `throttled`, a slow call is `timeout`.
 */
export function itReportsAwsErrors(source: Source, operation: string, options: { before?: Source[]; parts?: ScenarioParts; action?: string } = {}): void {
  const parts = options.parts ?? {};
  const base: RunOnScenarioOptions = options.before ? { before: options.before } : {};
  const withFault = (fault: Obj) => scenario({ ...parts, faults: [...(parts.faults ?? []), fault] });

  it(`reports access_denied naming the IAM action when ${operation} is refused`, async () => {
    const row = rowOf(await runOnScenario(source, withFault({ operation, error: 'AccessDeniedException' }), base), source.id);
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('access_denied');
    expect(row.error?.action).toBe(options.action ?? 'apigateway:GET');
    expect(row.hint).toContain(options.action ?? 'apigateway:GET');
  });

  it(`reports throttled when ${operation} is throttled past the SDK retries`, async () => {
    const row = rowOf(await runOnScenario(source, withFault({ operation, error: 'ThrottlingException' }), base), source.id);
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('throttled');
  });

  it(`reports timeout when ${operation} is slower than the source timeout`, async () => {
    const row = rowOf(
      await runOnScenario(source, withFault({ operation, latencyMs: 5_000 }), { ...base, sourceTimeoutMs: 100 }),
      source.id,
    );
    expect(row.status).toBe('error');
    expect(row.error?.kind).toBe('timeout');
  });
}
