import { expect } from 'vitest';
import type { CoverageStatus } from '../../src/core/coverage.js';
import type { Report } from '../../src/core/report.js';
import { httpShop, lambdaFunction, lambdaUri, privateShop, REGION, restShop, shopHttpTraffic, websocketChat } from './accounts.js';
import type { ScenarioInput } from './aws-writer.js';

/**
 * The wire cases: each an AWS account built on moto (its own account id, so no case sees
 * another's resources), investigated through firebreak's real SDK clients, and compared with the
 * same description run in the sandbox. `expect` is what must be true on the wire.
 */
export interface WireCase {
  name: string;
  about: string;
  kind: 'REST' | 'HTTP' | 'WEBSOCKET';
  describe(base: { name: string; accountId: string; now: Date }): ScenarioInput;
  stage?: string;
  /** How the CLI is told the API: its id (default), an invoke URL (`wss://` for WebSocket APIs), or a custom domain. */
  via?: 'id' | 'invoke-url' | 'domain';
  /** Extra settings for the firebreak run (both worlds). */
  env?: Record<string, string>;
  /** Also run the CLI's text output over the wire and check it. */
  text?: boolean;
  expect: {
    /** `rule` (confirmed, any severity) or `rule:severity`; `rule?` for an inconclusive one. */
    findings?: string[];
    /** Rules that must not be confirmed. */
    absent?: string[];
    coverage?: Record<string, CoverageStatus | `error:${string}`>;
  };
  /** Anything else that must hold on the wire. */
  check?: (wire: Report) => void;
  /** Where this case's mirror may differ from the wire, and why (moto is not AWS there). */
  differences?: KnownDifference[];
}

export interface KnownDifference {
  /** A coverage source or a finding rule whose result may differ. */
  subject: string;
  why: string;
}

/** Why the Logs Insights case's counts differ from its mirror's. */
const MOTO_IGNORES_STATS =
  'moto runs a Logs Insights query\'s fields/filter/sort/limit but ignores `stats`: its rows lack the counts asked for, and firebreak believes them until Insights answers are checked before use (branch i28-speed); the sandbox computes them, so the row counts differ while the findings do not';

const MOTO_OLDEST_FIRST =
  'moto 5.2.1 ignores FilterLogEvents `startFromHead: false` (AWS answers newest first since 2026-06-18, reference cloudwatch-logs-at-scale §1.1) and answers oldest first: firebreak reads the window in slices from its end there, while the sandbox answers newest first like AWS, so the lines kept and the counts taken from them differ by a few between the worlds; the findings do not';

const restId = (seq: number) => `wire${String(seq).padStart(2, '0')}rest0`.slice(0, 10);

/** Traffic on a REST stage, for a few cases that need a broken share of requests. */
function restTraffic(requests: number, seed: number, routes: { method: 'GET' | 'POST'; path: string }[], outcomes: { weight: number; status: number; kind?: string }[]) {
  return { stage: 'prod', requests, seed, routes, outcomes } as NonNullable<ScenarioInput['traffic']>[number];
}

const HEALTHY_ROUTES = [
  { method: 'GET' as const, path: '/users', weight: 3 },
  { method: 'POST' as const, path: '/orders', weight: 1 },
];

/** Findings every REST case has on moto: CloudTrail answers HTML 500 there, so changes cannot be ruled out. */
const CLOUDTRAIL_FAILED = ['B.cloudtrail-refused:medium'];

/** A 5XXError alarm on the stage, firing (PutMetricAlarm, then SetAlarmState on the wire). */
function stage5xxAlarm(apiName: string): NonNullable<ScenarioInput['alarms']>[number] {
  const Dimensions = [{ Name: 'ApiName', Value: apiName }, { Name: 'Stage', Value: 'prod' }];
  return { AlarmName: `${apiName}-prod-5xx`, Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions, Statistic: 'Sum', Period: 60, EvaluationPeriods: 5, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', StateValue: 'ALARM', StateReason: 'Threshold Crossed' };
}

/**
 * moto 5.2.1 fails a whole GetMetricData call with HTTP 500 when one query asks for `p99` (AWS
 * answers it): the counts are read apart and used, the percentiles are "not read" in one line.
 */
function countsDespiteP99Failure(wire: Report): void {
  const api = wire.coverage.find((r) => r.source === 'metrics.api');
  expect(api?.reason).toMatch(/^prod: [\d,]+ requests, [\d,]+ 4xx, [\d,]+ 5xx/);
  expect(api?.reason).toMatch(/series not read \(Latency p99 and IntegrationLatency p99\): the service failed \(HTTP 500; it answered text\/html/);
  expect(wire.coverage.find((r) => r.source === 'metrics.lambda')?.reason).toMatch(/series not read \(Duration p99\)/);
  // The counts are used and agree with the figures: the stage's requests in the findings are the
  // metrics' (an access log read whole may be the figure's basis: it counts the same requests).
  const figures = wire.findings.flatMap((f) => f.figures ?? []);
  const requests = Number(/^prod: ([\d,]+) requests/.exec(api?.reason ?? '')?.[1]?.replace(/,/g, ''));
  expect(figures.some((f) => f.scope.kind === 'stage' && f.denominator === requests), JSON.stringify(figures)).toBe(true);
  expect(figures.every((f) => (f.denominator ?? 1) > 0), JSON.stringify(figures)).toBe(true);
}

export const WIRE_CASES: WireCase[] = [
  {
    name: 'rest-healthy',
    about: 'REGIONAL REST API that works: Lambda proxy routes, logging, access logs, usage plan, gateway response, custom domain',
    kind: 'REST',
    describe: ({ name, accountId, now }) => restShop({ name, accountId, now, apiId: restId(1) }),
    stage: 'prod',
    text: true,
    expect: {
      findings: [...CLOUDTRAIL_FAILED, 'R4.dns-points-elsewhere?'],
      absent: ['I1.lambda-permission-missing', 'I4.lambda-function-error', 'T1.throttled', 'R4.dns-points-elsewhere', 'B.execution-logging-off', 'B.access-logs-off', 'B.cloudwatch-role-missing'],
      coverage: {
        'apigw.rest-api': 'ok',
        'apigw.account': 'ok',
        'apigw.stages': 'ok',
        'apigw.resources': 'ok',
        'apigw.domains': 'ok',
        'apigw.gateway-responses': 'ok',
        'apigw.usage-plans': 'ok',
        'logs.execution': 'ok',
        'logs.access': 'ok',
        'lambda.functions': 'ok',
        'cloudtrail.changes': 'error:service_error',
        'cloudtrail.denies': 'error:service_error',
        'dns.custom-domains': 'ok',
        'waf.web-acl': 'not_configured',
      },
    },
  },
  {
    name: 'rest-by-domain-insights',
    about: 'The healthy REST API named by its custom domain, its logs counted with Logs Insights',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      // More lines than are kept (5,000): the window is counted where it lives, with Logs Insights.
      const s = restShop({ name, accountId, now, apiId: restId(2) });
      s.traffic?.push(restTraffic(300, 9, HEALTHY_ROUTES, [{ weight: 98, status: 200 }, { weight: 2, status: 404 }]));
      return s;
    },
    via: 'domain',
    env: { FIREBREAK_LOGS_INSIGHTS: 'true' },
    differences: [
      { subject: 'logs.execution', why: MOTO_IGNORES_STATS },
      { subject: 'logs.access', why: MOTO_IGNORES_STATS },
    ],
    expect: {
      findings: CLOUDTRAIL_FAILED,
      absent: ['I1.lambda-permission-missing', 'I4.lambda-function-error', 'T1.throttled', 'R1.route-not-deployed'],
      coverage: { 'apigw.domains': 'ok', 'logs.execution': 'ok', 'logs.access': 'ok' },
    },
  },
  {
    name: 'rest-i1-permission-missing',
    about: 'A clean-up removed the invoke permission of the orders function: POST /orders answers 500',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(3) });
      const orders = s.accounts[0].lambda?.functions?.find((f) => f.FunctionName.endsWith('-orders'));
      if (orders) delete orders.policy;
      s.traffic?.push(restTraffic(150, 11, [{ method: 'POST', path: '/orders' }], [{ weight: 1, status: 500, kind: 'missing_permission' }]));
      s.alarms = [stage5xxAlarm(`${name}-api`)];
      return s;
    },
    stage: 'prod',
    differences: [
      { subject: 'logs.execution', why: MOTO_OLDEST_FIRST },
      { subject: 'logs.access', why: MOTO_OLDEST_FIRST },
      { subject: 'I1.lambda-permission-missing figures', why: MOTO_OLDEST_FIRST },
    ],
    expect: {
      findings: ['I1.lambda-permission-missing:critical', ...CLOUDTRAIL_FAILED],
      coverage: { 'lambda.functions': 'ok', 'logs.execution': 'ok', 'metrics.api': 'ok', 'metrics.lambda': 'ok', 'metrics.alarms': 'ok' },
    },
    check: countsDespiteP99Failure,
  },
  {
    name: 'rest-a4-authorizer-not-invokable',
    about: 'A TOKEN authorizer whose function lost its invoke permission: every call is 500',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(4) });
      const account = s.accounts[0];
      const api = account.apigateway.restApis[0];
      api.authorizers = [{ id: 'wire-authorizer-1', name: 'token-check', type: 'TOKEN', identitySource: 'method.request.header.Authorization', authorizerUri: lambdaUri(accountId, `${name}-authz`), authorizerResultTtlInSeconds: 300 }];
      for (const resource of api.resources ?? []) for (const method of Object.values(resource.resourceMethods ?? {})) Object.assign(method, { authorizationType: 'CUSTOM', authorizerId: 'wire-authorizer-1' });
      account.lambda?.functions?.push(lambdaFunction(accountId, `${name}-authz`, undefined));
      s.traffic?.push(restTraffic(200, 17, HEALTHY_ROUTES, [{ weight: 1, status: 500, kind: 'authorizer_error' }]));
      return s;
    },
    stage: 'prod',
    expect: { findings: ['A4.authorizer-not-invokable', ...CLOUDTRAIL_FAILED], coverage: { 'apigw.authorizers': 'ok', 'lambda.functions': 'ok' } },
  },
  {
    name: 'rest-t1-throttled',
    about: 'Stage throttling lowered to 20 rps during a load test and never restored: 429s',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(5) });
      const stage = s.accounts[0].apigateway.restApis[0].stages?.[0];
      const all = stage?.methodSettings?.['*/*'];
      if (all) Object.assign(all, { throttlingRateLimit: 20, throttlingBurstLimit: 10 });
      s.traffic?.push(restTraffic(800, 7, HEALTHY_ROUTES, [{ weight: 80, status: 200 }, { weight: 20, status: 429, kind: 'throttled' }]));
      return s;
    },
    stage: 'prod',
    expect: { findings: ['T1.throttled', ...CLOUDTRAIL_FAILED], coverage: { 'apigw.stages': 'ok', 'logs.access': 'ok' } },
    // About 15,000 execution lines: FilterLogEvents pages end at 10,000 events, so the reads page.
    check: (wire) => expect(wire.coverage.find((r) => r.source === 'logs.execution')?.truncated?.total).toBeGreaterThan(10_000),
  },
  {
    name: 'rest-a8-waf-blocks',
    about: 'A new WAF geo rule on the stage blocks a quarter of the traffic with 403',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(6) });
      const account = s.accounts[0];
      account.wafv2 = { webAcls: [{ Name: `${name}-acl`, Id: 'wire-web-acl-1', DefaultAction: { Allow: {} }, Rules: [{ Name: 'geo-block', Priority: 0, Action: { Block: {} } }] }] };
      const stage = account.apigateway.restApis[0].stages?.[0];
      if (stage) stage.webAclArn = `arn:aws:wafv2:${REGION}:${accountId}:regional/webacl/${name}-acl/wire-web-acl-1`;
      s.traffic?.push(restTraffic(400, 7, HEALTHY_ROUTES, [{ weight: 75, status: 200 }, { weight: 25, status: 403, kind: 'waf_blocked' }]));
      return s;
    },
    stage: 'prod',
    expect: { findings: ['A8.waf-blocks', ...CLOUDTRAIL_FAILED], coverage: { 'waf.web-acl': 'ok' } },
  },
  {
    name: 'rest-i5-reserved-concurrency-zero',
    about: 'Reserved concurrency 0 on the orders function: every POST /orders is throttled',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(7) });
      const orders = s.accounts[0].lambda?.functions?.find((f) => f.FunctionName.endsWith('-orders'));
      if (orders) orders.reservedConcurrency = 0;
      s.traffic?.push(restTraffic(150, 14, [{ method: 'POST', path: '/orders' }], [{ weight: 1, status: 500, kind: 'lambda_throttled' }]));
      return s;
    },
    stage: 'prod',
    differences: [
      { subject: 'logs.execution', why: MOTO_OLDEST_FIRST },
      { subject: 'logs.access', why: MOTO_OLDEST_FIRST },
      { subject: 'I5.lambda-throttled figures', why: MOTO_OLDEST_FIRST },
    ],
    expect: { findings: ['I5.lambda-throttled:critical', ...CLOUDTRAIL_FAILED], coverage: { 'lambda.functions': 'ok', 'logs.execution': 'ok' } },
  },
  {
    name: 'rest-blind-spots',
    about: 'Users report 5xx, but execution logging is off, there are no access logs and no CloudWatch role',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(8) });
      const account = s.accounts[0];
      delete account.apigateway.account;
      const stage = account.apigateway.restApis[0].stages?.[0];
      if (stage) {
        stage.methodSettings = { '*/*': { loggingLevel: 'OFF', metricsEnabled: false } };
        delete stage.accessLogSettings;
      }
      s.traffic = [];
      return s;
    },
    stage: 'prod',
    expect: {
      findings: ['B.execution-logging-off', 'B.access-logs-off', 'B.cloudwatch-role-missing', ...CLOUDTRAIL_FAILED],
      coverage: { 'logs.execution': 'not_configured', 'logs.access': 'not_configured' },
    },
  },
  {
    name: 'rest-private-healthy',
    about: 'PRIVATE API behind its execute-api endpoint (private DNS, 443 open from the VPC), allowed by its policy, flow logs on',
    kind: 'REST',
    describe: ({ name, accountId, now }) => privateShop({ name, accountId, now, apiId: restId(9) }, { flowLogs: true }),
    stage: 'prod',
    expect: {
      findings: CLOUDTRAIL_FAILED,
      absent: ['P1.private-api-no-allowing-policy', 'N2.endpoint-sg-no-443', 'N5.endpoint-not-available', 'B.flow-logs-off', 'N3.vpc-dns-attributes-off', 'N4.private-dns-off'],
      coverage: { 'ec2.vpc-endpoints': 'ok', 'ec2.security-groups': 'ok', 'ec2.flow-logs': 'empty' },
    },
  },
  {
    name: 'rest-p1-private-no-policy',
    about: 'PRIVATE API deployed without a resource policy: every call is 403',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = privateShop({ name, accountId, now, apiId: restId(10) });
      delete s.accounts[0].apigateway.restApis[0].policy;
      return s;
    },
    stage: 'prod',
    expect: { findings: ['P1.private-api-no-allowing-policy:critical', 'B.flow-logs-off', ...CLOUDTRAIL_FAILED], coverage: { 'ec2.vpc-endpoints': 'ok', 'ec2.flow-logs': 'not_configured' } },
  },
  {
    name: 'rest-n2-endpoint-sg-closed',
    about: 'PRIVATE API whose endpoint security group admits 443 only from an old VPN range',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = privateShop({ name, accountId, now, apiId: restId(11) }, { flowLogs: true });
      const group = s.accounts[0].ec2?.securityGroups?.[0];
      if (group) group.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '192.168.0.0/16' }] }];
      return s;
    },
    stage: 'prod',
    expect: { findings: ['N2.endpoint-sg-no-443:critical', ...CLOUDTRAIL_FAILED], coverage: { 'ec2.security-groups': 'ok' } },
  },
  {
    name: 'rest-n5-private-no-endpoint',
    about: 'PRIVATE API allowed by source VPC, but no execute-api endpoint exists: nobody can call it',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = privateShop({ name, accountId, now, apiId: restId(12) });
      const account = s.accounts[0];
      const api = account.apigateway.restApis[0];
      api.endpointConfiguration = { types: ['PRIVATE'] };
      api.policy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${REGION}:${accountId}:${restId(12)}/*`, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0wire00000001' } } }],
      };
      if (account.ec2) account.ec2.vpcEndpoints = [];
      s.traffic = [];
      return s;
    },
    stage: 'prod',
    expect: {
      findings: ['N5.endpoint-not-available:critical', ...CLOUDTRAIL_FAILED],
      absent: ['B.flow-logs-off'],
      coverage: { 'ec2.vpc-endpoints': 'not_configured', 'ec2.flow-logs': 'not_applicable' },
    },
  },
  {
    name: 'rest-xacct-consumer-sg-closed',
    about: 'Cross-account private API: the consumer account\'s endpoint group (read through its role) does not admit 443 from its VPC',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = privateShop({ name, accountId, now, apiId: restId(15) });
      const consumer = `32${accountId.slice(2)}`;
      const api = s.accounts[0].apigateway.restApis[0];
      const endpoints = ['vpce-0wire0000000001', 'vpce-0wire0consumer1'];
      api.endpointConfiguration = { types: ['PRIVATE'], vpcEndpointIds: endpoints };
      api.policy = {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AllowInvoke', Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          { Sid: 'DenyOutsideEndpoints', Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringNotEquals: { 'aws:SourceVpce': endpoints } } },
        ],
      };
      s.accounts.push({
        accountId: consumer,
        roleArn: `arn:aws:iam::${consumer}:role/firebreak-readonly`,
        ec2: {
          vpcs: [{ VpcId: 'vpc-0wire0consumer', CidrBlock: '10.50.0.0/16' }],
          subnets: [{ SubnetId: 'subnet-0wire0consumer', VpcId: 'vpc-0wire0consumer', CidrBlock: '10.50.1.0/24', AvailabilityZone: `${REGION}a` }],
          securityGroups: [
            { GroupId: 'sg-0wire0consumer', GroupName: 'execute-api-endpoint', Description: 'payments endpoint', VpcId: 'vpc-0wire0consumer', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '192.168.0.0/24' }] }] },
          ],
          vpcEndpoints: [
            { VpcEndpointId: 'vpce-0wire0consumer1', VpcId: 'vpc-0wire0consumer', ServiceName: `com.amazonaws.${REGION}.execute-api`, SubnetIds: ['subnet-0wire0consumer'], Groups: [{ GroupId: 'sg-0wire0consumer' }], PrivateDnsEnabled: true },
          ],
        },
      });
      return s;
    },
    stage: 'prod',
    expect: {
      findings: ['N2.endpoint-sg-no-443:critical', ...CLOUDTRAIL_FAILED],
      absent: ['P2.policy-stale-vpce', 'N5.endpoint-not-available'],
      coverage: { 'ec2.vpc-endpoints': 'ok', 'ec2.security-groups': 'ok' },
    },
    check: (wire) => expect(wire.coverage.find((r) => r.source === 'ec2.vpc-endpoints')?.reason).toMatch(/across accounts/),
  },
  {
    name: 'rest-l1-vpc-lambda-no-route',
    about: 'The users function moved into private subnets with no NAT route and no endpoint for the Lambda service it calls',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(13) });
      const account = s.accounts[0];
      account.ec2 = {
        vpcs: [{ VpcId: 'vpc-0wire00000002', CidrBlock: '10.30.0.0/16' }],
        subnets: [
          { SubnetId: 'subnet-0wire0000011', VpcId: 'vpc-0wire00000002', CidrBlock: '10.30.1.0/24', AvailabilityZone: `${REGION}a` },
          { SubnetId: 'subnet-0wire0000012', VpcId: 'vpc-0wire00000002', CidrBlock: '10.30.2.0/24', AvailabilityZone: `${REGION}b` },
        ],
        securityGroups: [{ GroupId: 'sg-0wire0function', GroupName: `${name}-function`, Description: 'users function', VpcId: 'vpc-0wire00000002', IpPermissions: [] }],
        routeTables: [
          {
            RouteTableId: 'rtb-0wire0private',
            VpcId: 'vpc-0wire00000002',
            Associations: [{ SubnetId: 'subnet-0wire0000011' }, { SubnetId: 'subnet-0wire0000012' }],
            Routes: [{ DestinationCidrBlock: '10.30.0.0/16', GatewayId: 'local', State: 'active' }],
          },
        ],
      };
      const users = account.lambda?.functions?.find((f) => f.FunctionName.endsWith('-users'));
      if (users) Object.assign(users, { VpcConfig: { SubnetIds: ['subnet-0wire0000011', 'subnet-0wire0000012'], SecurityGroupIds: ['sg-0wire0function'], VpcId: 'vpc-0wire00000002' }, Environment: { Variables: { PRICING_FUNCTION: `${name}-pricing` } } });
      return s;
    },
    stage: 'prod',
    expect: { findings: ['L1.lambda-cannot-reach-service', ...CLOUDTRAIL_FAILED], coverage: { 'lambda.network-reach': 'ok' } },
  },
  {
    name: 'rest-o1-scp-denies-invoke',
    about: 'A new SCP on the account denies execute-api:Invoke: every AWS_IAM caller of the account is refused',
    kind: 'REST',
    describe: ({ name, accountId, now }) => {
      const s = restShop({ name, accountId, now, apiId: restId(14) });
      const account = s.accounts[0];
      const users = account.apigateway.restApis[0].resources?.find((r) => r.path === '/users')?.resourceMethods?.GET;
      if (users) users.authorizationType = 'AWS_IAM';
      account.organizations = {
        policies: [{ Id: 'p-wiredenyinvoke', Name: 'deny-execute-api', Content: { Version: '2012-10-17', Statement: [{ Sid: 'NoInvokeOutsideCorp', Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }] } }],
      };
      return s;
    },
    stage: 'prod',
    expect: { findings: ['O1.scp-denies-invoke', ...CLOUDTRAIL_FAILED], coverage: { 'org.scps': 'ok' } },
  },
  {
    name: 'http-h23-vpc-link-sg-no-egress',
    about: 'The VPC link\'s security group was tightened to no outbound rules: the link cannot reach the inventory load balancer',
    kind: 'HTTP',
    describe: ({ name, accountId, now }) => {
      const s = httpShop({ name, accountId, now });
      const account = s.accounts[0];
      account.ec2 = {
        vpcs: [{ VpcId: 'vpc-0wire00000003', CidrBlock: '10.40.0.0/16' }],
        subnets: [
          { SubnetId: 'subnet-0wire0000021', VpcId: 'vpc-0wire00000003', CidrBlock: '10.40.1.0/24', AvailabilityZone: `${REGION}a` },
          { SubnetId: 'subnet-0wire0000022', VpcId: 'vpc-0wire00000003', CidrBlock: '10.40.2.0/24', AvailabilityZone: `${REGION}b` },
        ],
        securityGroups: [{ GroupId: 'sg-0wire0vpclink', GroupName: `${name}-vpc-link`, Description: 'inventory link', VpcId: 'vpc-0wire00000003', IpPermissions: [], IpPermissionsEgress: [] }],
      };
      account.apigatewayv2.vpcLinks = [{ VpcLinkId: 'wirevpclink1', Name: 'inventory-link', SubnetIds: ['subnet-0wire0000021', 'subnet-0wire0000022'], SecurityGroupIds: ['sg-0wire0vpclink'] }];
      const api = account.apigatewayv2.apis[0];
      api.integrations?.push({
        IntegrationId: 'wireint03',
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        IntegrationUri: `arn:aws:elasticloadbalancing:${REGION}:${accountId}:listener/app/inventory-alb/50dc6c495c0c9188/0467ef3c8400ae65`,
        ConnectionType: 'VPC_LINK',
        ConnectionId: 'wirevpclink1',
        PayloadFormatVersion: '1.0',
        TimeoutInMillis: 10000,
      });
      api.routes?.push({ RouteId: 'wireroute03', RouteKey: 'GET /inventory/{proxy+}', AuthorizationType: 'NONE', Target: 'integrations/wireint03' });
      s.httpTraffic?.push({
        stage: '$default',
        requests: 80,
        seed: 21,
        routes: [{ method: 'GET', path: '/inventory/items/42', routeKey: 'GET /inventory/{proxy+}' }],
        outcomes: [{ weight: 1, status: 503, context: { 'error.message': 'Service Unavailable' } }],
      });
      return s;
    },
    expect: { findings: ['H23.vpc-link-sg-blocks', 'HB.cloudtrail-refused:medium'], absent: ['H22.vpc-link-unavailable'], coverage: { 'apigwv2.vpc-links': 'ok' } },
  },
  {
    name: 'http-healthy',
    about: 'HTTP API that works, named by the 8-character id moto gives it: routes, Lambda integrations, JWT authorizer, CORS, access logs, domain',
    kind: 'HTTP',
    describe: ({ name, accountId, now }) => httpShop({ name, accountId, now }),
    text: true,
    expect: {
      findings: ['HB.cloudtrail-refused:medium', 'H8.dns-points-elsewhere?'],
      absent: ['H18.lambda-permission-missing', 'H24.throttled', 'H8.dns-points-elsewhere', 'HB.access-logs-off', 'H1.no-matching-route'],
      coverage: {
        'apigwv2.api': 'ok',
        'apigwv2.stages': 'ok',
        'apigwv2.routes': 'ok',
        'apigwv2.authorizers': 'error:service_error',
        'apigwv2.domains': 'ok',
        'logs.access': 'ok',
        'lambda.functions': 'ok',
        'dns.custom-domains': 'ok',
        'logs.execution': 'not_applicable',
        'waf.web-acl': 'not_applicable',
      },
    },
  },
  {
    name: 'http-by-invoke-url',
    about: 'The healthy HTTP API named by its invoke URL (moto\'s 8-character id in the host)',
    kind: 'HTTP',
    describe: ({ name, accountId, now }) => httpShop({ name, accountId, now }),
    via: 'invoke-url',
    expect: { findings: ['HB.cloudtrail-refused:medium'], absent: ['H18.lambda-permission-missing', 'H1.no-matching-route'], coverage: { 'apigwv2.api': 'ok', 'logs.access': 'ok' } },
  },
  {
    name: 'http-h18-permission-missing',
    about: 'The read function lost its invoke permission: every GET answers 500 with the permission error in the access log',
    kind: 'HTTP',
    describe: ({ name, accountId, now }) => {
      const s = httpShop({ name, accountId, now });
      const read = s.accounts[0].lambda?.functions?.find((f) => f.FunctionName.endsWith('-read'));
      if (read) delete read.policy;
      s.httpTraffic?.push({
        stage: '$default',
        requests: 200,
        seed: 17,
        routes: [{ method: 'GET', path: '/orders', routeKey: 'GET /orders' }],
        outcomes: [
          {
            weight: 1,
            status: 500,
            context: {
              'error.message': 'Internal Server Error',
              integrationErrorMessage: "The IAM role configured on the integration or API Gateway doesn't have permissions to call the integration. Check the permissions and try again.",
            },
          },
        ],
      });
      return s;
    },
    expect: { findings: ['H18.lambda-permission-missing', 'HB.cloudtrail-refused:medium'], coverage: { 'lambda.functions': 'ok', 'logs.access': 'ok' } },
  },
  {
    name: 'http-h24-throttle-zero',
    about: 'An IaC change wrote the stage throttles as 0: every request gets 429',
    kind: 'HTTP',
    describe: ({ name, accountId, now }) => {
      const s = httpShop({ name, accountId, now });
      const stage = s.accounts[0].apigatewayv2.apis[0].stages?.[0];
      if (stage) stage.DefaultRouteSettings = { DetailedMetricsEnabled: true, ThrottlingRateLimit: 0, ThrottlingBurstLimit: 0 };
      s.httpTraffic = [shopHttpTraffic(200, 22, [{ weight: 1, status: 429, context: { 'error.message': 'Too Many Requests', 'error.responseType': 'THROTTLED' } }])];
      return s;
    },
    expect: { findings: ['H24.throttled', 'HB.cloudtrail-refused:medium'], coverage: { 'apigwv2.stages': 'ok' } },
  },
  {
    name: 'http-hb-no-access-logs',
    about: 'Users report errors, but the HTTP API stage has no access logging: nothing was recorded',
    kind: 'HTTP',
    describe: ({ name, accountId, now }) => {
      const s = httpShop({ name, accountId, now });
      const stage = s.accounts[0].apigatewayv2.apis[0].stages?.[0];
      if (stage) delete stage.AccessLogSettings;
      s.httpTraffic = [];
      return s;
    },
    expect: { findings: ['HB.access-logs-off', 'HB.cloudtrail-refused:medium'], coverage: { 'logs.access': 'not_configured', 'logs.execution': 'not_applicable' } },
  },
  {
    name: 'websocket-chat',
    about: 'WebSocket chat API named by its wss:// URL (moto\'s 8-character id): $connect, $disconnect, sendmessage and $default on Lambda proxy integrations, INFO execution logs, access logs, traffic; moto has no deployments',
    kind: 'WEBSOCKET',
    via: 'invoke-url',
    stage: 'production',
    describe: ({ name, accountId, now }) => websocketChat({ name, accountId, now }),
    expect: {
      // moto 5.2.1 has no CreateDeployment: every moto WebSocket stage is undeployed, in both worlds.
      findings: ['W7.changes-not-deployed', 'WB.cloudtrail-refused:medium'],
      absent: ['W11.lambda-permission-missing', 'W14.one-way-route', 'W17.manage-connections-denied', 'W6.no-route-matched', 'W1.identity-source-missing', 'W22.throttled', 'WB.access-logs-off', 'WB.execution-logging-off'],
      coverage: {
        'apigwv2.api': 'ok',
        'apigw.account': 'ok',
        'apigwv2.stages': 'ok',
        'apigwv2.routes': 'ok',
        'apigwv2.authorizers': 'error:service_error',
        'logs.execution': 'ok',
        'logs.access': 'ok',
        'lambda.functions': 'ok',
        'logs.lambda': 'ok',
        'iam.manage-connections': 'ok',
        'waf.web-acl': 'not_applicable',
        'metrics.waf': 'not_applicable',
      },
    },
  },
];
