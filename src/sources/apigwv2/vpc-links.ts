import { GetVpcLinkCommand } from '@aws-sdk/client-apigatewayv2';
import { DescribeSecurityGroupsCommand, type IpPermission } from '@aws-sdk/client-ec2';
import { classifyError, errorKindOf } from '../../aws/errors.js';
import type { VpcLinkEvidence, VpcLinkSecurityGroupEvidence } from '../../core/evidence.js';
import { listText, plural } from '../cross-account.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type SourceContext } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeApigwv2Answer } from './record.js';
import { writeEc2Answer } from '../ec2/record.js';

function describeRule(rule: IpPermission): string {
  const protocol = rule.IpProtocol === '-1' ? 'all' : `${rule.IpProtocol ?? '?'}${rule.FromPort !== undefined ? ` ${rule.FromPort === rule.ToPort ? rule.FromPort : `${rule.FromPort}-${rule.ToPort}`}` : ''}`;
  const to = [
    ...(rule.IpRanges ?? []).map((r) => r.CidrIp ?? ''),
    ...(rule.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? ''),
    ...(rule.UserIdGroupPairs ?? []).map((p) => p.GroupId ?? ''),
    ...(rule.PrefixListIds ?? []).map((p) => p.PrefixListId ?? ''),
  ].filter(Boolean);
  return `${protocol} → ${to.join(', ') || '(nowhere)'}`;
}

/** What the link's groups let its ENIs send: the link reaches its targets only through their outbound rules. */
async function readGroups(ctx: SourceContext, groupIds: string[]): Promise<{ groups: VpcLinkSecurityGroupEvidence[] } | { unreadable: string }> {
  if (groupIds.length === 0) return { groups: [] };
  try {
    const out = await ctx.aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds }));
    return {
      groups: (out.SecurityGroups ?? []).map((g) => ({
        groupId: g.GroupId ?? '',
        egress: (g.IpPermissionsEgress ?? []).map(describeRule),
        egressAllowsTcp: (g.IpPermissionsEgress ?? []).some((r) => r.IpProtocol === '-1' || r.IpProtocol === 'tcp' || r.IpProtocol === '6'),
      })),
    };
  } catch (err) {
    const error = classifyError(err);
    return { unreadable: `${error.kind}${error.action ? ` (${error.action})` : ''}: ${error.message}` };
  }
}

/**
 * The VPC links the API's private integrations go through: status, subnets and security groups
 * (v2, HTTP APIs), or the network load balancers they reach (v1, WebSocket APIs).
 */
export const describeVpcLinks: Describer<'apigwv2.vpc-links'> = {
  order: 30,
  lines: (links, kit) =>
    links.flatMap((link) => [
      `vpc link ${link.vpcLinkId} ${kit.pairs({
        name: link.name,
        version: link.version,
        status: link.status,
        statusMessage: link.statusMessage ? JSON.stringify(link.statusMessage) : undefined,
        subnets: link.subnetIds,
        securityGroups: link.securityGroupIds,
        usedBy: link.usedBy,
        targets: link.targetArns,
        unreadable: link.unreadable,
      })}`,
      ...(link.securityGroups ?? []).map((g) => `vpc link ${link.vpcLinkId} security group ${g.groupId} egress=${g.egress.join('; ') || 'NONE'}`),
    ]),
};

export const httpVpcLinksSource = defineSource({
  id: 'apigwv2.vpc-links',
  title: 'VPC links',
  dependsOn: ['apigwv2.routes'],
  calls: { chain: 2, why: 'the security groups of a VPC link are named by GetVpcLink' },
  async run(ctx) {
    const integrations = (ctx.evidence['apigwv2.routes']?.integrations ?? []).filter((i) => i.connectionType === 'VPC_LINK' && i.connectionId);
    if (integrations.length === 0) {
      return { status: 'not_applicable', evidence: [], reason: 'no integration goes through a VPC link' };
    }
    const usedBy = new Map<string, string[]>();
    for (const i of integrations) usedBy.set(i.connectionId as string, [...(usedBy.get(i.connectionId as string) ?? []), i.integrationId]);
    const evidence = await Promise.all(
      [...usedBy].map(async ([VpcLinkId, ids]): Promise<VpcLinkEvidence> => {
        try {
          const link = await ctx.aws.apigatewayv2.send(new GetVpcLinkCommand({ VpcLinkId }));
          const e: VpcLinkEvidence = { vpcLinkId: VpcLinkId, subnetIds: link.SubnetIds ?? [], securityGroupIds: link.SecurityGroupIds ?? [], usedBy: ids };
          if (link.Name) e.name = link.Name;
          if (link.VpcLinkStatus) e.status = link.VpcLinkStatus;
          if (link.VpcLinkStatusMessage) e.statusMessage = link.VpcLinkStatusMessage;
          const groups = await readGroups(ctx, e.securityGroupIds);
          if ('groups' in groups) e.securityGroups = groups.groups;
          else e.securityGroupsUnreadable = groups.unreadable;
          return e;
        } catch (err) {
          if (errorKindOf(err) !== 'not_found') throw err;
          return { vpcLinkId: VpcLinkId, subnetIds: [], securityGroupIds: [], usedBy: ids, status: 'NOT_FOUND', unreadable: `VPC link ${VpcLinkId} does not exist (deleted?)` };
        }
      }),
    );
    const notReady = evidence.filter((l) => l.status !== 'AVAILABLE');
    const parts = [`${plural(evidence.length, 'VPC link')}: ${evidence.map((l) => `${l.vpcLinkId} ${l.status ?? '?'}`).join(', ')}`];
    if (notReady.length) parts.push(`not available: ${listText(notReady.map((l) => `${l.vpcLinkId}${l.statusMessage ? ` (${l.statusMessage})` : ''}`))}`);
    const noEgress = evidence.filter((l) => l.securityGroups && l.securityGroups.length > 0 && !l.securityGroups.some((g) => g.egressAllowsTcp));
    if (noEgress.length) parts.push(`no outbound TCP from the security groups of ${listText(noEgress.map((l) => l.vpcLinkId))}`);
    const unread = evidence.filter((l) => l.securityGroupsUnreadable);
    if (unread.length) parts.push(`security groups not read for ${listText(unread.map((l) => `${l.vpcLinkId} (${l.securityGroupsUnreadable})`))}`);
    return { status: 'ok', evidence, count: evidence.length, reason: parts.join('; ') };
  },
  describe: describeVpcLinks,
  record: recordAnswers(writeApigwv2Answer, writeEc2Answer),
});
