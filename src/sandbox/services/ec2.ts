import { globMatch } from '../../core/arn-match.js';
import { awsError } from '../aws-error.js';
import { invalidTokenErrors, pageOf } from '../paging.js';
import { copy, str, strings, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/**
 * EC2's Describe calls: ids (an unknown id is an error, as in EC2), `Filters` with EC2's
 * wildcards (`*`, `?`; values OR-ed, filters AND-ed), and MaxResults/NextToken pagination.
 * An unknown filter name is refused like EC2 does, so a typo never looks like "nothing found".
 */
const MAX_RESULTS = 1000;

type Item = Record<string, unknown>;
type FieldReader = (item: Item) => unknown[];

interface Ec2Filter {
  Name?: string;
  Values?: string[];
}

const field =
  (...keys: string[]): FieldReader =>
  (item) => {
    let values: unknown[] = [item];
    for (const key of keys) {
      values = values.flatMap((v) => {
        const next = v && typeof v === 'object' ? (v as Item)[key] : undefined;
        return Array.isArray(next) ? next : next === undefined ? [] : [next];
      });
    }
    return values;
  };

type Tag = { Key?: string; Value?: string };
const tagList = (item: Item): Tag[] => (Array.isArray(item.Tags) ? (item.Tags as Tag[]) : []);

/** `tag:<key>` matches that tag's values, `tag-key` the keys. */
function tagReader(name: string): FieldReader | undefined {
  if (name === 'tag-key') return (item) => tagList(item).map((t) => t.Key);
  if (name.startsWith('tag:')) return (item) => tagList(item).filter((t) => t.Key === name.slice(4)).map((t) => t.Value);
  return undefined;
}

function applyFilters(items: Item[], filters: unknown, readers: Record<string, FieldReader>): Item[] {
  const list = Array.isArray(filters) ? (filters as Ec2Filter[]) : [];
  let result = items;
  for (const filter of list) {
    const name = filter.Name ?? '';
    const reader = tagReader(name) ?? readers[name];
    if (!reader) throw awsError('InvalidParameterValue', `The filter '${name}' is invalid`);
    const patterns = filter.Values ?? [];
    result = result.filter((item) => reader(item).some((value) => patterns.some((p) => globMatch(p, String(value)))));
  }
  return result;
}

function byIds(items: Item[], idKey: string, ids: string[] | undefined, notFound: (id: string) => Error): Item[] {
  if (!ids || ids.length === 0) return items;
  for (const id of ids) if (!items.some((item) => item[idKey] === id)) throw notFound(id);
  return items.filter((item) => ids.includes(String(item[idKey])));
}

function paged(items: Item[], input: Record<string, unknown>, ctx: ServiceContext, scope: string) {
  return pageOf(items, {
    token: input.NextToken,
    limit: input.MaxResults,
    serviceMax: MAX_RESULTS,
    scenarioPageSize: ctx.scenario.pageSize,
    scope: `${scope}:${JSON.stringify(input.Filters ?? input.Filter ?? [])}`,
    invalidToken: invalidTokenErrors.ec2,
  });
}

interface DescribeSpec {
  list: (ctx: ServiceContext) => Item[];
  idKey: string;
  idsParam: string;
  filtersParam?: string;
  outputKey: string;
  notFound: (id: string) => Error;
  readers: Record<string, FieldReader>;
}

function describe(spec: DescribeSpec): Handler {
  return (input, ctx) => {
    const all = spec.list(ctx).map((item) => copy(item));
    const selected = applyFilters(byIds(all, spec.idKey, strings(input[spec.idsParam]), spec.notFound), input[spec.filtersParam ?? 'Filters'], spec.readers);
    const page = paged(selected, input, ctx, `ec2:${spec.outputKey}`);
    return { [spec.outputKey]: page.items, ...(page.next ? { NextToken: page.next } : {}) };
  };
}

const ec2 = (ctx: ServiceContext) => ctx.account.ec2 ?? {};

/** The lowercase DNS helpers are DescribeVpcAttribute's business, not DescribeVpcs'. */
function vpcShape(vpc: Item, ctx: ServiceContext): Item {
  const { enableDnsSupport: _support, enableDnsHostnames: _hostnames, ...shape } = vpc;
  return { State: 'available', OwnerId: ctx.accountId, IsDefault: false, ...shape };
}

const describeVpcs = describe({
  list: (ctx) => (ec2(ctx).vpcs ?? []).map((vpc) => vpcShape(vpc, ctx)),
  idKey: 'VpcId',
  idsParam: 'VpcIds',
  outputKey: 'Vpcs',
  notFound: (id) => awsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`),
  readers: {
    'vpc-id': field('VpcId'),
    'cidr': field('CidrBlock'),
    'cidr-block-association.cidr-block': field('CidrBlock'),
    'state': field('State'),
    'is-default': field('IsDefault'),
    'owner-id': field('OwnerId'),
  },
});

const describeVpcEndpoints = describe({
  list: (ctx) => (ec2(ctx).vpcEndpoints ?? []).map((e) => ({ OwnerId: ctx.accountId, ...e })),
  idKey: 'VpcEndpointId',
  idsParam: 'VpcEndpointIds',
  outputKey: 'VpcEndpoints',
  notFound: (id) => awsError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`),
  readers: {
    'service-name': field('ServiceName'),
    'vpc-id': field('VpcId'),
    'vpc-endpoint-id': field('VpcEndpointId'),
    'vpc-endpoint-state': field('State'),
    'vpc-endpoint-type': field('VpcEndpointType'),
  },
});

const describeSecurityGroups = describe({
  // A group made without egress rules gets AWS's default: all traffic out.
  list: (ctx) =>
    (ec2(ctx).securityGroups ?? []).map((g) => ({
      OwnerId: ctx.accountId,
      ...g,
      IpPermissionsEgress: g.IpPermissionsEgress ?? [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    })),
  idKey: 'GroupId',
  idsParam: 'GroupIds',
  outputKey: 'SecurityGroups',
  notFound: (id) => awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`),
  readers: {
    'group-id': field('GroupId'),
    'group-name': field('GroupName'),
    'vpc-id': field('VpcId'),
    'owner-id': field('OwnerId'),
  },
});

const describeNetworkInterfaces = describe({
  list: (ctx) => (ec2(ctx).networkInterfaces ?? []).map((n) => ({ Status: 'in-use', OwnerId: ctx.accountId, ...n })),
  idKey: 'NetworkInterfaceId',
  idsParam: 'NetworkInterfaceIds',
  outputKey: 'NetworkInterfaces',
  notFound: (id) => awsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`),
  readers: {
    'network-interface-id': field('NetworkInterfaceId'),
    'vpc-id': field('VpcId'),
    'subnet-id': field('SubnetId'),
    'group-id': field('Groups', 'GroupId'),
    'private-ip-address': field('PrivateIpAddress'),
    'addresses.private-ip-address': field('PrivateIpAddress'),
    'interface-type': field('InterfaceType'),
    'description': field('Description'),
    'requester-id': field('RequesterId'),
    'status': field('Status'),
    'attachment.instance-id': field('Attachment', 'InstanceId'),
    'attachment.instance-owner-id': field('Attachment', 'InstanceOwnerId'),
    'attachment.status': field('Attachment', 'Status'),
  },
});

const describeFlowLogs = describe({
  list: (ctx) => ec2(ctx).flowLogs ?? [],
  idKey: 'FlowLogId',
  idsParam: 'FlowLogIds',
  // DescribeFlowLogs names its filter list `Filter`, unlike the other Describe calls.
  filtersParam: 'Filter',
  outputKey: 'FlowLogs',
  notFound: (id) => awsError('InvalidFlowLogId.NotFound', `The flow log ID '${id}' does not exist`),
  readers: {
    'resource-id': field('ResourceId'),
    'flow-log-id': field('FlowLogId'),
    'log-group-name': field('LogGroupName'),
    'traffic-type': field('TrafficType'),
    'deliver-log-status': field('DeliverLogsStatus'),
    'log-destination-type': field('LogDestinationType'),
  },
});

const VPC_ATTRIBUTES: Record<string, { key: string; read: (vpc: { enableDnsSupport: boolean; enableDnsHostnames: boolean }) => boolean }> = {
  enableDnsSupport: { key: 'EnableDnsSupport', read: (vpc) => vpc.enableDnsSupport },
  enableDnsHostnames: { key: 'EnableDnsHostnames', read: (vpc) => vpc.enableDnsHostnames },
};

const describeVpcAttribute: Handler = (input, ctx) => {
  const vpcId = str(input.VpcId) ?? '';
  const vpc = (ec2(ctx).vpcs ?? []).find((v) => v.VpcId === vpcId);
  if (!vpc) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  const attribute = VPC_ATTRIBUTES[str(input.Attribute) ?? ''];
  if (!attribute) throw awsError('InvalidParameterValue', `Value (${String(input.Attribute)}) for parameter attribute is invalid. Unknown attribute.`);
  return { VpcId: vpcId, [attribute.key]: { Value: attribute.read(vpc) } };
};

const describeRouteTables = describe({
  list: (ctx) => (ec2(ctx).routeTables ?? []).map((t) => ({ OwnerId: ctx.accountId, ...t })),
  idKey: 'RouteTableId',
  idsParam: 'RouteTableIds',
  outputKey: 'RouteTables',
  notFound: (id) => awsError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`),
  readers: {
    'vpc-id': field('VpcId'),
    'route-table-id': field('RouteTableId'),
    'association.subnet-id': field('Associations', 'SubnetId'),
    'association.main': field('Associations', 'Main'),
  },
});

const describeSubnets = describe({
  list: (ctx) => (ec2(ctx).subnets ?? []).map((n) => ({ State: 'available', OwnerId: ctx.accountId, ...n })),
  idKey: 'SubnetId',
  idsParam: 'SubnetIds',
  outputKey: 'Subnets',
  notFound: (id) => awsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`),
  readers: { 'vpc-id': field('VpcId'), 'subnet-id': field('SubnetId') },
});

export const ec2Handlers: ServiceHandlers = {
  DescribeRouteTables: describeRouteTables,
  DescribeSubnets: describeSubnets,
  DescribeVpcEndpoints: describeVpcEndpoints,
  DescribeVpcs: describeVpcs,
  DescribeVpcAttribute: describeVpcAttribute,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeFlowLogs: describeFlowLogs,
};
