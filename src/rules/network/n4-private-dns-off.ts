import { callerEndpoints } from '../endpoints.js';
import { evidenceOf, finding, isPrivateApi, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * N4: private DNS is off on every execute-api endpoint the private API's callers use, so
 * `https://<apiId>.execute-api.<region>.amazonaws.com` resolves to public addresses, where a private
 * API is not served (403, no API Gateway logs). Without an endpoint association there is not even
 * the `<apiId>-<vpceId>` alias: callers must use the endpoint's DNS name with a Host or
 * `x-apigw-api-id` header.
 */
export const n4PrivateDnsOff = defineRule({
  id: 'N4.private-dns-off',
  severity: 'medium',
  title: 'Private DNS is off: the default hostname of the private API does not reach it',
  evaluate(input) {
    if (!isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'callers using a hostname that private DNS does not resolve');
    if (blocked) return blocked;
    const endpoints = callerEndpoints(input).filter((e) => e.state.toLowerCase() === 'available');
    if (!endpoints.length || endpoints.some((e) => e.privateDnsEnabled)) return [];
    const api = evidenceOf(input, 'apigw.rest-api');
    const associated = endpoints.filter((e) => api?.vpcEndpointIds.includes(e.vpcEndpointId));
    const host = `${input.target.restApiId}.execute-api.${input.target.region}.amazonaws.com`;
    return [
      finding(this, {
        severity: associated.length ? 'low' : 'medium',
        detail: `Private DNS is off on ${endpoints.map((e) => e.vpcEndpointId).join(', ')}: ${host} resolves to public addresses, where private API ${input.target.restApiId} answers 403 and writes no logs. ${
          associated.length
            ? `The API is associated with ${associated.map((e) => e.vpcEndpointId).join(', ')}, so ${associated.map((e) => `${input.target.restApiId}-${e.vpcEndpointId}.execute-api.${input.target.region}.amazonaws.com`).join(', ')} works.`
            : 'The API is associated with no endpoint, so there is no <apiId>-<vpceId> alias either: callers must use the endpoint\'s own DNS name with Host or x-apigw-api-id set to the API id.'
        }`,
        evidence: [
          ...endpoints.map((e) => ({ source: 'ec2.vpc-endpoints', key: e.vpcEndpointId, quote: `${e.vpcEndpointId} privateDnsEnabled false` })),
          { source: 'apigw.rest-api', key: input.target.restApiId, quote: `endpointConfiguration.vpcEndpointIds: ${api?.vpcEndpointIds.join(', ') || 'none'}` },
        ],
        fix: associated.length
          ? `Point clients at https://${input.target.restApiId}-${associated[0]?.vpcEndpointId}.execute-api.${input.target.region}.amazonaws.com/<stage>, or turn private DNS on for the endpoint.`
          : `Turn private DNS on for ${endpoints[0]?.vpcEndpointId} (if no public API is called from that VPC), or associate the endpoint with the API (update-rest-api vpcEndpointIds) and use the <apiId>-<vpceId> hostname.`,
      }),
    ];
  },
});
