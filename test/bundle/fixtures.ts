import type { CoverageRow } from '../../src/core/coverage.js';
import type { Evidence, LogLine } from '../../src/core/evidence.js';
import type { Finding } from '../../src/core/finding.js';
import type { Investigation } from '../../src/core/report.js';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

export function row(source: string, status: CoverageRow['status'], extra: Partial<CoverageRow> = {}): CoverageRow {
  return { source, title: source, status, durationMs: 5, calls: [], ...extra };
}

/** n requests' worth of execution-log lines; every `failEvery`-th request fails with a 500. */
export function executionLines(requests: number, failEvery = 10): LogLine[] {
  const lines: LogLine[] = [];
  for (let i = 0; i < requests; i++) {
    const id = `0000${i.toString(16).padStart(4, '0')}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`;
    const timestamp = T0 + i * 1_000;
    const failed = i % failEvery === failEvery - 1;
    lines.push({ timestamp, message: `(${id}) Starting execution for request: ${id}` });
    lines.push({ timestamp, message: `(${id}) HTTP Method: GET, Resource Path: /orders/${i}` });
    if (failed) {
      lines.push({ timestamp, message: `(${id}) Execution failed due to configuration error: Invalid permissions on Lambda function` });
      lines.push({ timestamp, message: `(${id}) Method completed with status: 500` });
    } else {
      lines.push({ timestamp, message: `(${id}) Received response. Status: 200, Integration latency: ${20 + (i % 7)} ms` });
      lines.push({ timestamp, message: `(${id}) Method completed with status: 200` });
    }
  }
  return lines;
}

export function makeInvestigation(options: { requests?: number; findings?: Finding[]; evidence?: Evidence } = {}): Investigation {
  const requests = options.requests ?? 50;
  const evidence: Evidence = {
    'apigw.rest-api': {
      id: 'a1b2c3d4e5',
      name: 'orders',
      accountId: '123456789012',
      endpointTypes: ['PRIVATE'],
      vpcEndpointIds: ['vpce-0abc1234def567890'],
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AllowVpce', Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0abc1234def567890' } } },
        ],
      },
      disableExecuteApiEndpoint: false,
    },
    'apigw.stages': [{ stageName: 'prod', deploymentId: 'dep123', loggingLevel: 'INFO', dataTraceEnabled: false, methodSettings: {} }],
    'apigw.resources': [
      {
        resourceId: 'r1',
        path: '/orders/{id}',
        httpMethod: 'GET',
        authorizationType: 'NONE',
        apiKeyRequired: false,
        integration: { type: 'AWS_PROXY', lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', timeoutInMillis: 29000 },
      },
    ],
    'lambda.functions': [
      {
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
        functionName: 'orders',
        usedBy: ['integration'],
        state: 'Active',
        layers: [],
        invokePermission: { allowsThisApi: false, matchingStatements: [], reason: 'no statement for apigateway.amazonaws.com', policy: null },
      },
    ],
    'ec2.security-groups': [
      { groupId: 'sg-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0', https: [], inboundRuleCount: 1, usedBy: ['vpce-0abc1234def567890'] },
    ],
    'logs.execution': [{ stage: 'prod', logGroup: 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod', lines: executionLines(requests) }],
    'logs.access': [
      {
        stage: 'prod',
        logGroup: 'access-prod',
        format: 'json',
        unparsed: [],
        records: Array.from({ length: requests }, (_, i) => ({
          timestamp: T0 + i * 1_000,
          requestId: `req-${i}`,
          ip: '10.0.1.15',
          httpMethod: 'GET',
          resourcePath: '/orders/{id}',
          status: i % 10 === 9 ? 500 : 200,
          fields: (i % 10 === 9 ? { 'error.message': 'Internal server error' } : {}) as Record<string, string>,
        })),
      },
    ],
    'cloudtrail.denies': [
      {
        eventId: 'ev-1',
        eventName: 'LookupEvents',
        eventTime: '2024-05-01T09:00:00Z',
        eventSource: 'cloudtrail.amazonaws.com',
        principalArn: 'arn:aws:sts::123456789012:assumed-role/firebreak/bot',
        errorCode: 'AccessDenied',
        errorMessage: 'with an explicit deny in a service control policy',
        scpDeny: {},
        resources: [],
      },
    ],
    'ec2.flow-logs': {
      flowLogs: [{ flowLogId: 'fl-0123456789abcdef0', resourceId: 'vpc-0123456789abcdef0', logFormat: 'default' }],
      rejects: Array.from({ length: 5 }, (_, i) => ({
        timestamp: T0 + i,
        srcaddr: '10.0.2.7',
        dstaddr: '10.0.1.15',
        dstport: 443,
        protocol: 6,
        action: 'REJECT',
        interfaceId: 'eni-0123456789abcdef0',
        raw: `2 123456789012 eni-0123456789abcdef0 10.0.2.7 10.0.1.15 5555${i} 443 6 1 40 1714557600 1714557660 REJECT OK`,
      })),
    },
    ...options.evidence,
  };
  return {
    report: {
      version: 1,
      target: { kind: 'api-gw', restApiId: 'a1b2c3d4e5', stage: 'prod', region: 'us-east-1' },
      window: { since: '2024-05-01T09:00:00.000Z', until: '2024-05-01T11:00:00.000Z' },
      origin: 'sandbox:test',
      durationMs: 10,
      coverage: [
        row('apigw.rest-api', 'ok', { count: 1 }),
        row('logs.execution', 'ok', { count: requests * 4 }),
        row('cloudtrail.denies', 'error', {
          error: { kind: 'access_denied', message: 'not authorized', action: 'cloudtrail:LookupEvents' },
          hint: 'grant cloudtrail:LookupEvents',
        }),
        row('waf.web-acl', 'not_configured', { reason: 'no web ACL on stage prod', hint: 'associate a web ACL' }),
      ],
      findings: options.findings ?? [
        {
          rule: 'I1.lambda-permission',
          severity: 'critical',
          title: 'API Gateway may not invoke orders',
          detail: 'The function policy has no statement for this API.',
          evidence: [{ source: 'lambda.functions', key: 'orders', quote: 'Invalid permissions on Lambda function' }],
          fix: 'aws lambda add-permission ...',
        },
      ],
    },
    evidence,
  };
}
