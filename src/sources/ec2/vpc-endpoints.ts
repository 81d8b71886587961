import {
  DescribeNetworkInterfacesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type Filter,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients.js';
import { errorKindOf, errorText } from '../../aws/errors.js';
import type { Truncation } from '../../core/coverage.js';
import type { AccountReadEvidence, EndpointLookupEvidence, PolicyDocument, VpcEndpointEvidence, VpcEvidence } from '../../core/evidence.js';
import { involvedAccounts, noRoleHint, noRoleText, type InvolvedAccount } from '../accounts.js';
import { parsePolicyDocument } from '../apigw/policy.js';
import { listText, plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type SourceContext } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeEc2Answer } from './record.js';

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

function missingEvidence(id: string, referencedByApi = true): VpcEndpointEvidence {
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
    referencedByApi,
    missing: true,
  };
}

/** ENI addresses, VPC CIDRs and DNS attributes: independent reads, made at once. */
async function enrich(clients: AwsClients, endpoints: VpcEndpointEvidence[]): Promise<VpcEvidence[]> {
  if (endpoints.length === 0) return [];
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
    const evidence: VpcEvidence = { vpcId, cidrBlocks: [...new Set(cidrs)], ...(clients.accountId ? { accountId: clients.accountId } : {}) };
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

const endpointLines: Describer<'ec2.vpc-endpoints'> = {
  order: 60,
  lines: (found, kit) => [
    ...found.endpoints.flatMap((vpce) => [
      `vpc endpoint ${vpce.vpcEndpointId} ${kit.pairs({
        vpc: vpce.vpcId,
        service: vpce.serviceName,
        state: vpce.state,
        privateDns: vpce.privateDnsEnabled,
        securityGroups: vpce.securityGroupIds,
        subnets: vpce.subnetIds,
        eniAddresses: vpce.eniAddresses,
        referencedByApi: vpce.referencedByApi,
        missing: vpce.missing,
        account: vpce.accountId,
        lastError: vpce.lastError,
      })}`,
      ...kit.policy(`vpc endpoint ${vpce.vpcEndpointId} policy`, vpce.policyDocument),
    ]),
    ...found.vpcs.map((vpc) => `vpc ${vpc.vpcId} ${kit.pairs({ cidrs: vpc.cidrBlocks, dnsSupport: vpc.enableDnsSupport, dnsHostnames: vpc.enableDnsHostnames })}`),
  ],
};

export const vpcEndpointsSource = defineSource({
  id: 'ec2.vpc-endpoints',
  title: 'VPC endpoints',
  dependsOn: ['apigw.rest-api'],
  calls: {
    chain: 3,
    why: 'the endpoints’ network interfaces and VPCs need the ids DescribeVpcEndpoints returns; EC2 refuses a lookup by ids when one of them is gone (InvalidVpcEndpointId.NotFound), and the ids are then asked one by one',
    needs: 2,
  },
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

    return readPrivateApiEndpoints(ctx, api?.vpcEndpointIds ?? [], sourceVpceIds(api?.policy), serviceFilter);
  },
  describe: endpointLines,
  record: recordAnswers(writeEc2Answer),
});

/** Every vpce id a policy's conditions name (aws:SourceVpce), wildcards left out. */
export function sourceVpceIds(policy: PolicyDocument | null | undefined): string[] {
  const ids = new Set<string>();
  for (const statement of policy?.Statement ?? []) {
    for (const entries of Object.values(statement.Condition ?? {})) {
      for (const [key, value] of Object.entries(entries)) {
        if (key.toLowerCase() !== 'aws:sourcevpce') continue;
        for (const id of (Array.isArray(value) ? value : [value]).map(String)) if (id.startsWith('vpce-') && !/[*?]/.test(id)) ids.add(id);
      }
    }
  }
  return [...ids];
}

interface AccountRead {
  account: InvolvedAccount;
  clients?: AwsClients;
  found: VpcEndpoint[];
  siblings: VpcEndpoint[];
  truncated?: Truncation;
  error?: string;
}

/**
 * A private API's callers may use endpoints in any account: look up every endpoint id the API or
 * its resource policy names in every account involved (home, configured, seen in the policy),
 * through each account's role, plus the home account's other execute-api endpoints that could
 * carry calls. An id found nowhere is `missing` only when every account involved was read;
 * otherwise it is `unknown`, never "does not exist".
 */
async function readPrivateApiEndpoints(ctx: SourceContext, apiIds: string[], policyIds: string[], serviceFilter: Filter) {
  const named = [...new Set([...apiIds, ...policyIds])];
  const referenced = new Set(apiIds);
  const accounts = involvedAccounts(ctx);
  const reads: AccountRead[] = await Promise.all(
    accounts.map(async (account): Promise<AccountRead> => {
      if (!account.readable) return { account, found: [], siblings: [] };
      const clients = account.home ? ctx.aws : ctx.factory.forAccount(account.accountId, ctx.aws.region);
      try {
        // Any execute-api endpoint in the home account can carry calls: keep those in the
        // referenced endpoints' VPCs, or every one when the API names none. Both reads at once.
        const [byId, listed] = await Promise.all([
          describeByIds(clients, named, ctx),
          account.home ? describeEndpoints(clients, { filters: [serviceFilter] }, ctx) : Promise.resolve({ items: [] as VpcEndpoint[], truncated: undefined }),
        ]);
        return { account, clients, found: byId.found, siblings: listed.items, ...(listed.truncated ? { truncated: listed.truncated } : {}) };
      } catch (err) {
        // The home account's failure is the row's; another account's is a note on it.
        if (account.home) throw err;
        return { account, found: [], siblings: [], error: errorText(err) };
      }
    }),
  );
  const home = reads.find((r) => r.account.home);
  const ownerOf = new Map<string, string>();
  for (const read of reads) for (const e of read.found) ownerOf.set(e.VpcEndpointId ?? '', e.OwnerId ?? read.account.accountId);
  const referencedVpcs = new Set(reads.flatMap((r) => r.found).filter((e) => referenced.has(e.VpcEndpointId ?? '')).map((e) => e.VpcId ?? ''));
  const unread = reads.filter((r) => !r.account.readable || r.error);
  const lookups: EndpointLookupEvidence[] = named.map((id) => {
    const namedBy = [...(referenced.has(id) ? ['api' as const] : []), ...(policyIds.includes(id) ? ['policy' as const] : [])];
    const owner = ownerOf.get(id);
    if (owner) return { vpcEndpointId: id, status: 'found', namedBy, accountId: owner };
    const readIds = reads.filter((r) => r.account.readable && !r.error).map((r) => r.account.accountId);
    if (unread.length === 0) {
      return { vpcEndpointId: id, status: 'missing', namedBy, reason: `not found in ${readIds.length > 1 ? `any of accounts ${listText(readIds)}` : `account ${readIds[0] ?? '(home)'}`}, the accounts involved` };
    }
    return {
      vpcEndpointId: id,
      status: 'unknown',
      namedBy,
      reason: `not found in account ${listText(readIds)}; ${listText(unread.map((r) => (r.error ? `account ${r.account.accountId} could not be read (${r.error})` : noRoleText(r.account))))}`,
    };
  });
  const perAccount = await Promise.all(
    reads.filter((r) => r.clients && (r.found.length || r.siblings.length)).map(async (read) => {
      const seen = new Set(read.found.map((e) => e.VpcEndpointId));
      const siblings = read.siblings.filter((e) => !seen.has(e.VpcEndpointId) && (apiIds.length === 0 || referencedVpcs.has(e.VpcId ?? '')));
      const endpoints = [...read.found, ...siblings].map((e) => {
        const evidence = toEvidence(e, referenced);
        evidence.accountId ??= read.account.accountId;
        return evidence;
      });
      return { endpoints, vpcs: await enrich(read.clients as AwsClients, endpoints) };
    }),
  );
  // An id the API lists that is surely gone stays visible as an endpoint (N5 names it).
  const gone = lookups.filter((l) => l.status === 'missing' && l.namedBy.includes('api')).map((l) => missingEvidence(l.vpcEndpointId, true));
  const endpoints = [...perAccount.flatMap((p) => p.endpoints), ...gone];
  const vpcs = perAccount.flatMap((p) => p.vpcs);
  const accountEvidence: AccountReadEvidence[] = reads.map((r) => ({
    accountId: r.account.accountId,
    status: !r.account.readable ? 'no_role' : r.error ? 'error' : 'read',
    seenIn: r.account.seenIn,
    ...(!r.account.readable ? { reason: noRoleText(r.account) } : r.error ? { reason: r.error } : {}),
  }));
  const evidence = { endpoints, vpcs, accounts: accountEvidence, lookups };
  const perAccountText = accountSummary(reads, endpoints);
  const unknown = lookups.filter((l) => l.status === 'unknown');
  const unknownText = unknown.length ? `; ${listText(unknown.map((l) => l.vpcEndpointId))} unknown (${listText(unread.map((r) => (r.error ? `account ${r.account.accountId} not readable` : noRoleText(r.account))))})` : '';
  const truncated = home?.truncated;
  const real = endpoints.filter((e) => !e.missing);
  if (real.length === 0 && unread.length > 0) {
    const noRole = unread.filter((r) => !r.account.readable).map((r) => r.account);
    return {
      status: 'not_configured' as const,
      reason: `${listText(unread.map((r) => (r.error ? `account ${r.account.accountId} could not be read (${r.error})` : noRoleText(r.account))))}; no execute-api endpoint found in the accounts read${unknownText}`,
      hint: noRole.length ? noRoleHint(noRole) : 'grant ec2:DescribeVpcEndpoints to the role of each account involved',
      evidence,
    };
  }
  if (endpoints.length === 0) {
    return {
      status: 'not_configured' as const,
      reason: 'PRIVATE API, but the account has no execute-api interface VPC endpoint and the API names none',
      hint: `create an interface VPC endpoint for ${executeApiServiceName(ctx.target.region)} and allow it in the API's resource policy`,
      evidence,
    };
  }
  const referencedCount = endpoints.filter((e) => e.referencedByApi).length;
  return {
    status: 'ok' as const,
    evidence,
    count: endpoints.length,
    reason: `${plural(endpoints.length, 'endpoint')} (${referencedCount} referenced by the API)${perAccountText}${endpointSummary(endpoints)}${unknownText}`,
    ...(truncated ? { truncated } : {}),
  };
}

/** ` in accounts 111 (2), 222 (1); 333: no role (seen in the resource policy)` — only when several accounts are involved. */
function accountSummary(reads: AccountRead[], endpoints: VpcEndpointEvidence[]): string {
  if (reads.length <= 1) return '';
  const parts = reads.map((r) => {
    if (!r.account.readable) return `${r.account.accountId}: ${noRoleText(r.account).replace(`no role for account ${r.account.accountId}`, 'no role')}`;
    if (r.error) return `${r.account.accountId}: not read (${r.error})`;
    const n = endpoints.filter((e) => !e.missing && e.accountId === r.account.accountId).length;
    return `${r.account.accountId}: ${plural(n, 'endpoint')}`;
  });
  return ` across accounts — ${parts.join('; ')}`;
}
