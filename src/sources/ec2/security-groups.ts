import { DescribeSecurityGroupsCommand, type SecurityGroup } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients.js';
import { errorKindOf } from '../../aws/errors.js';
import type { SecurityGroupEvidence } from '../../core/evidence.js';
import { clientsFor, homeAccountOf, listText, plural } from '../cross-account.js';
import type { Describer } from '../../core/describe.js';
import { defineSource } from '../types.js';
import { admitsHttps, toIngressRule } from './ingress.js';
import { recordAnswers } from '../record.js';
import { writeEc2Answer } from './record.js';

async function describeGroups(clients: AwsClients, GroupIds: string[]): Promise<SecurityGroup[]> {
  const out = await clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds }));
  return out.SecurityGroups ?? [];
}

/** EC2 fails the whole call on one deleted group (InvalidGroup.NotFound): fall back to one by one. */
async function describeExisting(clients: AwsClients, ids: string[]): Promise<{ found: SecurityGroup[]; missing: string[] }> {
  let found: SecurityGroup[];
  try {
    found = await describeGroups(clients, ids);
  } catch (err) {
    if (errorKindOf(err) !== 'not_found') throw err;
    const each = await Promise.all(
      ids.map((id) =>
        describeGroups(clients, [id]).catch((e: unknown) => {
          if (errorKindOf(e) === 'not_found') return [];
          throw e;
        }),
      ),
    );
    found = each.flat();
  }
  return { found, missing: ids.filter((id) => !found.some((g) => g.GroupId === id)) };
}

const describeSecurityGroups: Describer<'ec2.security-groups'> = {
  order: 70,
  lines: (groups, kit) =>
    groups.map((sg) => {
      const https = sg.https.map(
        (rule) => `${rule.ipProtocol}:${rule.fromPort ?? '*'}-${rule.toPort ?? '*'} from ${[...rule.cidrs, ...rule.ipv6Cidrs, ...rule.sourceGroupIds, ...rule.prefixListIds].join(',') || '-'}`,
      );
      return `security group ${sg.groupId} ${kit.pairs({ name: sg.groupName, vpc: sg.vpcId, inboundRules: sg.inboundRuleCount, usedBy: sg.usedBy })} https443=${https.length > 0 ? https.join('; ') : 'NONE'}`;
    }),
};

export const securityGroupsSource = defineSource({
  id: 'ec2.security-groups',
  title: 'Endpoint security groups',
  dependsOn: ['ec2.vpc-endpoints'],
  calls: { chain: 2, why: 'EC2 refuses a lookup by ids when one group is gone (InvalidGroup.NotFound): the ids are then asked one by one', needs: 1 },
  async run(ctx) {
    const endpointsRow = ctx.coverage('ec2.vpc-endpoints');
    const endpoints = (ctx.evidence['ec2.vpc-endpoints']?.endpoints ?? []).filter((e) => !e.missing);
    if (endpointsRow?.status === 'not_applicable' || endpointsRow?.status === 'not_configured' || endpoints.length === 0) {
      return { status: 'not_applicable', reason: 'no VPC endpoint to check', evidence: [] };
    }
    const usedBy = new Map<string, string[]>();
    for (const endpoint of endpoints) {
      for (const group of endpoint.securityGroupIds) usedBy.set(group, [...(usedBy.get(group) ?? []), endpoint.vpcEndpointId]);
    }
    if (usedBy.size === 0) {
      return { status: 'empty', reason: `${listText(endpoints.map((e) => e.vpcEndpointId))} have no security groups`, evidence: [] };
    }
    // Groups live in their endpoint's account: read each account's groups through its clients.
    const home = homeAccountOf(ctx);
    const byAccount = new Map<string, string[]>();
    for (const endpoint of endpoints) {
      const account = endpoint.accountId ?? home ?? '';
      byAccount.set(account, [...new Set([...(byAccount.get(account) ?? []), ...endpoint.securityGroupIds])]);
    }
    const unread: string[] = [];
    const reads = await Promise.all(
      [...byAccount].map(async ([account, ids]) => {
        const access = clientsFor(ctx, account || undefined);
        if ('unreadable' in access) {
          unread.push(`${listText(ids)} in account ${account} (${access.unreadable})`);
          return { account, found: [] as SecurityGroup[], missing: [] as string[] };
        }
        if (account && account !== home) {
          try {
            return { account, ...(await describeExisting(access.clients, ids)) };
          } catch (err) {
            unread.push(`${listText(ids)} in account ${account} (${(err as Error).name})`);
            return { account, found: [] as SecurityGroup[], missing: [] as string[] };
          }
        }
        return { account, ...(await describeExisting(access.clients, ids)) };
      }),
    );
    const found = reads.flatMap((r) => r.found.map((group) => ({ group, account: r.account })));
    const missing = reads.flatMap((r) => r.missing);
    const evidence: SecurityGroupEvidence[] = found.map(({ group, account }) => {
      const inbound = group.IpPermissions ?? [];
      const evidenceItem: SecurityGroupEvidence = {
        groupId: group.GroupId ?? '',
        https: inbound.filter(admitsHttps).map(toIngressRule),
        inboundRuleCount: inbound.length,
        usedBy: usedBy.get(group.GroupId ?? '') ?? [],
      };
      if (group.GroupName) evidenceItem.groupName = group.GroupName;
      if (group.VpcId) evidenceItem.vpcId = group.VpcId;
      if (group.OwnerId || account) evidenceItem.accountId = group.OwnerId ?? account;
      return evidenceItem;
    });
    const closed = evidence.filter((g) => g.https.length === 0).map((g) => g.groupId);
    const notes: string[] = [];
    if (closed.length) notes.push(`${listText(closed)} ${closed.length === 1 ? 'admits' : 'admit'} no inbound TCP 443`);
    if (missing.length) notes.push(`${listText(missing)} not found`);
    if (unread.length) notes.push(`not read: ${listText(unread)}`);
    const accounts = [...new Set(evidence.map((g) => g.accountId).filter(Boolean))];
    if (accounts.length > 1) notes.push(`in accounts ${listText(accounts as string[])}`);
    if (evidence.length === 0 && unread.length) {
      return { status: 'not_configured', evidence, reason: `not read: ${listText(unread)}`, hint: 'add a read-only role for the endpoints\' account to the firebreak config (aws.accounts[].roleArn)' };
    }
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'security group')}${notes.length ? `; ${notes.join('; ')}` : ', each admitting inbound TCP 443'}`,
    };
  },
  describe: describeSecurityGroups,
  record: recordAnswers(writeEc2Answer),
});
