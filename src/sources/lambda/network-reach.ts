import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand, type RouteTable, type SecurityGroup } from '@aws-sdk/client-ec2';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../aws/clients.js';
import type { InterfaceEndpointReachEvidence, LambdaFunctionEvidence, LambdaNetworkReachEvidence, SubnetReachEvidence } from '../../core/evidence.js';
import { clientsFor, listText, plural } from '../cross-account.js';
import { admitsHttps } from '../ec2/ingress.js';
import { defineSource } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeLambdaAnswer } from './record.js';
import { writeEc2Answer } from '../ec2/record.js';

/**
 * Where a VPC-attached function can send its AWS calls. A function in a VPC has no public address:
 * it reaches an AWS service only through a NAT route or a VPC endpoint for that service (interface
 * endpoints need private DNS for the SDK's default hostname, and their security groups must admit
 * 443 from the function). Which services it needs comes from its environment (names and ARNs, not
 * values, are kept) and, in the rules, from the errors in its logs.
 */
const SERVICE_BY_NAME: [RegExp, string][] = [
  [/TABLE/i, 'dynamodb'],
  [/BUCKET/i, 's3'],
  [/QUEUE/i, 'sqs'],
  [/TOPIC/i, 'sns'],
  [/SECRET/i, 'secretsmanager'],
  [/PARAM(ETER)?_?(NAME|PATH)|SSM/i, 'ssm'],
  [/FUNCTION(_NAME|_ARN)?$/i, 'lambda'],
  [/ROLE_ARN|ASSUME_ROLE/i, 'sts'],
  [/STATE_MACHINE/i, 'states'],
  [/EVENT_BUS/i, 'events'],
  [/STREAM_NAME|KINESIS/i, 'kinesis'],
];

export function servicesFromEnvironment(variables: Record<string, string> | undefined): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(variables ?? {})) {
    for (const [pattern, service] of SERVICE_BY_NAME) if (pattern.test(name)) found.add(service);
    for (const m of value.matchAll(/arn:aws[\w-]*:([a-z0-9-]+):/g)) if (m[1] && m[1] !== 'iam') found.add(m[1]);
    for (const m of value.matchAll(/(?<![\w-])([a-z0-9-]+)\.(?:[a-z]{2}-[a-z]+-\d\.)?amazonaws\.com/g)) if (m[1]) found.add(m[1]);
  }
  return [...found].sort();
}

function ipv4(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts.reduce((n, p) => n * 256 + p, 0) : undefined;
}

function cidrRange(cidr: string): [number, number] | undefined {
  const [address = '', bits = '32'] = cidr.split('/');
  const base = ipv4(address);
  const size = 2 ** (32 - Number(bits));
  if (base === undefined || !Number.isFinite(size)) return undefined;
  const start = Math.floor(base / size) * size;
  return [start, start + size - 1];
}

function cidrContains(outer: string, inner: string): boolean {
  const a = cidrRange(outer);
  const b = cidrRange(inner);
  return !!a && !!b && a[0] <= b[0] && b[1] <= a[1];
}

function subnetReach(subnetId: string, tables: RouteTable[], gatewayEndpoints: { id: string; routeTableIds: string[] }[]): SubnetReachEvidence {
  const table = tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ?? tables.find((t) => t.Associations?.some((a) => a.Main));
  const defaultRoute = table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.State !== 'blackhole');
  const nat = Boolean(defaultRoute?.NatGatewayId || defaultRoute?.NetworkInterfaceId || defaultRoute?.InstanceId);
  const igw = Boolean(defaultRoute?.GatewayId?.startsWith('igw-'));
  const other = defaultRoute?.TransitGatewayId ?? defaultRoute?.VpcPeeringConnectionId;
  const viaRoutes = (table?.Routes ?? []).map((r) => r.GatewayId ?? '').filter((g) => g.startsWith('vpce-'));
  const viaEndpoints = gatewayEndpoints.filter((e) => table?.RouteTableId && e.routeTableIds.includes(table.RouteTableId)).map((e) => e.id);
  return {
    subnetId,
    ...(table?.RouteTableId ? { routeTableId: table.RouteTableId } : {}),
    natRoute: nat,
    internetGatewayOnly: igw && !nat,
    ...(other ? { otherDefaultRoute: other } : {}),
    gatewayEndpointIds: [...new Set([...viaRoutes, ...viaEndpoints])],
  };
}

function admits(groups: SecurityGroup[], groupIds: string[], fnGroups: string[], subnetCidrs: string[]): boolean | undefined {
  const relevant = groups.filter((g) => g.GroupId && groupIds.includes(g.GroupId));
  if (relevant.length < groupIds.length) return undefined;
  return relevant.some((g) =>
    (g.IpPermissions ?? []).some(
      (p) =>
        admitsHttps(p) &&
        ((p.UserIdGroupPairs ?? []).some((pair) => pair.GroupId && fnGroups.includes(pair.GroupId)) ||
          (p.IpRanges ?? []).some((r) => r.CidrIp && subnetCidrs.length > 0 && subnetCidrs.every((c) => cidrContains(r.CidrIp as string, c))) ||
          (p.PrefixListIds ?? []).length > 0),
    ),
  );
}

async function reachOf(fn: LambdaFunctionEvidence, clients: AwsClients): Promise<LambdaNetworkReachEvidence> {
  const subnetIds = fn.vpcConfig?.subnetIds ?? [];
  const fnGroups = fn.vpcConfig?.securityGroupIds ?? [];
  // Everything that needs only the function's VPC is read at once; the VPC comes from the function
  // (GetFunctionConfiguration says it), else from its subnets first.
  const inVpc = (known: string | undefined) => {
    const filters = known ? [{ Name: 'vpc-id', Values: [known] }] : undefined;
    return filters
      ? Promise.all([
          clients.ec2.send(new DescribeRouteTablesCommand({ Filters: filters })).then((out) => out.RouteTables ?? []),
          clients.ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters })).then((out) => out.VpcEndpoints ?? []),
        ])
      : undefined;
  };
  const early = inVpc(fn.vpcConfig?.vpcId);
  early?.catch(() => undefined);
  const [config, subnets] = await Promise.all([
    clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.functionArn })),
    clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })).then((out) => out.Subnets ?? []),
  ]);
  const vpcId = subnets[0]?.VpcId ?? config.VpcConfig?.VpcId;
  const evidence: LambdaNetworkReachEvidence = {
    functionName: fn.functionName,
    ...(vpcId ? { vpcId } : {}),
    securityGroupIds: fnGroups,
    subnets: [],
    endpoints: [],
    servicesFromEnvironment: servicesFromEnvironment(config.Environment?.Variables),
  };
  if (!vpcId) return { ...evidence, unreadable: 'the VPC of its subnets could not be found' };
  const [tables, endpoints] = await (early && fn.vpcConfig?.vpcId === vpcId ? early : (inVpc(vpcId) as NonNullable<ReturnType<typeof inVpc>>));
  const gateway = endpoints.filter((e) => e.VpcEndpointType === 'Gateway').map((e) => ({ id: e.VpcEndpointId ?? '', routeTableIds: e.RouteTableIds ?? [] }));
  evidence.subnets = subnetIds.map((id) => subnetReach(id, tables, gateway));
  const groupIds = [...new Set(endpoints.filter((e) => e.VpcEndpointType !== 'Gateway').flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId ?? '')).filter(Boolean))];
  const groups = groupIds.length ? ((await clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds }))).SecurityGroups ?? []) : [];
  const subnetCidrs = subnets.map((s) => s.CidrBlock ?? '').filter(Boolean);
  evidence.endpoints = endpoints.map((e): InterfaceEndpointReachEvidence => {
    const ids = (e.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean);
    const admitted = e.VpcEndpointType === 'Gateway' ? true : admits(groups, ids, fnGroups, subnetCidrs);
    return {
      vpcEndpointId: e.VpcEndpointId ?? '',
      service: (e.ServiceName ?? '').split('.').slice(3).join('.'),
      type: e.VpcEndpointType ?? 'Interface',
      state: (e.State ?? '').toLowerCase(),
      privateDnsEnabled: e.PrivateDnsEnabled ?? false,
      subnetIds: e.SubnetIds ?? [],
      securityGroupIds: ids,
      ...(admitted !== undefined ? { admitsFunction: admitted } : {}),
    };
  });
  return evidence;
}

export const lambdaNetworkReachSource = defineSource({
  id: 'lambda.network-reach',
  title: 'Network reach of VPC-attached functions',
  dependsOn: ['lambda.functions'],
  calls: {
    chain: 3,
    why: 'the security groups of the endpoints need the endpoints read; when the function’s configuration does not name its VPC, the route tables and endpoints wait for its subnets',
    needs: 2,
  },
  async run(ctx) {
    const functions = (ctx.evidence['lambda.functions'] ?? []).filter((f) => (f.vpcConfig?.subnetIds.length ?? 0) > 0);
    if (!functions.length) return { status: 'not_applicable', reason: 'no function of this API is attached to a VPC' };
    // Each function on its own, all at once.
    const evidence: LambdaNetworkReachEvidence[] = await Promise.all(
      functions.map((fn) => {
        const clients = clientsFor(ctx, fn.accountId, fn.region);
        if ('unreadable' in clients) {
          return { functionName: fn.functionName, securityGroupIds: [], subnets: [], endpoints: [], servicesFromEnvironment: [], unreadable: clients.unreadable };
        }
        return reachOf(fn, clients.clients);
      }),
    );
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'VPC-attached function')}: ${listText(evidence.map((e) => `${e.functionName} (${e.vpcId ?? 'VPC unknown'}, ${e.subnets.some((s) => s.natRoute) ? 'NAT route' : 'no NAT route'}, ${plural(e.endpoints.length, 'endpoint')})`))}`,
    };
  },
  record: recordAnswers(writeEc2Answer, writeLambdaAnswer),
});
