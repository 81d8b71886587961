import type { IngressRuleEvidence, SecurityGroupEvidence } from '../../core/evidence.js';
import { cidrOverlaps } from '../../core/cidr.js';
import { callerEndpoints, vpcOf } from '../endpoints.js';
import { evidenceOf, finding, isPrivateApi, requireSources } from '../helpers.js';
import type { Finding } from '../../core/finding.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';

/** Whether an inbound 443 rule admits callers from the given VPC ranges. */
function admitsCallers(rule: IngressRuleEvidence, callerCidrs: string[]): boolean {
  // A source group or prefix list names callers we cannot enumerate here: trust it rather than guess.
  if (rule.sourceGroupIds.length || rule.prefixListIds.length) return true;
  if (rule.ipv6Cidrs.includes('::/0')) return true;
  return rule.cidrs.some((allowed) => callerCidrs.some((caller) => cidrOverlaps(allowed, caller)));
}

function describeHttps(group: SecurityGroupEvidence): string {
  if (!group.https.length) return `${group.groupId} has no inbound rule for TCP 443 (${group.inboundRuleCount} inbound rules in all)`;
  const sources = group.https.flatMap((r) => [...r.cidrs, ...r.ipv6Cidrs, ...r.sourceGroupIds, ...r.prefixListIds]);
  return `${group.groupId} inbound 443 from ${sources.join(', ') || 'nothing'} only`;
}

/**
 * N2: the endpoint's security groups must admit TCP 443 from the callers, i.e. the endpoint VPC's
 * CIDRs. A group that admits 443 only from an unrelated range is as closed as one with no rule.
 */
export const n2EndpointSgNo443 = defineRule({
  id: 'N2.endpoint-sg-no-443',
  severity: 'critical',
  title: 'VPC endpoint security groups do not admit HTTPS (443) from the callers',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints', 'ec2.security-groups'], 'an endpoint security group that blocks 443 from the callers');
    if (blocked) return blocked;
    const groups = evidenceOf(input, 'ec2.security-groups') ?? [];
    const fromGroups = callerEndpoints(input).flatMap((endpoint) => {
      const callerCidrs = vpcOf(input, endpoint.vpcId)?.cidrBlocks ?? [];
      const endpointGroups = groups.filter((g) => endpoint.securityGroupIds.includes(g.groupId));
      if (!endpointGroups.length && endpoint.securityGroupIds.length) return [];
      const open = endpointGroups.some((g) => g.https.some((rule) => admitsCallers(rule, callerCidrs)));
      if (open) return [];
      const callers = callerCidrs.length ? callerCidrs.join(', ') : `VPC ${endpoint.vpcId}`;
      return [
        finding(this, {
          detail: `Endpoint ${endpoint.vpcEndpointId} (VPC ${endpoint.vpcId}, ${callers}) has ${endpointGroups.length ? `security groups ${endpointGroups.map((g) => g.groupId).join(', ')}` : 'no security group'}, and none admits TCP 443 from the callers: connections time out before API Gateway and leave no API Gateway logs.`,
          evidence: [
            ...endpointGroups.map((g) => ({ source: 'ec2.security-groups', key: g.groupId, quote: describeHttps(g) })),
            { source: 'ec2.vpc-endpoints', key: endpoint.vpcEndpointId, quote: `${endpoint.vpcEndpointId} in ${endpoint.vpcId} (${callers}) uses ${endpoint.securityGroupIds.join(', ') || 'no security group'}` },
          ],
          fix: `Add an inbound rule TCP 443 from ${callers} to ${endpointGroups[0]?.groupId ?? `a security group attached to ${endpoint.vpcEndpointId}`}.`,
        }),
      ];
    });
    return fromGroups.length ? fromGroups : refusedConnections(this, input);
  },
});

const MIN_REJECTS = 3;

/**
 * The groups look open, yet flow logs show connections to 443 on the endpoints (or the addresses
 * the custom domain resolves to) refused: a NACL, or a group firebreak could not judge (flow logs
 * cannot tell an SG reject from a NACL reject).
 */
function refusedConnections(rule: Rule, input: RuleInput): Finding[] {
  const rejects = (evidenceOf(input, 'ec2.flow-logs')?.rejects ?? []).filter((r) => r.dstport === 443 && r.target && (r.protocol === undefined || r.protocol === 6));
  if (rejects.length < MIN_REJECTS) return [];
  const byTarget = new Map<string, { count: number; sources: Set<string> }>();
  for (const r of rejects) {
    const entry = byTarget.get(r.target as string) ?? { count: 0, sources: new Set<string>() };
    entry.count++;
    if (r.srcaddr && entry.sources.size < 5) entry.sources.add(r.srcaddr);
    byTarget.set(r.target as string, entry);
  }
  return [
    finding(rule, {
      severity: 'high',
      title: 'Connections to 443 on the endpoint are refused (flow log REJECTs)',
      detail: `Flow logs show ${rejects.length} REJECTed connections to port 443: ${[...byTarget].map(([target, e]) => `${e.count} to ${target} from ${[...e.sources].join(', ')}`).join('; ')}. The security groups look open, so a network ACL (or a group on the callers' side) refuses them; they never reach API Gateway.`,
      evidence: rejects.slice(0, 3).map((r) => ({ source: 'ec2.flow-logs', key: r.target as string, quote: r.raw })),
      fix: 'Check the network ACLs of the endpoint subnets and of the callers\' subnets for TCP 443 inbound and the ephemeral ports outbound (and the callers\' outbound security group rules).',
    }),
  ];
}
