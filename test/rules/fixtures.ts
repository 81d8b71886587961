import type { CoverageError, CoverageRow, CoverageStatus } from '../../src/core/coverage.js';
import type { AccessLogRecord, Evidence, LogLine, SourceId } from '../../src/core/evidence.js';
import type { RuleInput } from '../../src/rules/types.js';

/**
 * A healthy private API, fully observed: every source `ok`, every rule silent (above info). Each
 * test clones it and breaks one thing.
 */
export const API_ID = 'a1b2c3d4e5';
export const REGION = 'us-east-1';
export const ACCOUNT = '111111111111';
const NOW = Date.parse('2026-11-20T10:00:00Z');

export function at(minutesAgo: number): number {
  return NOW - minutesAgo * 60_000;
}

export function accessRecord(overrides: Partial<AccessLogRecord> = {}, fields: Record<string, string> = {}): AccessLogRecord {
  return { timestamp: at(30), requestId: `req-${Math.random().toString(16).slice(2, 10)}`, ip: '10.0.1.20', httpMethod: 'GET', resourcePath: '/orders', status: 200, fields, ...overrides };
}

export function okRecords(count: number): AccessLogRecord[] {
  return Array.from({ length: count }, (_, i) => accessRecord({ requestId: `ok-${i}`, timestamp: at(100 - i / 2) }));
}

/** Execution-log lines for one request, each prefixed with its request id as API Gateway does. */
export function requestLines(requestId: string, messages: string[], minutesAgo = 20): LogLine[] {
  return messages.map((m) => ({ timestamp: at(minutesAgo), message: `(${requestId}) ${m}` }));
}

export function repeatRequests(count: number, messages: string[], minutesAgo?: number): LogLine[] {
  return Array.from({ length: count }, (_, i) => requestLines(`bad-${i}`, messages, minutesAgo)).flat();
}

const ALL_SOURCES: SourceId[] = [
  'apigw.rest-api', 'apigw.account', 'apigw.stages', 'apigw.resources', 'apigw.authorizers', 'apigw.domains',
  'apigw.gateway-responses', 'apigw.usage-plans', 'logs.execution', 'logs.access', 'lambda.functions', 'logs.lambda',
  'cloudtrail.changes', 'cloudtrail.denies', 'ec2.vpc-endpoints', 'ec2.security-groups', 'ec2.flow-logs',
  'dns.custom-domains', 'waf.web-acl', 'lambda.network-reach', 'org.scps',
];

function healthyEvidence(): Evidence {
  return {
    'apigw.rest-api': {
      id: API_ID,
      name: 'orders',
      accountId: ACCOUNT,
      endpointTypes: ['PRIVATE'],
      vpcEndpointIds: ['vpce-0a1'],
      disableExecuteApiEndpoint: false,
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AllowEndpoint', Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1' } } },
        ],
      },
    },
    'apigw.account': { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-logs`, throttleSettings: { rateLimit: 10000, burstLimit: 5000 } },
    'apigw.stages': [
      {
        stageName: 'prod',
        deploymentId: 'dep1',
        deploymentCreatedDate: '2026-11-19T08:00:00.000Z',
        loggingLevel: 'INFO',
        dataTraceEnabled: false,
        accessLog: { destinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:orders-access`, format: '{"requestId":"$context.requestId"}' },
        webAclArn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/edge/1234`,
        methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false } },
      },
    ],
    'apigw.resources': [
      {
        resourceId: 'r1',
        path: '/orders',
        httpMethod: 'GET',
        authorizationType: 'CUSTOM',
        authorizerId: 'au1',
        apiKeyRequired: false,
        integration: { type: 'AWS_PROXY', timeoutInMillis: 29000, lambdaArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders` },
      },
    ],
    'apigw.authorizers': [{ id: 'au1', name: 'jwt', type: 'TOKEN', lambdaArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:authz`, authorizerResultTtlInSeconds: 0 }],
    'apigw.domains': [
      {
        domainName: 'orders.internal.example.com',
        endpointTypes: ['PRIVATE'],
        mappings: [{ basePath: '(none)', restApiId: API_ID, stage: 'prod' }],
        mapsToThisApi: true,
      },
    ],
    'apigw.gateway-responses': [],
    'apigw.usage-plans': [],
    'logs.execution': [
      {
        stage: 'prod',
        logGroup: `API-Gateway-Execution-Logs_${API_ID}/prod`,
        lines: Array.from({ length: 20 }, (_, i) => requestLines(`ok-${i}`, ['Starting execution for request: ok', 'Method completed with status: 200'], 60 - i)).flat(),
      },
    ],
    'logs.access': [{ stage: 'prod', logGroup: 'orders-access', format: 'json', records: okRecords(200), unparsed: [] }],
    'lambda.functions': [
      {
        functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`,
        functionName: 'orders',
        usedBy: ['integration'],
        timeout: 10,
        layers: [],
        invokePermission: { allowsThisApi: true, matchingStatements: ['apigw'] },
      },
      {
        functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:authz`,
        functionName: 'authz',
        usedBy: ['authorizer'],
        timeout: 5,
        layers: [],
        invokePermission: { allowsThisApi: true, matchingStatements: ['apigw-authz'] },
      },
    ],
    'logs.lambda': [{ functionName: 'orders', logGroup: '/aws/lambda/orders', errors: 0, timeouts: 0, throttles: 0, lines: [] }],
    'cloudtrail.changes': [
      { eventId: 'e-deploy', eventName: 'CreateDeployment', eventTime: '2026-11-19T08:00:00Z', eventSource: 'apigateway.amazonaws.com', username: 'ci', requestParameters: { restApiId: API_ID }, resources: [] },
    ],
    'cloudtrail.denies': [],
    'ec2.vpc-endpoints': {
      endpoints: [
        {
          vpcEndpointId: 'vpce-0a1',
          vpcId: 'vpc-1',
          serviceName: `com.amazonaws.${REGION}.execute-api`,
          state: 'available',
          privateDnsEnabled: true,
          securityGroupIds: ['sg-1'],
          subnetIds: ['subnet-1'],
          networkInterfaceIds: ['eni-1'],
          eniAddresses: ['10.0.1.15'],
          policyDocument: null,
          referencedByApi: true,
        },
      ],
      vpcs: [{ vpcId: 'vpc-1', cidrBlocks: ['10.0.0.0/16'], enableDnsSupport: true, enableDnsHostnames: true }],
    },
    'ec2.security-groups': [
      {
        groupId: 'sg-1',
        groupName: 'vpce',
        vpcId: 'vpc-1',
        https: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], sourceGroupIds: [], prefixListIds: [] }],
        inboundRuleCount: 1,
        usedBy: ['vpce-0a1'],
      },
    ],
    'ec2.flow-logs': {
      flowLogs: [{ flowLogId: 'fl-1', resourceId: 'vpc-1', trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logGroupName: 'vpc-flow', logFormat: '${version}', flowLogStatus: 'ACTIVE' }],
      rejects: [],
    },
    'dns.custom-domains': [
      { domainName: 'orders.internal.example.com', expectedTarget: 'd-abc123.execute-api.us-east-1.amazonaws.com', cnames: ['d-abc123.execute-api.us-east-1.amazonaws.com'], addresses: [], verdict: 'current', detail: 'points at the domain' },
    ],
    'waf.web-acl': [
      { stage: 'prod', webAclArn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/edge/1234`, name: 'edge', defaultAction: 'ALLOW', rules: [{ name: 'rate', priority: 1, action: 'BLOCK' }] },
    ],
  };
}

function row(source: string, status: CoverageStatus = 'ok'): CoverageRow {
  return { source, title: source, status, durationMs: 1, calls: [] };
}

export function healthyInput(): RuleInput {
  return {
    target: { kind: 'api-gw', restApiId: API_ID, stage: 'prod', region: REGION },
    window: { since: new Date(NOW - 2 * 3600_000), until: new Date(NOW) },
    evidence: healthyEvidence(),
    coverage: ALL_SOURCES.map((s) => row(s)),
  };
}

/** Marks a source as failed (its evidence gone), as the runner reports it. */
export function failSource(input: RuleInput, source: SourceId, error: CoverageError = { kind: 'access_denied', message: 'denied', action: 'svc:Op' }): RuleInput {
  delete input.evidence[source];
  input.coverage = input.coverage.map((r) => (r.source === source ? { ...r, status: 'error', error } : r));
  return input;
}

export function setStatus(input: RuleInput, source: SourceId, status: CoverageStatus, reason?: string): RuleInput {
  if (status !== 'ok') delete input.evidence[source];
  input.coverage = input.coverage.map((r) => (r.source === source ? { ...r, status, ...(reason ? { reason } : {}) } : r));
  return input;
}

/** Makes the fixture a public REGIONAL API: no endpoints, flow logs or private domain apply. */
export function asRegional(input: RuleInput): RuleInput {
  const api = input.evidence['apigw.rest-api']!;
  api.endpointTypes = ['REGIONAL'];
  api.vpcEndpointIds = [];
  api.policy = null;
  input.evidence['apigw.domains'] = [];
  input.evidence['dns.custom-domains'] = [];
  for (const s of ['ec2.vpc-endpoints', 'ec2.security-groups', 'ec2.flow-logs'] as const) setStatus(input, s, 'not_applicable');
  return input;
}

/**
 * The target names a stage that does not exist, as the runner reports it: apigw.stages is
 * not_found (naming the real stages) and the sources that read stages fail with it.
 */
export function missingStage(input: RuleInput, stage = 'nope'): RuleInput {
  input.target.stage = stage;
  const reason = `stage ${stage} not found on API ${API_ID}; existing stages: prod`;
  failSource(input, 'apigw.stages', { kind: 'not_found', message: reason });
  input.coverage = input.coverage.map((r) => (r.source === 'apigw.stages' ? { ...r, reason, hint: 'use one of: prod' } : r));
  for (const source of ['logs.execution', 'logs.access', 'waf.web-acl'] as const) {
    failSource(input, source, { kind: 'dependency_failed', message: 'needs apigw.stages, which failed (not_found)', dependency: 'apigw.stages' });
  }
  return input;
}
