import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * H22: a VPC link the integrations go through is not AVAILABLE: PENDING (being created),
 * FAILED, DELETING, INACTIVE (unused for 60 days: its ENIs were deleted, and it takes minutes to
 * come back after traffic resumes) or gone. Private integrations fail until it is ready
 * (DG http-api-vpc-links).
 */
export const h22VpcLinkUnavailable = defineRule({
  id: 'H22.vpc-link-unavailable',
  severity: 'critical',
  title: 'A VPC link of the private integrations is not available',
  evaluate(input) {
    const routes = evidenceOf(input, 'apigwv2.routes');
    return (evidenceOf(input, 'apigwv2.vpc-links') ?? [])
      .filter((l) => l.status !== 'AVAILABLE')
      .map((link) => {
        const routeKeys = (routes?.routes ?? []).filter((r) => r.integrationId && link.usedBy.includes(r.integrationId)).map((r) => r.routeKey);
        const why =
          link.status === 'INACTIVE'
            ? 'it went INACTIVE after 60 days without traffic (its network interfaces were deleted); API Gateway re-provisions it on new traffic, which takes minutes, and requests fail meanwhile'
            : link.status === 'NOT_FOUND'
              ? 'it does not exist any more'
              : link.status === 'PENDING'
                ? 'it is still being created'
                : `its status is ${link.status ?? 'unknown'}`;
        return finding(this, {
          ...(link.status === 'PENDING' || link.status === 'INACTIVE' ? { severity: 'high' as const } : {}),
          detail: `VPC link ${link.vpcLinkId}${link.name ? ` (${link.name})` : ''}, used by integration(s) ${link.usedBy.join(', ')} (routes ${routeKeys.join(', ') || 'none'}): ${why}${link.statusMessage ? `; "${link.statusMessage}"` : ''}. Requests to those routes fail with 5xx.`,
          evidence: [{ source: 'apigwv2.vpc-links', key: link.vpcLinkId, quote: `${link.vpcLinkId} VpcLinkStatus ${link.status ?? '?'}${link.statusMessage ? `: ${link.statusMessage}` : ''}` }],
          fix:
            link.status === 'FAILED' || link.status === 'NOT_FOUND'
              ? `Create a new VPC link in subnets and security groups that reach the targets (VPC links are immutable), then point the integrations at it: aws apigatewayv2 update-integration --api-id ${input.target.restApiId} --integration-id <id> --connection-id <new link>.`
              : `Wait until aws apigatewayv2 get-vpc-link --vpc-link-id ${link.vpcLinkId} says AVAILABLE (send traffic to wake an INACTIVE link) and retry.`,
        });
      });
  },
});
