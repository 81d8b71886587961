import { evidenceOf, finding, isPrivateApi, requireSources } from '../helpers.js';
import { conditionValues } from '../policy.js';
import { defineRule } from '../types.js';

/**
 * P2: a resource policy naming an endpoint id that no longer exists (typically after the endpoint
 * was recreated). In a `StringNotEquals aws:SourceVpce` Deny, it denies the real endpoint.
 */
export const p2PolicyStaleVpce = defineRule({
  id: 'P2.policy-stale-vpce',
  severity: 'high',
  title: 'The resource policy names a VPC endpoint that no longer exists',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api?.policy || !isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'a stale VPC endpoint id in the resource policy');
    if (blocked) return blocked;
    const current = new Set((evidenceOf(input, 'ec2.vpc-endpoints')?.endpoints ?? []).filter((e) => !e.missing).map((e) => e.vpcEndpointId));
    return api.policy.Statement.flatMap((statement, index) => {
      const stale = conditionValues(statement, 'aws:SourceVpce').filter((id) => !id.includes('*') && !current.has(id));
      if (!stale.length) return [];
      const name = statement.Sid ?? `#${index + 1}`;
      const denies = statement.Effect === 'Deny';
      return [
        finding(this, {
          severity: denies ? 'critical' : 'high',
          detail: `${statement.Effect} statement ${name} of ${api.id}'s resource policy names ${stale.join(', ')}, which is not an endpoint in this account${current.size ? ` (current: ${[...current].join(', ')})` : ''}.${denies ? ' Every other endpoint, including the current one, is denied "with an explicit deny".' : ' The current endpoint is not allowed by it.'} (If the id belongs to a consumer account, this is expected.)`,
          evidence: [{ source: 'apigw.rest-api', key: api.id, quote: `${statement.Effect} ${name} aws:SourceVpce ${stale.join(', ')}` }],
          fix: `Replace ${stale.join(', ')} with ${[...current].join(', ') || 'the current endpoint id'} in the resource policy of ${api.id}, then create a deployment.`,
        }),
      ];
    });
  },
});
