import {
  GetAccountCommand,
  GetAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetDeploymentCommand,
  GetDomainNamesCommand,
  GetGatewayResponsesCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStageCommand,
  GetStagesCommand,
  GetUsagePlansCommand,
  paginateGetResources,
} from '@aws-sdk/client-api-gateway';
import { LookupEventsCommand, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { DescribeLogGroupsCommand, FilterLogEventsCommand, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeFlowLogsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  paginateDescribeVpcEndpoints,
} from '@aws-sdk/client-ec2';
import { GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetWebACLCommand } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/aws/errors.js';
import { READ_OPERATIONS } from '../../src/aws/operations.js';
import { parseScenario } from '../../src/sandbox/load.js';
import { createSandboxTransport, SANDBOX_HANDLERS } from '../../src/sandbox/transport.js';
import { baseScenario, environmentFor, HOME, logGroup, NOW_MS, OTHER } from './fixture.js';

async function caught(work: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await work;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('sandbox transport: API Gateway', () => {
  const clients = () => environmentFor(baseScenario()).factory.forAccount();

  it('answers GetRestApi in the SDK shape, the policy as a JSON string', async () => {
    const api = await clients().apigateway.send(new GetRestApiCommand({ restApiId: 'a1b2c3d4e5' }));
    expect(api.endpointConfiguration).toEqual({ types: ['PRIVATE'], vpcEndpointIds: ['vpce-0aaa'] });
    expect(typeof api.policy).toBe('string');
    expect(JSON.parse(api.policy ?? '')).toMatchObject({ Version: '2012-10-17' });
    expect(api).not.toHaveProperty('stages');
  });

  it('throws NotFoundException (404) for an unknown API, classified not_found', async () => {
    const err = await caught(clients().apigateway.send(new GetRestApiCommand({ restApiId: 'zzzzzzzzzz' })));
    expect(err.name).toBe('NotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    expect(classifyError(err).kind).toBe('not_found');
  });

  it('answers stages, one stage, deployments (Dates) and the account', async () => {
    const c = clients();
    expect((await c.apigateway.send(new GetStagesCommand({ restApiId: 'a1b2c3d4e5' }))).item?.map((s) => s.stageName)).toEqual(['prod', 'dev']);
    const stage = await c.apigateway.send(new GetStageCommand({ restApiId: 'a1b2c3d4e5', stageName: 'prod' }));
    expect(stage.methodSettings?.['*/*']?.loggingLevel).toBe('INFO');
    await expect(c.apigateway.send(new GetStageCommand({ restApiId: 'a1b2c3d4e5', stageName: 'nope' }))).rejects.toThrow('Invalid stage identifier specified');
    const deployment = await c.apigateway.send(new GetDeploymentCommand({ restApiId: 'a1b2c3d4e5', deploymentId: 'dep1' }));
    expect(deployment.createdDate).toEqual(new Date('2024-04-30T10:00:00Z'));
    expect((await c.apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn).toBe(`arn:aws:iam::${HOME}:role/apigw-cw`);
  });

  it('embeds methods in GetResources only when asked, with derived ids and the root', async () => {
    const c = clients();
    const bare = await c.apigateway.send(new GetResourcesCommand({ restApiId: 'a1b2c3d4e5' }));
    expect(bare.items?.map((r) => r.path)).toEqual(['/', '/users']);
    expect(bare.items?.[1]?.resourceMethods).toEqual({ GET: {} });
    const embedded = await c.apigateway.send(new GetResourcesCommand({ restApiId: 'a1b2c3d4e5', embed: ['methods'] }));
    const users = embedded.items?.[1];
    expect(users?.resourceMethods?.GET?.methodIntegration?.type).toBe('AWS_PROXY');
    expect(users?.parentId).toBe(embedded.items?.[0]?.id);
    expect(users?.id).toMatch(/^[a-z0-9]{6}$/);
  });

  it('answers authorizers, gateway responses, domains, base path mappings and usage plans', async () => {
    const c = clients();
    expect((await c.apigateway.send(new GetAuthorizersCommand({ restApiId: 'a1b2c3d4e5' }))).items?.[0]?.name).toBe('jwt');
    expect((await c.apigateway.send(new GetGatewayResponsesCommand({ restApiId: 'a1b2c3d4e5' }))).items?.[0]?.responseType).toBe('DEFAULT_4XX');
    const domains = await c.apigateway.send(new GetDomainNamesCommand({}));
    expect(domains.items?.[0]?.domainName).toBe('api.example.com');
    expect(domains.items?.[0]).not.toHaveProperty('basePathMappings');
    const mappings = await c.apigateway.send(new GetBasePathMappingsCommand({ domainName: 'api.example.com' }));
    expect(mappings.items).toEqual([{ basePath: '(none)', restApiId: 'a1b2c3d4e5', stage: 'prod' }]);
    await expect(c.apigateway.send(new GetBasePathMappingsCommand({ domainName: 'nope.example.com' }))).rejects.toThrow('Invalid domain name identifier');
    expect((await c.apigateway.send(new GetUsagePlansCommand({}))).items?.[0]?.id).toBe('up1');
  });

  it('paginates GetResources with position/limit across pages with the SDK paginator', async () => {
    const data = baseScenario({ pageSize: 3 });
    const api = ((data.accounts as Record<string, unknown>[])[0] as { apigateway: { restApis: { resources: unknown[] }[] } }).apigateway.restApis[0];
    if (api) api.resources = Array.from({ length: 10 }, (_, i) => ({ path: `/r${i}` }));
    const c = environmentFor(data).factory.forAccount();
    const pages = await collect(paginateGetResources({ client: c.apigateway }, { restApiId: 'a1b2c3d4e5' }));
    expect(pages.length).toBe(4);
    expect(pages.flatMap((p) => p.items ?? []).map((r) => r.path)).toEqual(['/', ...Array.from({ length: 10 }, (_, i) => `/r${i}`)]);
  });
});

describe('sandbox transport: CloudWatch Logs', () => {
  function logsClient(extra: Record<string, unknown> = {}) {
    const data = baseScenario(extra);
    const account = (data.accounts as Record<string, unknown>[])[0] as { logs: { groups: unknown[] } };
    account.logs.groups = [
      logGroup('app', 25, (i) => (i % 5 === 0 ? `ERROR boom ${i}` : i % 5 === 1 ? `WARN slow ${i}` : `INFO ok ${i}`)),
      { logGroupName: 'app-two', events: [] },
    ];
    return environmentFor(data).factory.forAccount().logs;
  }

  it('filters by time range (inclusive) and pattern terms, OR terms, phrases and exclusions', async () => {
    const logs = logsClient();
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app' }));
    expect(all.events?.length).toBe(25);
    const window = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', startTime: NOW_MS - 10 * 60_000, endTime: NOW_MS - 5 * 60_000 }));
    expect(window.events?.map((e) => e.message)).toEqual(['ERROR boom 15', 'WARN slow 16', 'INFO ok 17', 'INFO ok 18', 'INFO ok 19', 'ERROR boom 20']);
    const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: 'ERROR' }));
    expect(errors.events?.length).toBe(5);
    const either = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: '?ERROR ?WARN' }));
    expect(either.events?.length).toBe(10);
    const phrase = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: '"boom 1"' }));
    expect(phrase.events?.map((e) => e.message)).toEqual(['ERROR boom 10', 'ERROR boom 15']);
    const caseSensitive = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: 'error' }));
    expect(caseSensitive.events).toEqual([]);
    const excluded = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: 'ok -"ok 2"' }));
    // 15 "ok" lines, minus "ok 2", "ok 22", "ok 23", "ok 24".
    expect(excluded.events?.length).toBe(11);
  });

  it('paginates FilterLogEvents with nextToken across 3+ pages (limit and scenario pageSize)', async () => {
    const logs = logsClient();
    const pages = await collect(paginateFilterLogEvents({ client: logs, pageSize: 7 }, { logGroupName: 'app' }));
    expect(pages.map((p) => p.events?.length)).toEqual([7, 7, 7, 4]);
    const forced = await collect(paginateFilterLogEvents({ client: logsClient({ pageSize: 10 }) }, { logGroupName: 'app' }));
    expect(forced.length).toBe(3);
    expect(forced.flatMap((p) => p.events ?? []).length).toBe(25);
  });

  it('throws ResourceNotFoundException for a missing group and describes groups by prefix', async () => {
    const logs = logsClient();
    const err = await caught(logs.send(new FilterLogEventsCommand({ logGroupName: 'nope' })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(classifyError(err).kind).toBe('not_found');
    const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app' }));
    expect(described.logGroups?.map((g) => g.logGroupName)).toEqual(['app', 'app-two']);
    const byArn = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:${HOME}:log-group:app`, limit: 1 }));
    expect(byArn.events?.length).toBe(1);
  });
});

describe('sandbox transport: CloudTrail', () => {
  function trail(events: number) {
    const data = baseScenario();
    const account = (data.accounts as Record<string, unknown>[])[0] as { cloudtrail: { events: unknown[] } };
    account.cloudtrail.events = Array.from({ length: events }, (_, i) => ({
      EventName: i % 2 === 0 ? 'UpdateStage' : 'CreateDeployment',
      EventTime: NOW_MS - (i + 1) * 3600_000,
      Username: i % 3 === 0 ? 'alice' : 'bob',
      Resources: [{ ResourceType: 'AWS::ApiGateway::RestApi', ResourceName: 'a1b2c3d4e5' }],
      CloudTrailEvent: { requestParameters: { restApiId: 'a1b2c3d4e5' } },
    }));
    return environmentFor(data).factory.forAccount().cloudtrail;
  }

  it('answers newest first, EventTime as a Date and CloudTrailEvent as a JSON string', async () => {
    const out = await trail(3).send(new LookupEventsCommand({}));
    const [first] = out.Events ?? [];
    expect(first?.EventTime).toEqual(new Date(NOW_MS - 3600_000));
    expect(first?.EventSource).toBe('apigateway.amazonaws.com');
    expect(first?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(first?.CloudTrailEvent ?? '')).toMatchObject({ eventName: 'UpdateStage', requestParameters: { restApiId: 'a1b2c3d4e5' }, recipientAccountId: HOME });
  });

  it('honours StartTime/EndTime and one LookupAttribute, and refuses two', async () => {
    const ct = trail(10);
    const windowed = await ct.send(new LookupEventsCommand({ StartTime: new Date(NOW_MS - 3 * 3600_000), EndTime: new Date(NOW_MS - 2 * 3600_000) }));
    expect(windowed.Events?.length).toBe(2);
    const byName = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateDeployment' }] }));
    expect(byName.Events?.length).toBe(5);
    const byUser = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }] }));
    expect(byUser.Events?.length).toBe(4);
    const err = await caught(
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'x' },
            { AttributeKey: 'Username', AttributeValue: 'y' },
          ],
        }),
      ),
    );
    expect(err.name).toBe('InvalidLookupAttributesException');
  });

  it('paginates with NextToken, at most 50 a page', async () => {
    const pages = await collect(paginateLookupEvents({ client: trail(120) }, {}));
    expect(pages.map((p) => p.Events?.length)).toEqual([50, 50, 20]);
    const small = await collect(paginateLookupEvents({ client: trail(10), pageSize: 4 }, {}));
    expect(small.length).toBe(3);
  });
});

describe('sandbox transport: EC2', () => {
  const ec2 = () => environmentFor(baseScenario()).factory.forAccount().ec2;

  it('filters endpoints by service-name (wildcards) and vpc-id, and by ids', async () => {
    const c = ec2();
    const byService = await c.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service-name', Values: ['com.amazonaws.*.execute-api'] }] }));
    expect(byService.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual(['vpce-0aaa']);
    const byVpc = await c.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-2', 'vpc-9'] }] }));
    expect(byVpc.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual(['vpce-0bbb']);
    const byId = await c.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0aaa'] }));
    expect(byId.VpcEndpoints?.[0]?.PrivateDnsEnabled).toBe(true);
    const err = await caught(c.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-gone'] })));
    expect(err.name).toBe('InvalidVpcEndpointId.NotFound');
    expect(classifyError(err).kind).toBe('not_found');
  });

  it('refuses an unknown filter name like EC2 does', async () => {
    const err = await caught(ec2().send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service', Values: ['x'] }] })));
    expect(err.name).toBe('InvalidParameterValue');
    expect(classifyError(err).kind).toBe('invalid_input');
  });

  it('answers security groups, ENIs (group-id filter), VPCs, VPC attributes and flow logs (Filter)', async () => {
    const c = ec2();
    expect((await c.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-1'] }))).SecurityGroups?.[0]?.IpPermissions?.[0]?.FromPort).toBe(443);
    expect((await c.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-2'] }] }))).SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-2']);
    const enis = await c.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: ['sg-1'] }] }));
    expect(enis.NetworkInterfaces?.map((n) => n.PrivateIpAddress)).toEqual(['10.0.1.10']);
    expect((await c.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-2'] }))).NetworkInterfaces?.[0]?.VpcId).toBe('vpc-2');
    const vpcs = await c.send(new DescribeVpcsCommand({ VpcIds: ['vpc-1'] }));
    expect(vpcs.Vpcs?.[0]).toMatchObject({ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', State: 'available' });
    expect(vpcs.Vpcs?.[0]).not.toHaveProperty('enableDnsSupport');
    expect(await c.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-1', Attribute: 'enableDnsSupport' }))).toMatchObject({ VpcId: 'vpc-1', EnableDnsSupport: { Value: true } });
    expect(await c.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-1', Attribute: 'enableDnsHostnames' }))).toMatchObject({ EnableDnsHostnames: { Value: false } });
    const flows = await c.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: ['vpc-1'] }] }));
    expect(flows.FlowLogs?.[0]).toMatchObject({ FlowLogId: 'fl-1', TrafficType: 'ALL', FlowLogStatus: 'ACTIVE' });
    expect((await c.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: ['vpc-2'] }] }))).FlowLogs).toEqual([]);
  });

  it('paginates with MaxResults/NextToken across 3+ pages', async () => {
    const data = baseScenario();
    const account = (data.accounts as Record<string, unknown>[])[0] as { ec2: { vpcEndpoints: unknown[] } };
    account.ec2.vpcEndpoints = Array.from({ length: 12 }, (_, i) => ({ VpcEndpointId: `vpce-${i}`, VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.execute-api' }));
    const c = environmentFor(data).factory.forAccount().ec2;
    const pages = await collect(paginateDescribeVpcEndpoints({ client: c, pageSize: 5 }, {}));
    expect(pages.map((p) => p.VpcEndpoints?.length)).toEqual([5, 5, 2]);
  });
});

describe('sandbox transport: Lambda, WAF, STS', () => {
  const clients = () => environmentFor(baseScenario()).factory.forAccount();

  it('answers function configuration by name or ARN, policy as a string, concurrency', async () => {
    const c = clients();
    const byName = await c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'users' }));
    expect(byName).toMatchObject({ FunctionName: 'users', FunctionArn: `arn:aws:lambda:us-east-1:${HOME}:function:users`, State: 'Active', Timeout: 10 });
    expect(byName).not.toHaveProperty('policy');
    const byArn = await c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `arn:aws:lambda:us-east-1:${HOME}:function:users:live` }));
    expect(byArn.FunctionName).toBe('users');
    const policy = await c.lambda.send(new GetPolicyCommand({ FunctionName: 'users' }));
    expect(JSON.parse(policy.Policy ?? '')).toMatchObject({ Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] });
    expect((await c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'users' }))).ReservedConcurrentExecutions).toBe(5);
    expect((await c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'nopolicy' }))).ReservedConcurrentExecutions).toBeUndefined();
  });

  it('throws ResourceNotFoundException for a missing function or policy', async () => {
    const c = clients();
    const missing = await caught(c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ghost' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toContain(':function:ghost');
    const noPolicy = await caught(c.lambda.send(new GetPolicyCommand({ FunctionName: 'nopolicy' })));
    expect(noPolicy.name).toBe('ResourceNotFoundException');
  });

  it('answers GetWebACL by ARN or by name and id, WAFNonexistentItemException otherwise', async () => {
    const c = clients();
    const arn = `arn:aws:wafv2:us-east-1:${HOME}:regional/webacl/edge/acl-1`;
    expect((await c.wafv2.send(new GetWebACLCommand({ ARN: arn }))).WebACL?.Rules?.[0]?.Name).toBe('rate');
    expect((await c.wafv2.send(new GetWebACLCommand({ Name: 'edge', Id: 'acl-1', Scope: 'REGIONAL' }))).WebACL?.ARN).toBe(arn);
    const err = await caught(c.wafv2.send(new GetWebACLCommand({ ARN: `${arn}x` })));
    expect(err.name).toBe('WAFNonexistentItemException');
    expect(classifyError(err).kind).toBe('not_found');
  });

  it('answers GetCallerIdentity with the account, and other accounts through their role', async () => {
    const env = environmentFor(baseScenario());
    expect((await env.factory.forAccount().sts.send(new GetCallerIdentityCommand({}))).Account).toBe(HOME);
    const remote = env.factory.forAccount(OTHER);
    expect((await remote.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'remote' }))).FunctionArn).toContain(`:${OTHER}:`);
  });
});

describe('sandbox transport: coverage and loud failures', () => {
  it('models every operation on the read-only list', () => {
    for (const op of READ_OPERATIONS) expect(SANDBOX_HANDLERS[op.service][op.operation], `${op.service}:${op.operation}`).toBeTypeOf('function');
  });

  it('fails loudly for an operation it does not model', async () => {
    const transport = createSandboxTransport(parseScenario(baseScenario(), 'test'));
    await expect(transport({ service: 'apigateway', operation: 'GetMethod', input: {}, accountId: HOME, region: 'us-east-1' })).rejects.toMatchObject({
      name: 'SandboxUnsupportedOperation',
      message: expect.stringContaining('apigateway:GetMethod'),
    });
  });

  it('throws a not-found error for an account the scenario does not have', async () => {
    const transport = createSandboxTransport(parseScenario(baseScenario(), 'test'));
    await expect(transport({ service: 'sts', operation: 'GetCallerIdentity', input: {}, accountId: '999999999999', region: 'us-east-1' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers another region as an empty account', async () => {
    const transport = createSandboxTransport(parseScenario(baseScenario(), 'test'));
    await expect(transport({ service: 'apigateway', operation: 'GetRestApi', input: { restApiId: 'a1b2c3d4e5' }, accountId: HOME, region: 'eu-west-1' })).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });
});
