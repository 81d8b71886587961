import {
  DescribeNetworkInterfacesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type Filter,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients.js';
import { errorKindOf } from '../../aws/errors.js';
import type { Truncation } from '../../core/coverage.js';
import type { VpcEndpointEvidence, VpcEvidence } from '../../core/evidence.js';
import { parsePolicyDocument } from '../apigw/policy.js';
import { listText, plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import { defineSource, type SourceContext } from '../types.js';

export function executeApiServiceName(region: string): string {
  return `com.amazonaws.${region}.execute-api`;
}

async function describeEndpoints(clients: AwsClients, request: { ids?: string[]; filters?: Filter[] }, ctx: SourceContext) {
  return collectPages(async (NextToken) => {
    const out = await clients.ec2.send(
      new DescribeVpcEndpointsCommand({
        ...(request.ids ? { VpcEndpointIds: request.ids } : {}),
        ...(request.filters ? { Filters: request.filters } : {}),
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    return { items: out.VpcEndpoints ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
  }, ctx.limits);
}

/**
 * EC2 refuses the whole call when one id does not exist (InvalidVpcEndpointId.NotFound). An API
 * that lists a deleted endpoint is itself a finding, so ask id by id and report the missing ones.
 */
async function describeByIds(clients: AwsClients, ids: string[], ctx: SourceContext): Promise<{ found: VpcEndpoint[]; missing: string[] }> {
  if (ids.length === 0) return { found: [], missing: [] };
  try {
    const { items } = await describeEndpoints(clients, { ids }, ctx);
    return { found: items, missing: ids.filter((id) => !items.some((e) => e.VpcEndpointId === id)) };
  } catch (err) {
    if (errorKindOf(err) !== 'not_found') throw err;
  }
  const one = await Promise.all(
    ids.map(async (id) => {
      try {
        return (await describeEndpoints(clients, { ids: [id] }, ctx)).items;
      } catch (err) {
        if (errorKindOf(err) === 'not_found') return [];
        throw err;
      }
    }),
  );
  const found = one.flat();
  return { found, missing: ids.filter((id) => !found.some((e) => e.VpcEndpointId === id)) };
}

function toEvidence(endpoint: VpcEndpoint, referenced: Set<string>): VpcEndpointEvidence {
  const parsed = parsePolicyDocument(endpoint.PolicyDocument);
  const evidence: VpcEndpointEvidence = {
    vpcEndpointId: endpoint.VpcEndpointId ?? '',
    vpcId: endpoint.VpcId ?? '',
    serviceName: endpoint.ServiceName ?? '',
    state: endpoint.State ?? 'unknown',
    privateDnsEnabled: endpoint.PrivateDnsEnabled ?? false,
    securityGroupIds: (endpoint.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
    subnetIds: endpoint.SubnetIds ?? [],
    networkInterfaceIds: endpoint.NetworkInterfaceIds ?? [],
    eniAddresses: [],
    policyDocument: parsed.policy,
    referencedByApi: referenced.has(endpoint.VpcEndpointId ?? ''),
  };
  if (endpoint.LastError?.Message || endpoint.LastError?.Code) {
    evidence.lastError = [endpoint.LastError.Code, endpoint.LastError.Message].filter(Boolean).join(': ');
  }
  if (endpoint.OwnerId) evidence.accountId = endpoint.OwnerId;
  return evidence;
}

function missingEvidence(id: string): VpcEndpointEvidence {
  return {
    vpcEndpointId: id,
    vpcId: '',
    serviceName: '',
    state: 'missing',
    privateDnsEnabled: false,
    securityGroupIds: [],
    subnetIds: [],
    networkInterfaceIds: [],
    eniAddresses: [],
    policyDocument: null,
    referencedByApi: true,
    missing: true,
  };
}

/** ENI addresses, VPC CIDRs and DNS attributes: independent reads, made at once. */
async function enrich(clients: AwsClients, endpoints: VpcEndpointEvidence[]): Promise<VpcEvidence[]> {
  const eniIds = [...new Set(endpoints.flatMap((e) => e.networkInterfaceIds))];
  const vpcIds = [...new Set(endpoints.map((e) => e.vpcId).filter(Boolean))];
  const attribute = async (VpcId: string, Attribute: 'enableDnsSupport' | 'enableDnsHostnames') => {
    const out = await clients.ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute }));
    return Attribute === 'enableDnsSupport' ? out.EnableDnsSupport?.Value : out.EnableDnsHostnames?.Value;
  };
  const [enis, vpcs, dns] = await Promise.all([
    eniIds.length ? clients.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds })) : undefined,
    vpcIds.length ? clients.ec2.send(new DescribeVpcsCommand({ VpcIds: vpcIds })) : undefined,
    Promise.all(
      vpcIds.map(async (id) => {
        const [support, hostnames] = await Promise.all([attribute(id, 'enableDnsSupport'), attribute(id, 'enableDnsHostnames')]);
        return { id, support, hostnames };
      }),
    ),
  ]);
  const addresses = new Map<string, string[]>();
  for (const eni of enis?.NetworkInterfaces ?? []) {
    const ips = [eni.PrivateIpAddress, ...(eni.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress)].filter((ip): ip is string => Boolean(ip));
    addresses.set(eni.NetworkInterfaceId ?? '', [...new Set(ips)]);
  }
  for (const endpoint of endpoints) endpoint.eniAddresses = endpoint.networkInterfaceIds.flatMap((id) => addresses.get(id) ?? []);
  return vpcIds.map((vpcId) => {
    const vpc = vpcs?.Vpcs?.find((v) => v.VpcId === vpcId);
    const cidrs = [vpc?.CidrBlock, ...(vpc?.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock)].filter((c): c is string => Boolean(c));
    const attrs = dns.find((d) => d.id === vpcId);
    const evidence: VpcEvidence = { vpcId, cidrBlocks: [...new Set(cidrs)] };
    if (attrs?.support !== undefined) evidence.enableDnsSupport = attrs.support;
    if (attrs?.hostnames !== undefined) evidence.enableDnsHostnames = attrs.hostnames;
    return evidence;
  });
}

function endpointSummary(endpoints: VpcEndpointEvidence[]): string {
  const notes: string[] = [];
  const missing = endpoints.filter((e) => e.missing);
  const unhealthy = endpoints.filter((e) => !e.missing && e.state.toLowerCase() !== 'available');
  if (missing.length) notes.push(`${listText(missing.map((e) => e.vpcEndpointId))} referenced by the API but not found`);
  if (unhealthy.length) notes.push(`${listText(unhealthy.map((e) => `${e.vpcEndpointId} (${e.state})`))} not available`);
  return notes.length ? `; ${notes.join('; ')}` : '';
}

export const vpcEndpointsSource = defineSource({
  id: 'ec2.vpc-endpoints',
  title: 'VPC endpoints',
  dependsOn: ['apigw.rest-api'],
  async run(ctx) {
    const api = ctx.evidence['apigw.rest-api'];
    const types = api?.endpointTypes ?? [];
    const serviceFilter: Filter = { Name: 'service-name', Values: [executeApiServiceName(ctx.target.region)] };

    if (!types.includes('PRIVATE')) {
      // Catalogue N1: an execute-api endpoint with private DNS captures *.execute-api names in its
      // VPC, so calls from there to this public API reach the private endpoint and get a 403.
      const all = await describeEndpoints(ctx.aws, { filters: [serviceFilter] }, ctx);
      const privateDns = all.items.filter((e) => e.PrivateDnsEnabled);
      if (privateDns.length === 0) {
        return {
          status: 'not_applicable',
          reason: `${types.join('/') || 'the'} API is not PRIVATE and no execute-api endpoint in the account has private DNS`,
          evidence: { endpoints: [], vpcs: [] },
        };
      }
      const endpoints = privateDns.map((e) => toEvidence(e, new Set()));
      const vpcs = await enrich(ctx.aws, endpoints);
      return {
        status: 'ok',
        evidence: { endpoints, vpcs },
        count: endpoints.length,
        reason: `${plural(endpoints.length, 'execute-api endpoint')} with private DNS in ${listText(vpcs.map((v) => v.vpcId))}: private DNS endpoints can intercept calls to this public API from their VPCs`,
        ...(all.truncated ? { truncated: all.truncated } : {}),
      };
    }

    const referencedIds = api?.vpcEndpointIds ?? [];
    const referenced = new Set(referencedIds);
    // Any execute-api endpoint can carry calls to a private API: keep those in the referenced
    // endpoints' VPCs, or every one in the account when the API names none. Both reads at once.
    const [byId, account] = await Promise.all([
      describeByIds(ctx.aws, referencedIds, ctx),
      describeEndpoints(ctx.aws, { filters: [serviceFilter] }, ctx),
    ]);
    const vpcIds = new Set(byId.found.map((e) => e.VpcId).filter((v): v is string => Boolean(v)));
    const others = account.items.filter((e) => referencedIds.length === 0 || vpcIds.has(e.VpcId ?? ''));
    const truncated: Truncation | undefined = account.truncated;
    const seen = new Set(byId.found.map((e) => e.VpcEndpointId));
    const all = [...byId.found, ...others.filter((e) => !seen.has(e.VpcEndpointId))];
    const endpoints = [...all.map((e) => toEvidence(e, referenced)), ...byId.missing.map(missingEvidence)];
    if (endpoints.length === 0) {
      return {
        status: 'not_configured',
        reason: 'PRIVATE API, but the account has no execute-api interface VPC endpoint and the API names none',
        hint: `create an interface VPC endpoint for ${executeApiServiceName(ctx.target.region)} and allow it in the API's resource policy`,
        evidence: { endpoints: [], vpcs: [] },
      };
    }
    const vpcs = await enrich(ctx.aws, endpoints.filter((e) => !e.missing));
    const referencedCount = endpoints.filter((e) => e.referencedByApi).length;
    return {
      status: 'ok',
      evidence: { endpoints, vpcs },
      count: endpoints.length,
      reason: `${plural(endpoints.length, 'endpoint')} (${referencedCount} referenced by the API)${endpointSummary(endpoints)}`,
      ...(truncated ? { truncated } : {}),
    };
  },
});
