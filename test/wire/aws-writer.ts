import {
  APIGatewayClient,
  CreateAuthorizerCommand as CreateRestAuthorizerCommand,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand as CreateRestDeploymentCommand,
  CreateDomainNameCommand as CreateRestDomainNameCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand as CreateRestStageCommand,
  CreateUsagePlanCommand,
  GetResourcesCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateAccountCommand,
  UpdateStageCommand,
  type GatewayResponseType,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateAuthorizerCommand as CreateHttpAuthorizerCommand,
  CreateDomainNameCommand as CreateHttpDomainNameCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand as CreateHttpStageCommand,
  CreateVpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand, type MetricDatum, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, CreateLogStreamCommand, CloudWatchLogsClient, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  AssociateRouteTableCommand,
  CreateRouteCommand as CreateEc2RouteCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { AttachPolicyCommand, CreateOrganizationCommand, CreatePolicyCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AssociateWebACLCommand, CreateWebACLCommand, WAFV2Client, type Rule as WafRule } from '@aws-sdk/client-wafv2';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { z } from 'zod';
import { ACCESS_LOG_PRESETS } from '../../src/sandbox/access-log.js';
import { generateHttpTraffic } from '../../src/sandbox/http-traffic.js';
import { parseScenario } from '../../src/sandbox/load.js';
import { buildMetricStore, type MetricStore } from '../../src/sandbox/metrics.js';
import { METRIC_UNITS } from '../../src/sandbox/services/cloudwatch-metrics.js';
import { dimensionList } from '../../src/sources/metrics/read.js';
import type { scenarioSchema} from '../../src/sandbox/scenario.js';
import { type Scenario } from '../../src/sandbox/scenario.js';
import { generateTraffic, type GeneratedEvent } from '../../src/sandbox/traffic.js';
import { websocketTrafficSources } from '../../src/sandbox/websocket-traffic.js';

/**
 * The builder: writes an account described as a sandbox scenario (the scenario format, in the AWS
 * APIs' own shapes) onto an AWS endpoint (moto here) through the SDK v3 *write* clients, which
 * only tests use. What the service assigns (ids, the names of domains, endpoint interfaces) is
 * read from its answers and put into the same description, which becomes the sandbox mirror of
 * the account: one description, two worlds, compared finding by finding.
 */
export type ScenarioInput = z.input<typeof scenarioSchema>;
type AccountInput = ScenarioInput['accounts'][number];
type RestApiInput = NonNullable<NonNullable<AccountInput['apigateway']>['restApis']>[number];
type HttpApiInput = NonNullable<NonNullable<AccountInput['apigatewayv2']>['apis']>[number];

export interface WireTarget {
  endpoint: string;
  region: string;
  /** Credentials of an account (moto keeps one world per account, chosen by the credentials). */
  credentials(accountId: string): Promise<AwsCredentialIdentity>;
}

export interface BuiltAccount {
  /** The description with the service's ids and names in it: the sandbox mirror, as written. */
  mirrorInput: ScenarioInput;
  /** The same, parsed. */
  mirror: Scenario;
  /** Description value → what the service assigned. */
  assigned: Map<string, string>;
  /** AWS write calls made, for the record. */
  calls: number;
}

/** moto answers accounts by credentials: an AssumeRole into an account gives that account's world. */
export async function accountCredentials(endpoint: string, region: string, accountId: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/wire-builder`, RoleSessionName: 'wire-builder' }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`no credentials for account ${accountId}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}) };
}

const roleName = (arn: string) => arn.split('/').pop() ?? arn;
const TRUST_LAMBDA = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
/** A deployment package the emulator stores and never runs. */
const ZIP = Buffer.from('UEsDBBQAAAAIAAAAIQAAAAAAAAAAAAAAAAAIAAAAaW5kZXguanNLrSjILypRSMvPBwBQSwECFAAUAAAACAAAACEAAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAAAAAAGluZGV4LmpzUEsFBgAAAAABAAEANgAAACYAAAAAAA==', 'base64');
/** The rule AWS gives every new security group. */
const DEFAULT_EGRESS = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
/** PutLogEvents accepts at most 10,000 events or 1 MB per call. */
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 900_000;
/** PutMetricData takes up to 1,000 metrics (and 1 MB) a call; half of that keeps well inside both. */
const MAX_METRIC_DATA = 500;

class Writer {
  calls = 0;
  private readonly apigw: APIGatewayClient;
  private readonly v2: ApiGatewayV2Client;
  private readonly logs: CloudWatchLogsClient;
  private readonly ec2: EC2Client;
  private readonly iam: IAMClient;
  private readonly lambda: LambdaClient;
  private readonly waf: WAFV2Client;
  private readonly org: OrganizationsClient;
  private readonly cloudwatch: CloudWatchClient;
  private readonly roles = new Set<string>();

  /**
   * `assigned` is shared by the writers of every account of a description: an id one account's
   * service assigns (a consumer's endpoint) is named in another's (the API's policy).
   */
  constructor(
    private readonly target: Pick<WireTarget, 'endpoint' | 'region'>,
    credentials: AwsCredentialIdentity,
    readonly assigned: Map<string, string>,
  ) {
    const config = { endpoint: target.endpoint, region: target.region, credentials, maxAttempts: 2 };
    this.apigw = new APIGatewayClient(config);
    this.v2 = new ApiGatewayV2Client(config);
    this.logs = new CloudWatchLogsClient(config);
    this.ec2 = new EC2Client(config);
    this.iam = new IAMClient(config);
    this.lambda = new LambdaClient(config);
    this.waf = new WAFV2Client(config);
    this.org = new OrganizationsClient(config);
    // The SDK gzips PutMetricData bodies over 10 KiB; moto 5.2.1 cannot read them (HTTP 500), AWS can.
    this.cloudwatch = new CloudWatchClient({ ...config, disableRequestCompression: true });
  }

  /** One write call, counted; the error names the call that failed. */
  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    this.calls += 1;
    try {
      return await work();
    } catch (err) {
      throw new Error(`building the wire account: ${what} failed: ${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
  }

  private assign(described: string | undefined, real: string | undefined): void {
    if (described && real && described !== real) this.assigned.set(described, real);
  }

  /** The real value for a described one (an id the service assigned), else itself. */
  private real(value: string): string;
  private real(value: string | undefined): string | undefined;
  private real(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    let out = value;
    for (const [from, to] of [...this.assigned].sort((a, b) => b[0].length - a[0].length)) out = out.split(from).join(to);
    return out;
  }

  async role(arn: string | undefined): Promise<string> {
    const name = roleName(arn ?? 'wire-lambda');
    if (!this.roles.has(name)) {
      await this.call(`iam:CreateRole ${name}`, () => this.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST_LAMBDA })));
      this.roles.add(name);
    }
    return `arn:aws:iam::${arn?.split(':')[4] || 'x'}:role/${name}`;
  }

  /** Roles' inline policies (WebSocket backends' execute-api:ManageConnections), on roles made here or by `role`. */
  async rolePolicies(iam: NonNullable<AccountInput['iam']>, accountId: string): Promise<void> {
    for (const role of iam.roles ?? []) {
      await this.role(`arn:aws:iam::${accountId}:role/${role.RoleName}`);
      for (const policy of role.inlinePolicies ?? []) {
        await this.call(`iam:PutRolePolicy ${role.RoleName}`, () => this.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: policy.PolicyName, PolicyDocument: this.real(JSON.stringify(policy.PolicyDocument)) })));
      }
    }
  }

  // ------------------------------------------------------------------ EC2

  async ec2Account(ec2: NonNullable<AccountInput['ec2']>, mirror: AccountInput): Promise<void> {
    for (const vpc of ec2.vpcs ?? []) {
      const out = await this.call('ec2:CreateVpc', () => this.ec2.send(new CreateVpcCommand({ CidrBlock: vpc.CidrBlock ?? '10.0.0.0/16' })));
      this.assign(vpc.VpcId, out.Vpc?.VpcId);
      const id = out.Vpc?.VpcId ?? '';
      await this.call('ec2:ModifyVpcAttribute', () => this.ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsSupport: { Value: vpc.enableDnsSupport ?? true } })));
      await this.call('ec2:ModifyVpcAttribute', () => this.ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: vpc.enableDnsHostnames ?? true } })));
    }
    for (const subnet of ec2.subnets ?? []) {
      const out = await this.call('ec2:CreateSubnet', () =>
        this.ec2.send(new CreateSubnetCommand({ VpcId: this.real(subnet.VpcId), CidrBlock: subnet.CidrBlock ?? '10.0.1.0/24', ...(subnet.AvailabilityZone ? { AvailabilityZone: subnet.AvailabilityZone } : {}) })),
      );
      this.assign(subnet.SubnetId, out.Subnet?.SubnetId);
    }
    for (const group of ec2.securityGroups ?? []) {
      const out = await this.call('ec2:CreateSecurityGroup', () =>
        this.ec2.send(new CreateSecurityGroupCommand({ GroupName: group.GroupName ?? group.GroupId, Description: group.Description ?? 'wire', VpcId: this.real(group.VpcId) })),
      );
      this.assign(group.GroupId, out.GroupId);
    }
    // Rules after every group exists: a rule may name another group as its source.
    for (const group of ec2.securityGroups ?? []) {
      const GroupId = this.real(group.GroupId);
      const ingress = (group.IpPermissions ?? []) as IpPermission[];
      if (ingress.length) await this.call('ec2:AuthorizeSecurityGroupIngress', () => this.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: this.realDeep(ingress) })));
      if (group.IpPermissionsEgress) {
        // AWS gives every new group an allow-all egress rule; a description that says otherwise replaces it.
        await this.call('ec2:RevokeSecurityGroupEgress', () => this.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: DEFAULT_EGRESS })));
        const egress = group.IpPermissionsEgress as IpPermission[];
        if (egress.length) await this.call('ec2:AuthorizeSecurityGroupEgress', () => this.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: this.realDeep(egress) })));
      }
    }
    // What AWS does on its own, written into the mirror: the default egress rule of new groups.
    for (const group of mirror.ec2?.securityGroups ?? []) group.IpPermissionsEgress ??= structuredClone(DEFAULT_EGRESS);
    for (const table of ec2.routeTables ?? []) {
      const out = await this.call('ec2:CreateRouteTable', () => this.ec2.send(new CreateRouteTableCommand({ VpcId: this.real(table.VpcId) })));
      const id = out.RouteTable?.RouteTableId ?? '';
      this.assign(table.RouteTableId, id);
      for (const a of table.Associations ?? []) if (a.SubnetId) await this.call('ec2:AssociateRouteTable', () => this.ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: this.real(a.SubnetId) })));
      for (const route of table.Routes ?? []) {
        const extra = route as { NatGatewayId?: string; GatewayId?: string };
        // The local route comes with the table.
        if (route.DestinationCidrBlock && (extra.NatGatewayId || (extra.GatewayId && extra.GatewayId !== 'local'))) {
          await this.call('ec2:CreateRoute', () =>
            this.ec2.send(new CreateEc2RouteCommand({ RouteTableId: id, DestinationCidrBlock: route.DestinationCidrBlock, ...(extra.NatGatewayId ? { NatGatewayId: extra.NatGatewayId } : {}), ...(extra.GatewayId ? { GatewayId: extra.GatewayId } : {}) })),
          );
        }
      }
    }
    const mirrorEndpoints = mirror.ec2?.vpcEndpoints ?? [];
    for (const [index, endpoint] of (ec2.vpcEndpoints ?? []).entries()) {
      const policy = endpoint.PolicyDocument;
      const out = await this.call('ec2:CreateVpcEndpoint', () =>
        this.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: this.real(endpoint.VpcId),
            ServiceName: endpoint.ServiceName,
            VpcEndpointType: 'Interface',
            SubnetIds: (endpoint.SubnetIds ?? []).map((s) => this.real(s)),
            SecurityGroupIds: (endpoint.Groups ?? []).map((g) => this.real(g.GroupId)),
            PrivateDnsEnabled: endpoint.PrivateDnsEnabled ?? false,
            ...(policy ? { PolicyDocument: this.real(typeof policy === 'string' ? policy : JSON.stringify(policy)) } : {}),
          }),
        ),
      );
      const created = out.VpcEndpoint;
      this.assign(endpoint.VpcEndpointId, created?.VpcEndpointId);
      // The interfaces AWS makes for the endpoint: their ids and addresses are the service's.
      const eniIds = created?.NetworkInterfaceIds ?? [];
      const mirrorEndpoint = mirrorEndpoints[index];
      if (mirrorEndpoint) mirrorEndpoint.NetworkInterfaceIds = eniIds;
      if (eniIds.length) {
        const enis = await this.call('ec2:DescribeNetworkInterfaces', () => this.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds })));
        mirror.ec2 ??= {};
        mirror.ec2.networkInterfaces = [
          ...(mirror.ec2.networkInterfaces ?? []),
          ...(enis.NetworkInterfaces ?? []).map((eni) => ({
            NetworkInterfaceId: eni.NetworkInterfaceId ?? '',
            ...(eni.PrivateIpAddress ? { PrivateIpAddress: eni.PrivateIpAddress } : {}),
            ...(eni.SubnetId ? { SubnetId: eni.SubnetId } : {}),
            ...(eni.VpcId ? { VpcId: eni.VpcId } : {}),
            InterfaceType: 'vpc_endpoint',
            Groups: (eni.Groups ?? []).map((g) => ({ GroupId: g.GroupId ?? '' })),
          })),
        ];
      }
    }
  }

  async flowLogs(ec2: NonNullable<AccountInput['ec2']>, accountId: string): Promise<void> {
    for (const flow of ec2.flowLogs ?? []) {
      const out = await this.call('ec2:CreateFlowLogs', () =>
        this.ec2.send(
          new CreateFlowLogsCommand({
            ResourceIds: [this.real(flow.ResourceId)],
            ResourceType: flow.ResourceId.startsWith('vpc-') ? 'VPC' : flow.ResourceId.startsWith('subnet-') ? 'Subnet' : 'NetworkInterface',
            TrafficType: flow.TrafficType ?? 'ALL',
            LogDestinationType: 'cloud-watch-logs',
            LogGroupName: flow.LogGroupName,
            DeliverLogsPermissionArn: `arn:aws:iam::${accountId}:role/wire-flow-logs`,
            ...(flow.LogFormat ? { LogFormat: flow.LogFormat } : {}),
          }),
        ),
      );
      this.assign(flow.FlowLogId, out.FlowLogIds?.[0]);
    }
  }

  // ------------------------------------------------------------------ Lambda, WAF, Organizations

  async functions(lambda: NonNullable<AccountInput['lambda']>): Promise<void> {
    for (const fn of lambda.functions ?? []) {
      const role = await this.role(fn.Role);
      const vpc = fn.VpcConfig;
      // Not in the scenario schema (firebreak reads it from GetFunctionConfiguration as is).
      const environment = fn.Environment as { Variables?: Record<string, string> } | undefined;
      await this.call(`lambda:CreateFunction ${fn.FunctionName}`, () =>
        this.lambda.send(
          new CreateFunctionCommand({
            FunctionName: fn.FunctionName,
            Runtime: (fn.Runtime ?? 'nodejs20.x') as 'nodejs20.x',
            Handler: fn.Handler ?? 'index.handler',
            Role: role,
            Code: { ZipFile: ZIP },
            ...(fn.Timeout ? { Timeout: fn.Timeout } : {}),
            ...(fn.MemorySize ? { MemorySize: fn.MemorySize } : {}),
            ...(vpc ? { VpcConfig: { SubnetIds: (vpc.SubnetIds ?? []).map((s) => this.real(s)), SecurityGroupIds: (vpc.SecurityGroupIds ?? []).map((g) => this.real(g)) } } : {}),
            ...(environment ? { Environment: environment } : {}),
          }),
        ),
      );
      if (fn.reservedConcurrency !== undefined) {
        await this.call('lambda:PutFunctionConcurrency', () => this.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: fn.reservedConcurrency })));
      }
    }
  }

  /** Resource policies last: their source ARNs name APIs whose ids the service assigns. */
  async permissions(lambda: NonNullable<AccountInput['lambda']>): Promise<void> {
    for (const fn of lambda.functions ?? []) {
      const policy = typeof fn.policy === 'string' ? JSON.parse(fn.policy) : fn.policy;
      for (const [i, statement] of ((policy?.Statement ?? []) as PermissionStatement[]).entries()) {
        const principal = typeof statement.Principal === 'string' ? statement.Principal : (statement.Principal?.Service ?? statement.Principal?.AWS);
        const sourceArn = statement.Condition?.ArnLike?.['AWS:SourceArn'] ?? statement.Condition?.ArnEquals?.['AWS:SourceArn'];
        const sourceAccount = statement.Condition?.StringEquals?.['AWS:SourceAccount'];
        await this.call('lambda:AddPermission', () =>
          this.lambda.send(
            new AddPermissionCommand({
              FunctionName: fn.FunctionName,
              StatementId: statement.Sid ?? `wire-${i}`,
              Action: Array.isArray(statement.Action) ? statement.Action[0] : (statement.Action ?? 'lambda:InvokeFunction'),
              Principal: String(principal ?? 'apigateway.amazonaws.com'),
              ...(sourceArn ? { SourceArn: this.real(sourceArn) } : {}),
              ...(sourceAccount ? { SourceAccount: sourceAccount } : {}),
            }),
          ),
        );
      }
    }
  }

  async webAcls(wafv2: NonNullable<AccountInput['wafv2']>, accountId: string): Promise<void> {
    for (const acl of wafv2.webAcls ?? []) {
      const rules: WafRule[] = (acl.Rules ?? []).map((rule) => {
        const r = rule as { Name: string; Priority: number; Action?: WafRule['Action']; Statement?: WafRule['Statement'] };
        return {
          Name: r.Name,
          Priority: r.Priority,
          Action: r.Action ?? { Block: {} },
          Statement: r.Statement ?? { GeoMatchStatement: { CountryCodes: ['KP'] } },
          VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: r.Name },
        };
      });
      const out = await this.call('wafv2:CreateWebACL', () =>
        this.waf.send(
          new CreateWebACLCommand({
            Name: acl.Name,
            Scope: 'REGIONAL',
            DefaultAction: acl.DefaultAction.Block !== undefined ? { Block: {} } : { Allow: {} },
            Rules: rules,
            VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl.Name },
          }),
        ),
      );
      this.assign(acl.Id, out.Summary?.Id);
      const described = acl.ARN ?? `arn:aws:wafv2:${this.target.region}:${accountId}:regional/webacl/${acl.Name}/${acl.Id}`;
      this.assign(described, out.Summary?.ARN);
    }
  }

  async scps(organizations: NonNullable<AccountInput['organizations']>, accountId: string, mirror: AccountInput): Promise<void> {
    if (!organizations.policies?.length) return;
    // What AWS does on its own, written into the mirror: FullAWSAccess is attached to every
    // account of an organization, and ListPoliciesForTarget lists it with the others.
    const policies = mirror.organizations?.policies ?? [];
    if (!policies.some((p) => p.Name === 'FullAWSAccess')) {
      policies.unshift({ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', Content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });
    }
    await this.call('organizations:CreateOrganization', () => this.org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' })));
    for (const policy of organizations.policies) {
      const out = await this.call('organizations:CreatePolicy', () =>
        this.org.send(
          new CreatePolicyCommand({
            Name: policy.Name ?? policy.Id,
            Description: 'wire',
            Type: 'SERVICE_CONTROL_POLICY',
            Content: typeof policy.Content === 'string' ? policy.Content : JSON.stringify(policy.Content),
          }),
        ),
      );
      this.assign(policy.Id, out.Policy?.PolicySummary?.Id);
      await this.call('organizations:AttachPolicy', () => this.org.send(new AttachPolicyCommand({ PolicyId: out.Policy?.PolicySummary?.Id, TargetId: accountId })));
    }
  }

  // ------------------------------------------------------------------ API Gateway (REST)

  async restAccount(apigateway: NonNullable<AccountInput['apigateway']>, mirror: NonNullable<AccountInput['apigateway']>): Promise<void> {
    if (apigateway.account?.cloudwatchRoleArn) {
      const arn = apigateway.account.cloudwatchRoleArn;
      await this.call('apigateway:UpdateAccount', () => this.apigw.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: arn }] })));
    }
    for (const [index, api] of (apigateway.restApis ?? []).entries()) await this.restApi(api, mirror.restApis?.[index]);
    for (const plan of apigateway.usagePlans ?? []) {
      const out = await this.call('apigateway:CreateUsagePlan', () =>
        this.apigw.send(
          new CreateUsagePlanCommand({
            name: plan.name,
            apiStages: (plan.apiStages ?? []).map((s) => ({ apiId: s.apiId, stage: s.stage })),
            ...(plan.throttle ? { throttle: plan.throttle } : {}),
            ...(plan.quota ? { quota: plan.quota } : {}),
          }),
        ),
      );
      this.assign(plan.id, out.id);
    }
    for (const [index, domain] of (apigateway.domainNames ?? []).entries()) {
      const types = domain.endpointConfiguration?.types ?? ['REGIONAL'];
      const out = await this.call(`apigateway:CreateDomainName ${domain.domainName}`, () =>
        this.apigw.send(
          new CreateRestDomainNameCommand({
            domainName: domain.domainName,
            endpointConfiguration: { types },
            ...(types.includes('EDGE') ? { certificateArn: `arn:aws:acm:us-east-1:000000000000:certificate/wire` } : { regionalCertificateArn: `arn:aws:acm:${this.target.region}:000000000000:certificate/wire` }),
            ...(domain.securityPolicy ? { securityPolicy: domain.securityPolicy as 'TLS_1_2' } : {}),
          }),
        ),
      );
      // The name API Gateway gives the domain is the service's: the mirror takes it.
      const mirrorDomain = mirror.domainNames?.[index];
      if (mirrorDomain) {
        if (types.includes('EDGE')) mirrorDomain.distributionDomainName = out.distributionDomainName;
        else mirrorDomain.regionalDomainName = out.regionalDomainName;
        if (out.regionalHostedZoneId && !types.includes('EDGE')) mirrorDomain.regionalHostedZoneId = out.regionalHostedZoneId;
      }
      for (const mapping of domain.basePathMappings ?? []) {
        await this.call('apigateway:CreateBasePathMapping', () =>
          this.apigw.send(new CreateBasePathMappingCommand({ domainName: domain.domainName, restApiId: mapping.restApiId, ...(mapping.stage ? { stage: mapping.stage } : {}), basePath: mapping.basePath ?? '(none)' })),
        );
      }
    }
  }

  private async restApi(api: RestApiInput, mirror: RestApiInput | undefined): Promise<void> {
    const policy = api.policy === undefined ? undefined : typeof api.policy === 'string' ? api.policy : JSON.stringify(api.policy);
    // moto takes the id asked for (its `_custom_id_` tag): REST ids stay those of the description.
    await this.call(`apigateway:CreateRestApi ${api.id}`, () =>
      this.apigw.send(
        new CreateRestApiCommand({
          name: api.name,
          ...(api.description ? { description: api.description } : {}),
          endpointConfiguration: { types: api.endpointConfiguration?.types ?? ['REGIONAL'], ...(api.endpointConfiguration?.vpcEndpointIds ? { vpcEndpointIds: api.endpointConfiguration.vpcEndpointIds.map((id) => this.real(id)) } : {}) },
          ...(policy ? { policy: this.real(policy) } : {}),
          ...(api.disableExecuteApiEndpoint !== undefined ? { disableExecuteApiEndpoint: api.disableExecuteApiEndpoint } : {}),
          ...(api.apiKeySource ? { apiKeySource: api.apiKeySource } : {}),
          tags: { _custom_id_: api.id },
        }),
      ),
    );
    const restApiId = api.id;
    for (const authorizer of api.authorizers ?? []) {
      const out = await this.call('apigateway:CreateAuthorizer', () =>
        this.apigw.send(
          new CreateRestAuthorizerCommand({
            restApiId,
            name: authorizer.name,
            type: authorizer.type,
            ...(authorizer.authorizerUri ? { authorizerUri: authorizer.authorizerUri } : {}),
            ...(authorizer.identitySource ? { identitySource: authorizer.identitySource } : {}),
            ...(authorizer.authorizerResultTtlInSeconds !== undefined ? { authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds } : {}),
            ...(authorizer.authorizerCredentials ? { authorizerCredentials: authorizer.authorizerCredentials } : {}),
            ...((authorizer as { providerARNs?: string[] }).providerARNs ? { providerARNs: (authorizer as { providerARNs?: string[] }).providerARNs } : {}),
          }),
        ),
      );
      this.assign(authorizer.id, out.id);
    }
    const existing = await this.call('apigateway:GetResources', () => this.apigw.send(new GetResourcesCommand({ restApiId, limit: 500 })));
    const byPath = new Map((existing.items ?? []).map((r) => [r.path ?? '', r.id ?? '']));
    const resourceAt = async (path: string): Promise<string> => {
      const known = byPath.get(path);
      if (known) return known;
      const cut = path.lastIndexOf('/');
      const parentId = await resourceAt(cut <= 0 ? '/' : path.slice(0, cut));
      const out = await this.call(`apigateway:CreateResource ${path}`, () => this.apigw.send(new CreateResourceCommand({ restApiId, parentId, pathPart: path.slice(cut + 1) })));
      byPath.set(path, out.id ?? '');
      return out.id ?? '';
    };
    for (const resource of api.resources ?? []) {
      const resourceId = await resourceAt(resource.path);
      for (const [httpMethod, method] of Object.entries(resource.resourceMethods ?? {})) {
        await this.call(`apigateway:PutMethod ${httpMethod} ${resource.path}`, () =>
          this.apigw.send(
            new PutMethodCommand({
              restApiId,
              resourceId,
              httpMethod,
              authorizationType: method.authorizationType ?? 'NONE',
              ...(method.authorizerId ? { authorizerId: this.real(method.authorizerId) } : {}),
              ...(method.apiKeyRequired !== undefined ? { apiKeyRequired: method.apiKeyRequired } : {}),
            }),
          ),
        );
        const integration = method.methodIntegration;
        if (!integration) continue;
        await this.call(`apigateway:PutIntegration ${httpMethod} ${resource.path}`, () =>
          this.apigw.send(
            new PutIntegrationCommand({
              restApiId,
              resourceId,
              httpMethod,
              type: integration.type,
              ...(integration.uri ? { uri: integration.uri } : {}),
              ...(integration.httpMethod ? { integrationHttpMethod: integration.httpMethod } : {}),
              ...(integration.credentials ? { credentials: integration.credentials } : {}),
              ...(integration.timeoutInMillis ? { timeoutInMillis: integration.timeoutInMillis } : {}),
              ...(integration.connectionType ? { connectionType: integration.connectionType } : {}),
            }),
          ),
        );
      }
    }
    for (const response of api.gatewayResponses ?? []) {
      await this.call('apigateway:PutGatewayResponse', () =>
        this.apigw.send(
          new PutGatewayResponseCommand({
            restApiId,
            responseType: response.responseType as GatewayResponseType,
            ...(response.statusCode ? { statusCode: response.statusCode } : {}),
            ...(response.responseParameters ? { responseParameters: response.responseParameters } : {}),
            ...(response.responseTemplates ? { responseTemplates: response.responseTemplates } : {}),
          }),
        ),
      );
    }
    // Stages come from deployments: the first stage of a deployment makes it, the others share it.
    const deploymentIds = new Map<string, string>();
    for (const stage of api.stages ?? []) {
      const described = stage.deploymentId ?? `wire-deployment-${stage.stageName}`;
      const known = deploymentIds.get(described);
      if (known) {
        await this.call('apigateway:CreateStage', () => this.apigw.send(new CreateRestStageCommand({ restApiId, stageName: stage.stageName, deploymentId: known })));
      } else {
        const out = await this.call('apigateway:CreateDeployment', () => this.apigw.send(new CreateRestDeploymentCommand({ restApiId, stageName: stage.stageName })));
        deploymentIds.set(described, out.id ?? '');
        this.assign(stage.deploymentId, out.id);
        const deployment = mirror?.deployments?.find((d) => d.id === stage.deploymentId);
        if (deployment && out.createdDate) deployment.createdDate = out.createdDate.toISOString();
      }
      const patch = stagePatch(stage);
      if (patch.length) await this.call(`apigateway:UpdateStage ${stage.stageName}`, () => this.apigw.send(new UpdateStageCommand({ restApiId, stageName: stage.stageName, patchOperations: patch })));
      if (stage.webAclArn) {
        const webAclArn = this.real(stage.webAclArn);
        await this.call('wafv2:AssociateWebACL', () =>
          this.waf.send(new AssociateWebACLCommand({ WebACLArn: webAclArn, ResourceArn: `arn:aws:apigateway:${this.target.region}::/restapis/${restApiId}/stages/${stage.stageName}` })),
        );
      }
    }
  }

  // ------------------------------------------------------------------ API Gateway v2 (HTTP APIs)

  async httpAccount(v2: NonNullable<AccountInput['apigatewayv2']>, mirror: NonNullable<AccountInput['apigatewayv2']>): Promise<void> {
    for (const link of v2.vpcLinks ?? []) {
      const out = await this.call('apigatewayv2:CreateVpcLink', () =>
        this.v2.send(new CreateVpcLinkCommand({ Name: link.Name ?? link.VpcLinkId, SubnetIds: (link.SubnetIds ?? []).map((s) => this.real(s)), SecurityGroupIds: (link.SecurityGroupIds ?? []).map((g) => this.real(g)) })),
      );
      this.assign(link.VpcLinkId, out.VpcLinkId);
    }
    for (const api of v2.apis ?? []) await this.httpApi(api);
    for (const [index, domain] of (v2.domainNames ?? []).entries()) {
      const configs = domain.DomainNameConfigurations ?? [{}];
      const out = await this.call(`apigatewayv2:CreateDomainName ${domain.DomainName}`, () =>
        this.v2.send(
          new CreateHttpDomainNameCommand({
            DomainName: domain.DomainName,
            DomainNameConfigurations: configs.map((c) => ({
              CertificateArn: c.CertificateArn ?? `arn:aws:acm:${this.target.region}:000000000000:certificate/wire`,
              EndpointType: c.EndpointType ?? 'REGIONAL',
              SecurityPolicy: (c.SecurityPolicy ?? 'TLS_1_2') as 'TLS_1_2',
            })),
          }),
        ),
      );
      const mirrorConfigs = mirror.domainNames?.[index]?.DomainNameConfigurations;
      for (const [i, config] of (out.DomainNameConfigurations ?? []).entries()) {
        const target = mirrorConfigs?.[i];
        if (target && config.ApiGatewayDomainName) target.ApiGatewayDomainName = config.ApiGatewayDomainName;
      }
      for (const mapping of domain.apiMappings ?? []) {
        const out2 = await this.call('apigatewayv2:CreateApiMapping', () =>
          this.v2.send(new CreateApiMappingCommand({ DomainName: domain.DomainName, ApiId: this.real(mapping.ApiId), Stage: mapping.Stage, ...(mapping.ApiMappingKey ? { ApiMappingKey: mapping.ApiMappingKey } : {}) })),
        );
        this.assign(mapping.ApiMappingId, out2.ApiMappingId);
      }
    }
  }

  private async httpApi(api: HttpApiInput): Promise<void> {
    const out = await this.call(`apigatewayv2:CreateApi ${api.Name}`, () =>
      this.v2.send(
        new CreateApiCommand({
          Name: api.Name,
          ProtocolType: api.ProtocolType ?? 'HTTP',
          ...(api.Description ? { Description: api.Description } : {}),
          ...(api.CorsConfiguration ? { CorsConfiguration: api.CorsConfiguration } : {}),
          ...(api.DisableExecuteApiEndpoint !== undefined ? { DisableExecuteApiEndpoint: api.DisableExecuteApiEndpoint } : {}),
          ...(api.RouteSelectionExpression ? { RouteSelectionExpression: api.RouteSelectionExpression } : {}),
        }),
      ),
    );
    // HTTP API ids are the service's (moto makes 8 characters, AWS 10): the mirror takes it.
    this.assign(api.ApiId, out.ApiId);
    const ApiId = out.ApiId ?? '';
    for (const integration of api.integrations ?? []) {
      const made = await this.call('apigatewayv2:CreateIntegration', () =>
        this.v2.send(
          new CreateIntegrationCommand({
            ApiId,
            IntegrationType: integration.IntegrationType,
            ...(integration.IntegrationUri ? { IntegrationUri: this.real(integration.IntegrationUri) } : {}),
            ...(integration.IntegrationMethod ? { IntegrationMethod: integration.IntegrationMethod } : {}),
            ...(integration.PayloadFormatVersion ? { PayloadFormatVersion: integration.PayloadFormatVersion } : {}),
            ...(integration.TimeoutInMillis ? { TimeoutInMillis: integration.TimeoutInMillis } : {}),
            ...(integration.ConnectionType ? { ConnectionType: integration.ConnectionType } : {}),
            ...(integration.ConnectionId ? { ConnectionId: this.real(integration.ConnectionId) } : {}),
            ...(integration.CredentialsArn ? { CredentialsArn: integration.CredentialsArn } : {}),
          }),
        ),
      );
      this.assign(integration.IntegrationId, made.IntegrationId);
    }
    for (const authorizer of api.authorizers ?? []) {
      const made = await this.call('apigatewayv2:CreateAuthorizer', () =>
        this.v2.send(
          new CreateHttpAuthorizerCommand({
            ApiId,
            Name: authorizer.Name,
            AuthorizerType: authorizer.AuthorizerType,
            IdentitySource: authorizer.IdentitySource ?? ['$request.header.Authorization'],
            ...(authorizer.JwtConfiguration ? { JwtConfiguration: authorizer.JwtConfiguration } : {}),
            ...(authorizer.AuthorizerUri ? { AuthorizerUri: authorizer.AuthorizerUri } : {}),
            ...(authorizer.AuthorizerPayloadFormatVersion ? { AuthorizerPayloadFormatVersion: authorizer.AuthorizerPayloadFormatVersion } : {}),
            ...(authorizer.EnableSimpleResponses !== undefined ? { EnableSimpleResponses: authorizer.EnableSimpleResponses } : {}),
            ...(authorizer.AuthorizerResultTtlInSeconds !== undefined ? { AuthorizerResultTtlInSeconds: authorizer.AuthorizerResultTtlInSeconds } : {}),
          }),
        ),
      );
      this.assign(authorizer.AuthorizerId, made.AuthorizerId);
    }
    for (const route of api.routes ?? []) {
      const made = await this.call(`apigatewayv2:CreateRoute ${route.RouteKey}`, () =>
        this.v2.send(
          new CreateRouteCommand({
            ApiId,
            RouteKey: route.RouteKey,
            ...(route.AuthorizationType ? { AuthorizationType: route.AuthorizationType } : {}),
            ...(route.AuthorizerId ? { AuthorizerId: this.real(route.AuthorizerId) } : {}),
            ...(route.AuthorizationScopes ? { AuthorizationScopes: route.AuthorizationScopes } : {}),
            ...(route.Target ? { Target: this.real(route.Target) } : {}),
          }),
        ),
      );
      this.assign(route.RouteId, made.RouteId);
    }
    for (const stage of api.stages ?? []) {
      const access = stage.AccessLogSettings;
      await this.call(`apigatewayv2:CreateStage ${stage.StageName}`, () =>
        this.v2.send(
          new CreateHttpStageCommand({
            ApiId,
            StageName: stage.StageName,
            ...(stage.AutoDeploy !== undefined ? { AutoDeploy: stage.AutoDeploy } : {}),
            ...(stage.DefaultRouteSettings ? { DefaultRouteSettings: stage.DefaultRouteSettings } : {}),
            ...(stage.RouteSettings ? { RouteSettings: stage.RouteSettings } : {}),
            ...(stage.StageVariables ? { StageVariables: stage.StageVariables } : {}),
            ...(access ? { AccessLogSettings: { DestinationArn: access.DestinationArn, Format: access.Format } } : {}),
          }),
        ),
      );
    }
  }

  // ------------------------------------------------------------------ CloudWatch Logs

  async logGroup(name: string, retentionInDays?: number): Promise<void> {
    await this.call(`logs:CreateLogGroup ${name}`, () => this.logs.send(new CreateLogGroupCommand({ logGroupName: name })));
    if (retentionInDays) await this.call('logs:PutRetentionPolicy', () => this.logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays })));
  }

  /** Events into their streams, in time order, in batches PutLogEvents accepts. */
  async putEvents(group: string, events: Pick<GeneratedEvent, 'timestamp' | 'message' | 'logStreamName'>[]): Promise<void> {
    const byStream = new Map<string, { timestamp: number; message: string }[]>();
    for (const e of events) byStream.set(e.logStreamName, [...(byStream.get(e.logStreamName) ?? []), { timestamp: e.timestamp, message: e.message }]);
    for (const [stream, list] of byStream) {
      await this.call('logs:CreateLogStream', () => this.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })));
      list.sort((a, b) => a.timestamp - b.timestamp);
      let batch: typeof list = [];
      let bytes = 0;
      const flush = async () => {
        if (!batch.length) return;
        const logEvents = batch;
        batch = [];
        bytes = 0;
        const out = await this.call('logs:PutLogEvents', () => this.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents })));
        const rejected = out.rejectedLogEventsInfo;
        if (rejected && Object.values(rejected).some((v) => v !== undefined)) throw new Error(`PutLogEvents rejected events of ${group}: ${JSON.stringify(rejected)}`);
      };
      for (const event of list) {
        const size = Buffer.byteLength(event.message) + 26;
        if (batch.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES) await flush();
        batch.push(event);
        bytes += size;
      }
      await flush();
    }
  }

  // ------------------------------------------------------------------ CloudWatch metrics and alarms

  /**
   * The metrics the sandbox publishes for the account's traffic (`sandbox/metrics.ts`: the same
   * requests that write the logs), written by PutMetricData as one statistic set per series and
   * minute, at the minute's own time: both worlds answer GetMetricData from the same numbers.
   */
  async metrics(store: MetricStore, accountId: string): Promise<void> {
    const byNamespace = new Map<string, MetricDatum[]>();
    for (const metric of store.list(accountId)) {
      // In name order, as firebreak asks: moto matches a query only in the order the data was written.
      const Dimensions = dimensionList(metric.dimensions);
      const Unit = (METRIC_UNITS[metric.metricName] ?? 'Count') as MetricDatum['Unit'];
      const data = byNamespace.get(metric.namespace) ?? [];
      for (const [minute, agg] of metric.minutes) {
        data.push({ MetricName: metric.metricName, Dimensions, Timestamp: new Date(minute), Unit, StatisticValues: { Sum: agg.sum, SampleCount: agg.count, Minimum: agg.min, Maximum: agg.max } });
      }
      byNamespace.set(metric.namespace, data);
    }
    for (const [Namespace, data] of byNamespace) {
      for (let i = 0; i < data.length; i += MAX_METRIC_DATA) {
        const MetricData = data.slice(i, i + MAX_METRIC_DATA);
        await this.call(`cloudwatch:PutMetricData ${Namespace}`, () => this.cloudwatch.send(new PutMetricDataCommand({ Namespace, MetricData })));
      }
    }
  }

  /** The described alarms, then their state: a new alarm starts INSUFFICIENT_DATA on AWS (OK on moto). */
  async alarms(alarms: Scenario['alarms']): Promise<void> {
    for (const alarm of alarms) {
      const { AlarmName, StateValue, StateReason, AlarmArn: _arn, StateTransitionedTimestamp: _since, StateUpdatedTimestamp: _updated, StateReasonData: _data, AlarmRule: _rule, ...settings } = alarm;
      await this.call(`cloudwatch:PutMetricAlarm ${AlarmName}`, () => this.cloudwatch.send(new PutMetricAlarmCommand({ AlarmName, ...(settings as Omit<PutMetricAlarmCommandInput, 'AlarmName'>) })));
      await this.call('cloudwatch:SetAlarmState', () => this.cloudwatch.send(new SetAlarmStateCommand({ AlarmName, StateValue, StateReason: StateReason ?? `wire: ${StateValue}` })));
    }
  }

  /** A described value with every assigned id in it (a rule, a policy). */
  realDeep<T>(value: T): T {
    return JSON.parse(this.real(JSON.stringify(value))) as T;
  }
}

interface PermissionStatement {
  Sid?: string;
  Action?: string | string[];
  Principal?: string | { Service?: string; AWS?: string };
  Condition?: Record<string, Record<string, string>>;
}

/** UpdateStage patch operations for what a described stage sets (the `*\/*` method settings). */
function stagePatch(stage: NonNullable<RestApiInput['stages']>[number]): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const replace = (path: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) ops.push({ op: 'replace', path, value: String(value) });
  };
  for (const [key, settings] of Object.entries(stage.methodSettings ?? {})) {
    // `*/*` stays as it is; a resource path's slashes are escaped as ~1 in patch paths.
    const at = key === '*/*' ? '/*/*' : `/${key.replace(/\/([A-Z*]+)$/, '|$1').replace(/\//g, '~1').replace('|', '/')}`;
    replace(`${at}/logging/loglevel`, settings.loggingLevel);
    replace(`${at}/logging/dataTrace`, settings.dataTraceEnabled);
    replace(`${at}/metrics/enabled`, settings.metricsEnabled);
    replace(`${at}/throttling/rateLimit`, settings.throttlingRateLimit);
    replace(`${at}/throttling/burstLimit`, settings.throttlingBurstLimit);
  }
  replace('/accessLogSettings/destinationArn', stage.accessLogSettings?.destinationArn);
  replace('/accessLogSettings/format', stage.accessLogSettings?.format === undefined ? undefined : (presetFormat(stage.accessLogSettings.format) ?? stage.accessLogSettings.format));
  replace('/tracingEnabled', stage.tracingEnabled);
  for (const [name, value] of Object.entries((stage as { variables?: Record<string, string> }).variables ?? {})) replace(`/variables/${name}`, value);
  return ops;
}

/** The scenario format's preset names stand for the console's formats: the service gets the format itself. */
function presetFormat(format: string): string | undefined {
  return format === 'CLF' || format === 'JSON' ? ACCESS_LOG_PRESETS[format] : undefined;
}

/**
 * Writes `description` (a scenario: its accounts, the first the home account) into the accounts
 * `target` gives credentials for, and returns the mirror: the same description with the service's
 * ids, as a sandbox scenario. Each step runs for every account before the next, so what one
 * account names of another (a consumer's endpoint in the API's policy) exists by then.
 */
/** WebSocket traffic is generated per time slice: the whole of it (the window and the events that end after it), per log group. */
function websocketBatches(scenario: ReturnType<typeof parseScenario>): { accountId: string; logGroupName: string; events: GeneratedEvent[] }[] {
  const until = scenario.now.getTime() + 60_000;
  return websocketTrafficSources(scenario).map((source) => {
    const events: GeneratedEvent[] = [];
    source.eventsIn(until - 3 * 3600_000, until, events);
    return { accountId: source.accountId, logGroupName: source.logGroupName, events };
  });
}

export async function buildOnAws(description: ScenarioInput, target: WireTarget): Promise<BuiltAccount> {
  const assigned = new Map<string, string>();
  const mirror = structuredClone(description);
  const accounts = await Promise.all(
    description.accounts.map(async (account, index) => ({
      account,
      mirror: mirror.accounts[index] as AccountInput,
      writer: new Writer(target, await target.credentials(account.accountId), assigned),
    })),
  );
  const each = async (step: (a: (typeof accounts)[number]) => Promise<void>) => {
    for (const a of accounts) await step(a);
  };
  await each(async ({ account, mirror: m, writer }) => account.ec2 && writer.ec2Account(account.ec2, m));
  await each(async ({ account, writer }) => {
    for (const group of account.logs?.groups ?? []) await writer.logGroup(group.logGroupName, group.retentionInDays);
    if (account.ec2) await writer.flowLogs(account.ec2, account.accountId);
  });
  await each(async ({ account, writer }) => account.lambda && writer.functions(account.lambda));
  await each(async ({ account, mirror: m, writer }) => {
    if (account.wafv2) await writer.webAcls(account.wafv2, account.accountId);
    if (account.organizations) await writer.scps(account.organizations, account.accountId, m);
  });
  await each(async ({ account, mirror: m, writer }) => {
    if (account.apigateway) await writer.restAccount(account.apigateway, m.apigateway ?? {});
    if (account.apigatewayv2) await writer.httpAccount(account.apigatewayv2, m.apigatewayv2 ?? {});
  });
  await each(async ({ account, writer }) => account.lambda && writer.permissions(account.lambda));
  // After the APIs: the policies name them by the ids the service gave.
  await each(async ({ account, writer }) => account.iam && writer.rolePolicies(account.iam, account.accountId));


  const [home] = accounts as [(typeof accounts)[number]];
  const mirrorInput = home.writer.realDeep(mirror);
  const scenario = parseScenario(mirrorInput, `wire:${description.name}`);
  // Log events last, from the mirror (real ids in the lines): declared events, then the traffic the
  // sandbox generator renders for the same specs, so both worlds hold the same lines.
  for (const [index, { account, writer }] of accounts.entries()) {
    const declared = new Set((account.logs?.groups ?? []).map((g) => g.logGroupName));
    for (const group of scenario.accounts[index]?.logs?.groups ?? []) {
      if (group.events.length) await writer.putEvents(group.logGroupName, group.events.map((e) => ({ ...e, logStreamName: e.logStreamName ?? 'wire' })));
    }
    for (const batch of [...generateTraffic(scenario), ...generateHttpTraffic(scenario), ...websocketBatches(scenario)].filter((b) => b.accountId === account.accountId)) {
      if (!declared.has(batch.logGroupName)) {
        await writer.logGroup(batch.logGroupName);
        declared.add(batch.logGroupName);
      }
      await writer.putEvents(batch.logGroupName, batch.events);
    }
  }
  // Metrics from the same traffic, and the alarms on them, in the account each belongs to.
  const store = buildMetricStore(scenario);
  // An alarm lives in the account its ARN names, else the home account (as the sandbox answers).
  const ownerOf = (alarm: Scenario['alarms'][number]) => alarm.AlarmArn?.split(':')[4] ?? home.account.accountId;
  for (const { account, writer } of accounts) {
    await writer.metrics(store, account.accountId);
    await writer.alarms(scenario.alarms.filter((alarm) => ownerOf(alarm) === account.accountId));
  }
  return { mirrorInput, mirror: scenario, assigned, calls: accounts.reduce((n, a) => n + a.writer.calls, 0) };
}
