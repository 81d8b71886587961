import { defineRule } from '../types.js';
import { evidenceOf, finding, requireSources } from '../helpers.js';

/**
 * N1: an execute-api endpoint with private DNS makes every *.execute-api name resolve to it inside
 * that VPC, so a public (EDGE/REGIONAL) API called from there gets 403 and logs nothing.
 */
export const n1PrivateDnsCapturesPublicApi = defineRule({
  id: 'N1.private-dns-captures-public-api',
  severity: 'medium',
  title: 'Private DNS on an execute-api endpoint captures calls to this public API from its VPC',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api || api.endpointTypes.includes('PRIVATE')) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'private DNS of an execute-api endpoint capturing calls from a VPC');
    if (blocked) return blocked;
    const capturing = (evidenceOf(input, 'ec2.vpc-endpoints')?.endpoints ?? []).filter(
      (e) => !e.missing && e.privateDnsEnabled && e.serviceName.endsWith('.execute-api'),
    );
    if (!capturing.length) return [];
    const types = api.endpointTypes.join('/');
    return [
      finding(this, {
        detail: `API ${api.id} is ${types}, but ${capturing.map((e) => `${e.vpcEndpointId} (VPC ${e.vpcId})`).join(', ')} has private DNS on: inside those VPCs ${api.id}.execute-api.${input.target.region}.amazonaws.com resolves to the endpoint and calls get 403 Forbidden without reaching the API (no API Gateway logs).`,
        evidence: [
          { source: 'apigw.rest-api', key: api.id, quote: `endpointConfiguration.types ${types}` },
          ...capturing.map((e) => ({ source: 'ec2.vpc-endpoints', key: e.vpcEndpointId, quote: `${e.vpcEndpointId} PrivateDnsEnabled true in ${e.vpcId}` })),
        ],
        fix: `Call the public API from that VPC through a custom domain with a Route 53 alias record, or turn private DNS off on ${capturing[0]?.vpcEndpointId ?? 'the endpoint'} (then private APIs need the vpce hostname).`,
      }),
    ];
  },
});
