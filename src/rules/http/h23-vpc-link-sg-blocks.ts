import { evidenceOf, finding, inconclusive } from '../helpers.js';
import { defineRule } from '../types.js';
import { contextValue, countRecords, httpRoutes } from './access.js';

/**
 * H23: the VPC link's security groups let nothing out over TCP, so its network interfaces cannot
 * reach the load balancer or Cloud Map targets; and the targets' groups must admit the link's
 * groups (DG http-api-vpc-links; KC api-gateway-500-error-vpc for the REST equivalent).
 */
export const h23VpcLinkSgBlocks = defineRule({
  id: 'H23.vpc-link-sg-blocks',
  severity: 'high',
  title: 'The VPC link\u2019s security groups do not let traffic reach the targets',
  evaluate(input) {
    return (evidenceOf(input, 'apigwv2.vpc-links') ?? [])
      .filter((l) => l.status === 'AVAILABLE')
      .flatMap((link) => {
        if (link.securityGroupsUnreadable) {
          return [inconclusive(this, `VPC link ${link.vpcLinkId}'s security groups blocking its targets`, [{ source: 'apigwv2.vpc-links', why: `its security groups were not read (${link.securityGroupsUnreadable})`, fix: 'allow ec2:DescribeSecurityGroups to the firebreak role' }])];
        }
        const groups = link.securityGroups ?? [];
        if (groups.length === 0 || groups.some((g) => g.egressAllowsTcp)) {
          // The link lets traffic out; whether the targets let it in (their groups, their health)
          // is on the load balancer, which firebreak does not read. Say so when its routes fail.
          const keys = new Set(httpRoutes(input).filter((r) => r.integrationId && link.usedBy.includes(r.integrationId)).map((r) => r.routeKey));
          const { count } = countRecords(input, { what: '5xx on the VPC link\u2019s routes', family: 'server' }, (r) => (r.status ?? 0) >= 500 && keys.has(contextValue(r, 'routeKey') ?? ''));
          if (!count.passes) return [];
          return [
            inconclusive(this, `the targets behind VPC link ${link.vpcLinkId} refusing it (their security groups not admitting ${link.securityGroupIds.join(', ') || 'the link'}, or no healthy targets)`, [
              { source: 'logs.access', why: `${count.text().replace(/\.$/, '')} while the link is AVAILABLE and its groups allow outbound TCP`, fix: `check that the load balancer's security groups admit ${link.securityGroupIds.join(', ') || 'the VPC link\u2019s groups'} on the listener port and that its targets are healthy (aws elbv2 describe-target-health); firebreak does not read load balancers` },
            ]),
          ];
        }
        return [
          finding(this, {
            detail: `VPC link ${link.vpcLinkId} uses security group(s) ${groups.map((g) => `${g.groupId} (outbound: ${g.egress.join('; ') || 'none'})`).join(', ')}: none lets TCP out, so API Gateway cannot open connections to the integration targets (integrations ${link.usedBy.join(', ')}); requests fail with 503/500.`,
            evidence: groups.map((g) => ({ source: 'apigwv2.vpc-links', key: g.groupId, quote: `${g.groupId} egress: ${g.egress.join('; ') || 'none'}` })),
            fix: `Allow outbound TCP to the targets' listener port from ${groups.map((g) => g.groupId).join(', ')} (aws ec2 authorize-security-group-egress --group-id ${groups[0]?.groupId} --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,UserIdGroupPairs=[{GroupId=<target sg>}]), and let the targets' group admit the link's group on that port.`,
          }),
        ];
      });
  },
});
